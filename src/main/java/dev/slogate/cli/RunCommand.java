package dev.slogate.cli;

import dev.slogate.experiment.Durations;
import dev.slogate.experiment.Scenario;
import dev.slogate.fault.kubernetes.ClusterConnection;
import dev.slogate.load.fleet.IndexedJobInjectors;
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
                "  slogate run --reports-dir out/ --run-id release-42 scenarios/checkout.yaml",
                "  slogate run --injectors 10 --injectors-on kubernetes --injector-image slogate:0.1.0 scenarios/checkout.yaml"})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (scenarios/*.yaml).")
    Path scenarioFile;

    @Option(names = "--run-id", description = "Name of the run and its report folder (default: time + scenario name).")
    String runId;

    @Option(names = "--injectors", paramLabel = "N", description = "Send the load from N injector processes on this"
            + " machine, each with 1/N of the rate, merged exactly (default 0: from this process).")
    int injectors;

    /** Where the injectors run. */
    enum Site { local, kubernetes }

    @Option(names = "--injectors-on", paramLabel = "local|kubernetes", description = "local (default): processes on this"
            + " machine; kubernetes: the pods of an Indexed Job this run creates and deletes (see --injector-image, --coordinator).")
    Site site = Site.local;

    @Option(names = "--injector-image", paramLabel = "IMAGE", description = "With --injectors-on kubernetes: the slogate"
            + " image the injector pods run (default: $SLOGATE_IMAGE).")
    String injectorImage = System.getenv("SLOGATE_IMAGE");

    @Option(names = "--injector-namespace", paramLabel = "NS", description = "With --injectors-on kubernetes: the Job's"
            + " namespace (default: the cluster connection's, in a pod its own).")
    String injectorNamespace;

    @Option(names = "--coordinator", paramLabel = "HOST[:PORT]", description = "With --injectors-on kubernetes: where the"
            + " injector pods connect to this process (default: $SLOGATE_POD_IP:7700, the pod IP from the downward API).")
    String coordinator = System.getenv("SLOGATE_POD_IP");

    @Option(names = "--injector-timeout", paramLabel = "DURATION", description = "With --injectors-on kubernetes: how long"
            + " the pods may take to connect (scheduling, image pull) before the run is inconclusive (default 3m).")
    String injectorTimeout = "3m";

    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        if (site == Site.local) {
            return runScenario(scenarioFile, runId, workspace, injectors);
        }
        return runOnKubernetes();
    }

    private int runOnKubernetes() {
        if (injectors < 1) {
            System.out.println("error: --injectors-on kubernetes needs --injectors N with N >= 1 (one pod per injector)");
            return ExitCode.INVALID;
        }
        IndexedJobInjectors.Settings settings;
        try {
            settings = IndexedJobInjectors.Settings.of(injectorImage, injectorNamespace, coordinator, Durations.parse(injectorTimeout));
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            return ExitCode.INVALID;
        }
        Optional<Scenario> loaded = ScenarioFiles.load(scenarioFile);
        if (loaded.isEmpty()) {
            return ExitCode.INVALID;
        }
        Scenario scenario = loaded.get();
        if (!ScenarioFiles.injectorsCanSend(scenario, injectors)) {
            return ExitCode.INVALID;
        }
        // the scenario's kubernetes: block says how to reach the cluster; without one, in-cluster or ~/.kube/config
        ClusterConnection connection = scenario.kubernetes() != null ? ClusterConnection.of(scenario.kubernetes())
                : new ClusterConnection(null, null, false);
        ExperimentRun.Options options = new ExperimentRun.Options(workspace.reportsDir, workspace.stateDir, runId, System.out,
                System.console() != null);
        return new ExperimentRun(scenario, options).injectors(injectors, IndexedJobInjectors.site(connection, settings)).execute();
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
        if (!ScenarioFiles.injectorsCanSend(scenario, injectors)) {
            return ExitCode.INVALID;
        }
        return new ExperimentRun(scenario, options).injectors(injectors).execute();
    }
}
