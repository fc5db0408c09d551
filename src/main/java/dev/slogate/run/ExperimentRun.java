package dev.slogate.run;

import static dev.slogate.timeline.Sleep.sleep;

import dev.slogate.experiment.ProbeSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.Stage;
import dev.slogate.experiment.Target;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.Journal;
import dev.slogate.fault.kubernetes.ClusterCapacity;
import dev.slogate.load.ClientMetrics;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadDriver;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import dev.slogate.load.LoadRunner;
import dev.slogate.load.fleet.Fleet;
import dev.slogate.load.fleet.InjectorSite;
import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Probes;
import dev.slogate.report.ReportBaselines;
import dev.slogate.report.RunReport;
import dev.slogate.sandbox.DatabaseState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.slo.SloStatus;
import dev.slogate.slo.StopConditionMonitor;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.yaml.Durations;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One run on one timeline: brings up (or attaches to) the target ({@link TargetSetup}), drives the load, injects and
 * reverts the faults on schedule ({@link FaultSchedule}), watches stop conditions, then judges every SLO over every
 * window ({@link Judging}) and writes the reports. Whatever it injected it reverts: at each fault's end, on a stop
 * condition, and on Ctrl-C/SIGTERM (shutdown hook); the journal covers a harness killed outright ({@code slogate cleanup}).
 */
public final class ExperimentRun {
    /** Grace after the load so Prometheus (scraping every second) holds the last seconds of the run. */
    private static final Duration FINAL_SCRAPE = Duration.ofSeconds(2);

    public record Options(Path reportsDir, Path stateDir, String runId, PrintStream out, boolean tty) {
        public Path journalDir() {
            return Journal.dir(stateDir);
        }

        public Path sandboxDir() {
            return stateDir.resolve("sandbox");
        }
    }

    private final Scenario scenario;
    private final Options options;
    private final String runId;
    private final RunLog log = new RunLog();
    /** Every SLO x window as the run goes on, for whoever shows it (the dashboard, /metrics). */
    private final LiveSlos liveSlos = new LiveSlos();
    private final CountDownLatch finished = new CountDownLatch(1);
    /** The code this run printed and recorded; the shutdown hook makes the process return it. */
    private volatile int exitCode = ExitCode.STOPPED;
    private volatile TargetSetup target;
    private volatile FaultSchedule faults;
    private volatile LoadDriver loadRunner;
    private int injectors;
    private InjectorSite injectorSite = InjectorSite.LOCAL;
    private Progress progress;
    private volatile String stopReason;
    private Probes probes = new Probes(List.of(), "");
    /** Replica watches of scaling objectives that read the Kubernetes API, or null. */
    private ClusterCapacity replicas;
    private boolean acceptSandboxShape;

    public ExperimentRun(Scenario scenario, Options options) {
        this.scenario = scenario;
        this.options = options;
        this.runId = options.runId() != null ? RunId.require(options.runId()) : newRunId(scenario.name());
        log.listen(liveSlos);
    }

    /** The default run id: UTC time and the scenario name, always a valid {@link RunId}. */
    public static String newRunId(String scenarioName) {
        return RunId.generate(scenarioName, Instant.now());
    }

    /** Drives the load from {@code n} injector processes ({@link Fleet}) instead of this JVM; 0 (default) keeps it here. */
    public ExperimentRun injectors(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("--injectors must be 0 (in this process) or more, was " + n);
        }
        this.injectors = n;
        return this;
    }

    /** As {@link #injectors(int)}, started where {@code site} says (e.g. as a Kubernetes Indexed Job). */
    public ExperimentRun injectors(int n, InjectorSite site) {
        this.injectorSite = site;
        return injectors(n);
    }

    /** Runs on a running sandbox of another shape than the scenario's instead of refusing it; the report notes the shape used. */
    public ExperimentRun acceptSandboxShape(boolean accept) {
        this.acceptSandboxShape = accept;
        return this;
    }

    public String runId() {
        return runId;
    }

    /** The live status of every SLO x window (a forecast, never a verdict), for a screen. */
    public Supplier<List<SloStatus>> sloStatuses() {
        return liveSlos::statuses;
    }

    /** Adds a watcher of this run (before {@link #execute()}): it hears the seconds, the events and the report. */
    public ExperimentRun listen(RunListener listener) {
        log.listen(listener);
        return this;
    }

    /**
     * Runs the experiment and returns the exit code; the report is written for every code (for 2, with the problems
     * that stopped the run before its start).
     */
    public int execute() {
        PrintStream out = options.out();
        ClientTimeline timeline = injectors > 0 ? ClientTimeline.fed(scenario.load()) : ClientTimeline.forLoad(scenario.load());
        target = new TargetSetup(scenario, options.stateDir(), runId, out).acceptSandboxShape(acceptSandboxShape);
        faults = new FaultSchedule(scenario.faults(), target.faults(), target.journal(), log, () -> stopReason != null);
        // Installed before anything starts, so a Ctrl-C during the sandbox's start-up stops it too.
        Thread hook = new Thread(this::interrupted, "slogate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ClientMetrics metrics = new ClientMetrics(timeline, 0)) {
            listen(new RunMetrics(metrics.registry(), liveSlos));
            target.scrape(List.of("127.0.0.1:" + metrics.port())).open();
            target.notes().forEach(log::note);
            target.connectCluster(log::record);
            var workloads = ClusterCapacity.workloads(scenario);
            if (!workloads.isEmpty()) { // a missing workload fails here, before any load, with exit 2
                replicas = ClusterCapacity.start(scenario.kubernetes(), workloads);
            }
            String baseUrl = target.baseUrl();
            PrometheusClient prometheus = target.prometheusUrl() == null ? null : PrometheusClient.builder(target.prometheusUrl()).build();
            probes = new Probes(scenario.probes(), baseUrl, runId, sandboxDatabase());
            faults.probes(probes);
            int preflight = preflight(baseUrl, prometheus);
            if (preflight != ExitCode.MET) {
                return preflight;
            }
            return runAndJudge(baseUrl, timeline, prometheus);
        } catch (TargetSetup.ShapeRefused e) {
            out.println("error: " + e.getMessage());
            return ExitCode.INVALID;
        } catch (FaultException | IllegalStateException | UncheckedIOException e) {
            out.println("error: " + e.getMessage());
            return failed(e);
        } finally {
            faults.revertAll("run ended");
            if (replicas != null) {
                replicas.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it reverts and stops by itself
            }
            target.close(); // the cluster client, a sandbox this run started, the sandbox lock
            finished.countDown(); // last: the shutdown hook halts the process once it is down
        }
    }

    /** The checks of {@link Preflight}: exit 2 with a report when one fails; also a Ctrl-C before the load (exit 3). */
    private int preflight(String baseUrl, PrometheusClient prometheus) {
        PrintStream out = options.out();
        List<String> problems = Preflight.problems(scenario, baseUrl, prometheus, probes, target.faults(), out);
        problems.forEach(p -> out.println("error: " + p));
        if (!problems.isEmpty()) {
            return notRun(baseUrl, problems);
        }
        if (stopReason != null) { // Ctrl-C while the sandbox was starting: nothing ran, and it says so
            long now = System.currentTimeMillis();
            return conclude(new RunReport(RunReport.SCHEMA_VERSION, runId, scenario.name(), baseUrl, now, now, ExitCode.STOPPED,
                    "Aborted before the load started: " + stopReason + "; nothing was injected.", log.events(),
                    List.of(), List.of(), List.of(), log.notes()), false);
        }
        return ExitCode.MET;
    }

    /** Exit 2 before the run: the report still says why, so a CI step that shows reports/&lt;run-id&gt;/ shows it. */
    private int notRun(String target, List<String> problems) {
        return conclude(RunReport.notRun(runId, scenario.name(), target, System.currentTimeMillis(), problems), false);
    }

    /** An error that ended the run: before the load it is exit 2; once the load started, nothing can be judged (4). */
    private int failed(RuntimeException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String target = scenario.target().kind() == Target.Kind.SANDBOX ? "sandbox" : scenario.target().url();
        if (progress == null) {
            return notRun(target, List.of(why));
        }
        long now = System.currentTimeMillis();
        return conclude(new RunReport(RunReport.SCHEMA_VERSION, runId, scenario.name(), target, now, now,
                ExitCode.INCONCLUSIVE, "Inconclusive: the run failed before it could be judged: " + why, log.events(),
                List.of(), List.of(), List.of(), log.notes()), false);
    }

    /**
     * Writes the report, prints the outcome and where the report is (after the SLOs that did not pass, for a run that
     * {@code ran}), and returns the code all three agree on.
     */
    private int conclude(RunReport report, boolean ran) {
        Conclusion done = Conclusion.write(report, options.reportsDir(), options.out());
        exitCode = done.exitCode();
        log.tell(l -> l.finished(report));
        if (ran) {
            options.out().println();
            report.results().stream().filter(r -> r.verdict() != Verdict.PASS)
                    .forEach(r -> options.out().println("  " + r.verdict() + "  " + r.slo() + ": " + r.message()));
        }
        return done.print(options.out());
    }

    private int runAndJudge(String baseUrl, ClientTimeline timeline, PrometheusClient prometheus) {
        long planned = System.currentTimeMillis();
        progress = new Progress(options.out(), options.tty(), planned, scenario.duration().toSeconds(), scenario.slos(), faults::activeNames);
        faults.progress(progress);
        StopConditionMonitor stops = new StopConditionMonitor(scenario.stopConditions());
        loadRunner = injectors > 0 ? new Fleet(injectors, injectorSite.launcher(runId, options.journalDir())) : new LoadRunner();
        // live seconds: a stall shows (and trips a stop condition) while it happens, not once its requests time out
        timeline.onLive(s -> {
            progress.second(s);
            log.tell(l -> l.live(s));
            stops.offer(s).ifPresent(this::stop);
        });
        timeline.onSecond(s -> log.tell(l -> l.second(s)));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-faults");
            t.setDaemon(true);
            return t;
        });
        // Gatling takes a few seconds to boot: the run's clock starts with its first scheduled user, not before.
        scheduler.execute(() -> startClock(timeline, scheduler, baseUrl));
        LoadResult load;
        try {
            load = loadRunner.run(new LoadPlan(baseUrl, scenario.load(), options.stateDir().resolve("gatling").resolve(runId)), timeline);
        } finally {
            scheduler.shutdownNow();
            faults.revertAll(stopReason != null ? "stop condition" : "load finished");
            timeline.close();
            progress.finish();
        }
        List<ProbeResult> probeResults = probes.finish(); // after the faults' read-backs, before the final scrape
        long start = timeline.start().map(Instant::toEpochMilli).orElse(planned);
        long end = System.currentTimeMillis();
        Judging judging = new Judging(scenario, runId, log, target.sandbox(), prometheus, replicas, options.reportsDir());
        judging.failoverEvents();
        log.record(new Event(end, Event.Kind.RUN_END, scenario.name(), load.message() == null ? "" : load.message()));
        sleep(FINAL_SCRAPE);
        log.tell(l -> l.notes().forEach(log::note));
        return conclude(judging.judge(baseUrl, start, end, timeline, load, loadRunner.notes(), faults.spans(), probeResults, stopReason), true);
    }

    /** Once the load's first user is scheduled: second 0 of the run, its stage events, and the faults' schedule. */
    private void startClock(ClientTimeline timeline, ScheduledExecutorService scheduler, String baseUrl) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (timeline.start().isEmpty()) {
            if (System.currentTimeMillis() > deadline || Thread.currentThread().isInterrupted()) {
                return;
            }
            sleep(Duration.ofMillis(10));
        }
        long start = timeline.start().get().toEpochMilli();
        progress.restartClock(start);
        log.tell(l -> l.started(runId, scenario, start));
        probes.start();
        log.record(new Event(start, Event.Kind.RUN_START, scenario.name(), "run " + runId + " against " + baseUrl));
        addStageEvents(start);
        faults.start(start, scheduler);
    }

    private void addStageEvents(long start) {
        long at = start;
        int i = 1;
        for (Stage s : scenario.load().stages()) {
            String what = switch (s.kind()) {
                case RAMP -> "ramp " + s.from() + " -> " + s.to();
                case HOLD -> "hold " + s.to();
                case STEP -> "step to " + s.to();
            };
            log.record(new Event(at, Event.Kind.STAGE_START, "stage " + i++, what + " for " + Durations.format(s.duration())));
            at += s.duration().toMillis();
        }
    }

    /** The sandbox's PostgreSQL servers ({@code host:port}), for JDBC probes; empty without a sandbox database. */
    private List<String> sandboxDatabase() {
        SandboxClient sandbox = target.sandbox();
        DatabaseState db = sandbox == null || scenario.probes().stream().noneMatch(ProbeSpec::isJdbc) ? null : sandbox.state().database();
        return db == null ? List.of() : db.servers().stream().map(x -> "127.0.0.1:" + x.port()).toList();
    }

    private void stop(String reason) {
        if (stopReason != null) {
            return;
        }
        stopReason = reason;
        log.record(new Event(System.currentTimeMillis(), Event.Kind.STOP_CONDITION, "stop", reason));
        progress.event("STOP: " + reason + "; reverting faults and ending the load");
        faults.revertAll("stop condition");
        loadRunner.stop(reason);
    }

    /**
     * Ctrl-C or SIGTERM: end the load, revert every fault, stop a sandbox this run started; once the run has written
     * its report, end the process with the code it printed and recorded (3, aborted; 4 if the report could not be
     * written). Without the halt the JVM would exit 130 or 143, a code the console and report.json never showed.
     */
    private void interrupted() {
        stopReason = stopReason == null ? "interrupted (Ctrl-C or SIGTERM)" : stopReason;
        LoadDriver load = loadRunner;
        if (load != null) {
            load.stop("interrupted");
        }
        faults.revertAll("interrupted");
        boolean ended = false;
        try {
            // let the run judge what it saw and write its report (Prometheus still up) before the sandbox goes
            ended = finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        target.stopOwnSandbox();
        int code = exitCode;
        options.out().println("slogate: interrupted; every fault was reverted" + (ended ? "" : "; the run did not end"
                + " within 30 s and wrote no report") + " (exit " + code + ").");
        options.out().flush();
        Runtime.getRuntime().halt(code);
    }
}
