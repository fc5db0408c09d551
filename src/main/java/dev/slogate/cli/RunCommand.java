package dev.slogate.cli;

import dev.slogate.experiment.Scenario;
import dev.slogate.run.ExitCode;
import dev.slogate.run.ExperimentRun;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario: load, faults on schedule, SLO verdicts, reports in reports/<run-id>/.",
        footerHeading = "%nExamples:%n",
        footer = {"  slogate run scenarios/demo-gameday.yaml",
                "  slogate run --reports-dir out/ --run-id release-42 scenarios/checkout.yaml"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (scenarios/*.yaml).")
    Path scenarioFile;

    @Option(names = "--run-id", description = "Name of the run and its report folder (default: time + scenario name).")
    String runId;

    @Option(names = "--injectors", paramLabel = "N", description = "Send the load from N injector processes on this"
            + " machine, each with 1/N of the rate, merged exactly (default 0: from this process).")
    int injectors;

    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        return runScenario(scenarioFile, runId, workspace, injectors);
    }

    static int runScenario(Path file, String runId, Workspace ws) {
        return runScenario(file, runId, ws, 0);
    }

    static int runScenario(Path file, String runId, Workspace ws, int injectors) {
        Optional<Scenario> loaded = ScenarioFiles.load(file);
        if (loaded.isEmpty()) {
            return ExitCode.INVALID;
        }
        Scenario scenario = loaded.get();
        ExperimentRun.Options options = new ExperimentRun.Options(ws.reportsDir, ws.stateDir, runId, System.out, System.console() != null);
        if (injectors < 0) {
            System.out.println("error: --injectors must be 0 (in this process) or more, was " + injectors);
            return ExitCode.INVALID;
        }
        return new ExperimentRun(scenario, options).injectors(injectors).execute();
    }
}
