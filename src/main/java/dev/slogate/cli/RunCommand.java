package dev.slogate.cli;

import dev.slogate.experiment.Scenario;
import dev.slogate.grafana.GrafanaAnnotations;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.dashboard.Dashboard;
import dev.slogate.load.OwnSimulation;
import dev.slogate.load.fleet.IndexedJobInjectors;
import dev.slogate.load.fleet.SimulationShipment;
import dev.slogate.run.ExitCode;
import dev.slogate.run.Conclusion;
import dev.slogate.run.ExperimentRun;
import dev.slogate.run.RunId;
import dev.slogate.report.RunReport;
import dev.slogate.yaml.Durations;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--accept-sandbox-shape", description = "Run on a running sandbox of another shape (regions x nodes x pods,"
            + " database) than the scenario's instead of refusing it; the report notes the shape used.")
    boolean acceptSandboxShape;

    @Option(names = "--dashboard", arity = "0..1", paramLabel = "PORT", preprocessor = LiveDashboard.AttachedPortOnly.class,
            description = "Serve a live dashboard of the run on http://127.0.0.1:PORT/ (--dashboard: port "
                    + Dashboard.DEFAULT_PORT + ", or any free port if taken; --dashboard=0: any free port); reports/<run-id>/dashboard.html keeps it after the run.")
    Integer dashboardPort;

    @Option(names = "--dashboard-bind", paramLabel = "ADDR", description = "Where the dashboard listens (default 127.0.0.1;"
            + " implies --dashboard). Another address shows the run's data to whoever reaches it: a warning says so.")
    String dashboardBind;

    @Mixin
    Workspace workspace;

    @Mixin
    SimulationOptions simulation = new SimulationOptions();

    @Override
    public Integer call() {
        // before anything reads a file or starts a process: the id names the report folder
        Optional<String> badId = runId == null ? Optional.empty() : RunId.problem(runId);
        if (badId.isPresent()) {
            System.out.println("error: " + badId.get());
            return ExitCode.INVALID;
        }
        LiveDashboard dashboard;
        try {
            dashboard = LiveDashboard.of(dashboardPort, dashboardBind);
        } catch (IllegalArgumentException e) {
            return badOption(scenarioFile, runId, workspace, e.getMessage());
        }
        if (site == Site.local) {
            return runScenario(scenarioFile, runId, workspace, injectors, acceptSandboxShape, dashboard, false, simulation);
        }
        return runOnKubernetes(dashboard);
    }

    private int runOnKubernetes(LiveDashboard dashboard) {
        if (injectors < 1) {
            return badOption(scenarioFile, runId, workspace, "--injectors-on kubernetes needs --injectors N with N >= 1"
                    + " (one pod per injector)");
        }
        IndexedJobInjectors.Settings settings;
        try {
            settings = IndexedJobInjectors.Settings.of(injectorImage, injectorNamespace, coordinator, Durations.parse(injectorTimeout));
        } catch (IllegalArgumentException e) {
            return badOption(scenarioFile, runId, workspace, e.getMessage());
        }
        ScenarioFiles.Loaded loaded = ScenarioFiles.read(scenarioFile, simulation.given());
        if (loaded.scenario() == null) {
            return notRun(scenarioFile, runId, workspace, loaded.problems());
        }
        Scenario scenario;
        try {
            scenario = simulation.apply(loaded.scenario());
        } catch (IllegalArgumentException e) {
            return badOption(scenarioFile, runId, workspace, e.getMessage());
        }
        if (scenario.load().isOwnSimulation()) {
            try {
                OwnSimulation.open(scenario.load()); // wrong Gatling, not a Java DSL simulation: exit 2 before any pod
                SimulationShipment.checkSize(scenario.load().simulationClasspath()); // shipped to every pod
            } catch (IllegalArgumentException e) {
                return badOption(scenarioFile, runId, workspace, e.getMessage());
            }
        }
        Optional<String> tooFast = ScenarioFiles.injectorsCannotSend(scenario, injectors);
        if (tooFast.isPresent()) {
            return badOption(scenarioFile, runId, workspace, tooFast.get());
        }
        // the scenario's kubernetes: block says how to reach the cluster; without one, in-cluster or ~/.kube/config
        ClusterConnection connection = scenario.kubernetes() != null ? ClusterConnection.of(scenario.kubernetes())
                : new ClusterConnection(null, null, false);
        ExperimentRun.Options options = new ExperimentRun.Options(workspace.reportsDir, workspace.stateDir, runId, System.out,
                System.console() != null);
        return execute(new ExperimentRun(scenario, options).injectors(injectors, IndexedJobInjectors.site(connection, settings))
                .acceptSandboxShape(acceptSandboxShape)
                .listen(GrafanaAnnotations.of(scenario, System::getenv, System.out)), scenario, dashboard, workspace, false);
    }

    /**
     * Reads and runs a scenario file in this process (or from {@code injectors} local injector processes), watched on
     * a live dashboard when {@code dashboard} is not null ({@code linger}: on a terminal, keep it served after the run
     * until Enter, as the demo does), with the command line's own simulation ({@code simulation} null: none).
     */
    static int runScenario(Path file, String runId, Workspace ws, int injectors, boolean acceptSandboxShape,
                           LiveDashboard dashboard, boolean linger, SimulationOptions simulation) {
        if (injectors < 0) {
            return badOption(file, runId, ws, "--injectors must be 0 (in this process) or more, was " + injectors);
        }
        ScenarioFiles.Loaded read = ScenarioFiles.read(file, simulation != null && simulation.given());
        if (read.scenario() == null) {
            return notRun(file, runId, ws, read.problems());
        }
        ScenarioFiles.Loaded loaded;
        try {
            Scenario s = simulation == null ? read.scenario() : simulation.apply(read.scenario());
            if (s.load().isOwnSimulation()) {
                OwnSimulation.open(s.load()); // not found, wrong Gatling, not a Java DSL simulation: exit 2 now
                if (injectors > 0) {
                    SimulationShipment.checkSize(s.load().simulationClasspath()); // shipped to every injector
                }
            }
            loaded = new ScenarioFiles.Loaded(s, List.of());
        } catch (IllegalArgumentException e) {
            return badOption(file, runId, ws, e.getMessage());
        }
        Optional<String> tooFast = ScenarioFiles.injectorsCannotSend(loaded.scenario(), injectors);
        if (tooFast.isPresent()) {
            return badOption(file, runId, ws, tooFast.get());
        }
        ExperimentRun.Options options = new ExperimentRun.Options(ws.reportsDir, ws.stateDir, runId, System.out, System.console() != null);
        return execute(new ExperimentRun(loaded.scenario(), options).injectors(injectors).acceptSandboxShape(acceptSandboxShape)
                .listen(GrafanaAnnotations.of(loaded.scenario(), System::getenv, System.out)), loaded.scenario(), dashboard, ws, linger);
    }

    /** Runs {@code run}, with its live dashboard if one is asked for (served until the run has ended, or longer: {@code linger}). */
    private static int execute(ExperimentRun run, Scenario scenario, LiveDashboard live, Workspace ws, boolean linger) {
        if (live == null) {
            return run.execute();
        }
        Dashboard dashboard;
        try {
            dashboard = live.open(ws.reportsDir, run.runId(), run.sloStatuses(), System.out);
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            RunReport report = RunReport.notRun(run.runId(), scenario.name(), "", System.currentTimeMillis(), List.of(e.getMessage()));
            return Conclusion.write(report, ws.reportsDir, System.out).print(System.out);
        }
        try {
            int code = run.listen(dashboard).execute();
            if (linger) {
                LiveDashboard.linger(dashboard, System.console() != null, System.out);
            }
            return code;
        } finally {
            dashboard.close();
        }
    }

    /**
     * Exit 2 before the run, with the report of a run that never started (the problem printed first), so a CI step
     * that shows reports/&lt;run-id&gt;/ shows why. {@code runId} must be valid or null.
     */
    static int badOption(Path file, String runId, Workspace ws, String problem) {
        System.out.println("error: " + problem);
        return notRun(file, runId, ws, List.of(problem));
    }

    /**
     * The command line could not be read (unknown option, missing scenario): exit 2, with a report when a valid
     * {@code --run-id} was read before the error, the one folder a CI step can know to look in.
     */
    int optionsUnreadable(String problem) {
        if (runId == null || RunId.problem(runId).isPresent()) {
            return ExitCode.INVALID;
        }
        return notRun(scenarioFile, runId, workspace, List.of(problem));
    }

    /** As {@link #badOption}, for problems printed already. */
    static int notRun(Path file, String runId, Workspace ws, List<String> problems) {
        String name = ScenarioFiles.nameOf(file);
        String id = runId != null ? runId : ExperimentRun.newRunId(name);
        RunReport report = RunReport.notRun(id, name, "", System.currentTimeMillis(), problems);
        return Conclusion.write(report, ws.reportsDir, System.out).print(System.out);
    }
}
