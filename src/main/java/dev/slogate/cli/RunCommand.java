package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ValidationException;
import dev.slogate.run.ExitCode;
import dev.slogate.run.ExperimentRun;
import java.nio.file.Path;
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

    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        return runScenario(scenarioFile, runId, workspace);
    }

    static int runScenario(Path file, String runId, Workspace ws) {
        Scenario scenario;
        try {
            scenario = new ExperimentLoader().loadScenario(file);
        } catch (ValidationException e) {
            System.out.println(e.getMessage());
            return ExitCode.INVALID;
        }
        ExperimentRun.Options options = new ExperimentRun.Options(ws.reportsDir, ws.stateDir, runId, System.out, System.console() != null);
        return new ExperimentRun(scenario, options).execute();
    }
}
