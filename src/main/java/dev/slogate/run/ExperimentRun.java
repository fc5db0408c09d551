package dev.slogate.run;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.Durations;
import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.ProbeSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.Stage;
import dev.slogate.experiment.Target;
import dev.slogate.experiment.ValidationException;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.FaultInjector;
import dev.slogate.fault.FaultRouter;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.backends.ClusterBackends;
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
import dev.slogate.sandbox.RunOwner;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxLock;
import dev.slogate.sandbox.SandboxShape;
import dev.slogate.slo.CapacityHistory;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.slo.SloEvaluator;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.StopConditionMonitor;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run on one timeline: brings up (or attaches to) the target, drives the load, injects and reverts the faults on
 * schedule, watches stop conditions, then judges every SLO over every window and writes the reports.
 * Whatever it injected it reverts: at each fault's end, on a stop condition, and on Ctrl-C/SIGTERM (shutdown hook);
 * the journal covers a harness killed outright ({@code slogate cleanup}).
 */
public final class ExperimentRun {
    /** Grace after the load so Prometheus (scraping every second) holds the last seconds of the run. */
    private static final Duration FINAL_SCRAPE = Duration.ofSeconds(2);

    public record Options(Path reportsDir, Path stateDir, String runId, PrintStream out, boolean tty) {
        public Path journalDir() {
            return stateDir.resolve("journal");
        }

        public Path sandboxDir() {
            return stateDir.resolve("sandbox");
        }
    }

    private final Scenario scenario;
    private final Options options;
    private final String runId;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    // synchronized on its own: the progress line reads it every second while holding Progress's lock, and inject()
    // holds this run's lock while it reports to Progress; locking the run there deadlocked (lock-order inversion)
    private final Map<String, InjectedFault> active = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<FaultSpan> spans = new ArrayList<>();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final List<RunListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FaultInjector injector;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    /** The code this run printed and recorded; the shutdown hook makes the process return it. */
    private volatile int exitCode = ExitCode.STOPPED;
    private volatile SandboxClient sandbox;
    private volatile boolean ownSandbox;
    private LoadDriver loadRunner;
    private int injectors;
    private InjectorSite injectorSite = InjectorSite.LOCAL;
    private Progress progress;
    private volatile String stopReason;
    private Probes probes = new Probes(List.of(), "");
    /** Replica watches of scaling objectives that read the Kubernetes API, or null. */
    private ClusterCapacity replicas;
    /** This run's hold on the sandbox (one run per sandbox), or null. */
    private SandboxLock sandboxLock;
    private boolean acceptSandboxShape;
    /** The run's fault journal, shared by its injectors: it tells the run when someone else reverted one of its faults. */
    private Journal journal;

    public ExperimentRun(Scenario scenario, Options options) {
        this.scenario = scenario;
        this.options = options;
        this.runId = options.runId() != null ? RunId.require(options.runId()) : newRunId(scenario.name());
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

    /** Adds a watcher of this run (before {@link #execute()}): it hears the seconds, the events and the report. */
    public ExperimentRun listen(RunListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Adds an event to the timeline and tells the watchers. */
    private void record(Event e) {
        events.add(e);
        tell(l -> l.event(e));
    }

    /** Calls every watcher; one that throws is dropped with a note, never ends the run. */
    private void tell(java.util.function.Consumer<RunListener> call) {
        for (RunListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                listeners.remove(l);
                notes.add("a run watcher (" + l.getClass().getSimpleName() + ") failed and was dropped: " + e);
            }
        }
    }

    /**
     * Runs the experiment and returns the exit code; the report is written for every code (for 2, with the problems
     * that stopped the run before its start).
     */
    public int execute() {
        PrintStream out = options.out();
        ClientTimeline timeline = injectors > 0 ? ClientTimeline.fed(scenario.load()) : ClientTimeline.forLoad(scenario.load());
        // Installed before anything starts, so a Ctrl-C during the sandbox's start-up stops it too.
        Thread hook = new Thread(this::interrupted, "slogate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        FaultRouter router = new FaultRouter();
        injector = router;
        ClusterBackends cluster = null;
        try (ClientMetrics metrics = new ClientMetrics(timeline, 0)) {
            String baseUrl;
            String prometheusUrl;
            if (scenario.target().kind() == Target.Kind.SANDBOX) {
                // first, so a second run on this sandbox stops here (exit 2) before it attaches, starts or touches anything
                sandboxLock = SandboxLock.acquire(options.sandboxDir(), RunOwner.current(runId));
                Optional<SandboxClient> running = SandboxClient.attach(options.sandboxDir());
                if (running.isPresent()) {
                    sandbox = running.get();
                    SandboxShape wanted = SandboxShape.of(scenario.target().sandbox());
                    SandboxShape found = SandboxShape.of(sandbox.state());
                    if (!found.equals(wanted) && !acceptSandboxShape) {
                        out.println("error: the running sandbox in " + options.sandboxDir() + " is " + found + "; the scenario asks for "
                                + wanted + ". Stop it (`slogate sandbox stop`) so the run starts its own, or run on it anyway"
                                + " with --accept-sandbox-shape (the report then records the shape used)");
                        return ExitCode.INVALID;
                    }
                    if (!found.equals(wanted)) {
                        notes.add("sandbox shape used: " + found + ", not the scenario's " + wanted + " (--accept-sandbox-shape)");
                    }
                    out.println("Using the running sandbox at " + sandbox.url() + (found.equals(wanted) ? "" : " (" + found
                            + ", not the scenario's " + wanted + ")"));
                } else {
                    out.printf("Starting the sandbox: %d regions x %d nodes x %d pods, HAProxy, Prometheus...%n",
                            scenario.target().sandbox().regions(), scenario.target().sandbox().nodesPerRegion(),
                            scenario.target().sandbox().podsPerNode());
                    ownSandbox = true;
                    sandbox = SandboxClient.start(scenario.target().sandbox(), options.sandboxDir(),
                            List.of("127.0.0.1:" + metrics.port()), ProcessHandle.current().pid());
                    if (!sandbox.leftoversStopped().isEmpty()) {
                        out.println("Stopped what an earlier sandbox left running: " + String.join(", ", sandbox.leftoversStopped()));
                    }
                    out.println("Sandbox up: load balancer " + sandbox.url() + ", Prometheus " + sandbox.prometheusUrl());
                }
                baseUrl = sandbox.url();
                prometheusUrl = sandbox.prometheusUrl();
                router.add(Backend.LOCAL, LocalFaultInjector.NAME, new JournaledInjector(new LocalFaultInjector(sandbox, runId, new Random()), journal()));
            } else {
                baseUrl = scenario.target().url();
                prometheusUrl = scenario.target().prometheus();
            }
            if (ClusterBackends.needed(scenario)) {
                cluster = ClusterBackends.connect(scenario.kubernetes(), journal(), runId, this::record);
                cluster.addTo(router);
            }
            var workloads = ClusterCapacity.workloads(scenario);
            if (!workloads.isEmpty()) { // a missing workload fails here, before any load, with exit 2
                replicas = ClusterCapacity.start(scenario.kubernetes(), workloads);
            }
            PrometheusClient prometheus = prometheusUrl == null ? null : PrometheusClient.builder(prometheusUrl).build();
            probes = new Probes(scenario.probes(), baseUrl, runId, sandboxDatabase());
            int preflight = preflight(baseUrl, prometheus);
            if (preflight != ExitCode.MET) {
                return preflight;
            }
            return runAndJudge(baseUrl, timeline, prometheus, sandbox);
        } catch (FaultException | IllegalStateException | java.io.UncheckedIOException e) {
            out.println("error: " + e.getMessage());
            return failed(e);
        } finally {
            revertAll("run ended");
            if (cluster != null) {
                cluster.close();
            }
            if (replicas != null) {
                replicas.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it reverts and stops by itself
            }
            stopOwnSandbox();
            if (sandboxLock != null) {
                sandboxLock.close();
            }
            finished.countDown(); // last: the shutdown hook halts the process once it is down
        }
    }

    /**
     * Everything that must hold before the first request: the target answers, Prometheus is up and accepts every
     * query of the SLO files (re-validated against the live server, so problems keep their file and line), and every
     * fault matches something.
     */
    private int preflight(String baseUrl, PrometheusClient prometheus) {
        PrintStream out = options.out();
        List<String> problems = new ArrayList<>();
        Reachability.problem("target", baseUrl).ifPresent(problems::add);
        if (prometheus != null) {
            if (!prometheus.ready()) {
                problems.add("Prometheus at " + prometheus.url() + " is unreachable or not ready; is it running? check target.prometheus");
            } else if (scenario.source() != null) {
                try {
                    new ExperimentLoader(prometheus::checkSyntax).loadScenario(scenario.source());
                } catch (ValidationException e) {
                    problems.add("Prometheus rejects a query:\n" + e.getMessage());
                }
            }
        }
        probes.open().forEach(problems::add);
        for (ScheduledFault f : scenario.faults()) {
            try {
                List<String> targets = injector.plan(f.fault());
                out.println("fault " + f.name() + " (" + f.fault().type() + ") would hit now: " + String.join(", ", targets));
            } catch (FaultException e) {
                problems.add("fault " + f.name() + ": " + e.getMessage());
            }
        }
        problems.forEach(p -> out.println("error: " + p));
        if (!problems.isEmpty()) {
            return notRun(baseUrl, problems);
        }
        if (stopReason != null) { // Ctrl-C while the sandbox was starting: nothing ran, and it says so
            long now = System.currentTimeMillis();
            return conclude(new RunReport(RunReport.SCHEMA_VERSION, runId, scenario.name(), baseUrl, now, now, ExitCode.STOPPED,
                    "Aborted before the load started: " + stopReason + "; nothing was injected.", List.copyOf(events),
                    List.of(), List.of(), List.of(), List.copyOf(notes)));
        }
        return ExitCode.MET;
    }

    /** Exit 2 before the run: the report still says why, so a CI step that shows reports/&lt;run-id&gt;/ shows it. */
    private int notRun(String target, List<String> problems) {
        return conclude(RunReport.notRun(runId, scenario.name(), target, System.currentTimeMillis(), problems));
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
                ExitCode.INCONCLUSIVE, "Inconclusive: the run failed before it could be judged: " + why, List.copyOf(events),
                List.of(), List.of(), List.of(), List.copyOf(notes)));
    }

    /** Writes the report, prints the outcome and where the report is, and returns the code all three agree on. */
    private int conclude(RunReport report) {
        Conclusion done = Conclusion.write(report, options.reportsDir(), options.out());
        exitCode = done.exitCode();
        tell(l -> l.finished(report));
        return done.print(options.out());
    }

    private int runAndJudge(String baseUrl, ClientTimeline timeline, PrometheusClient prometheus, SandboxClient sandbox) {
        PrintStream out = options.out();
        long planned = System.currentTimeMillis();
        progress = new Progress(out, options.tty(), planned, scenario.duration().toSeconds(), scenario.slos(), this::activeNames);
        StopConditionMonitor stops = new StopConditionMonitor(scenario.stopConditions());
        loadRunner = injectors > 0 ? new Fleet(injectors, injectorSite.launcher(runId, options.journalDir())) : new LoadRunner();
        // live seconds: a stall shows (and trips a stop condition) while it happens, not once its requests time out
        timeline.onLive(s -> {
            progress.second(s);
            tell(l -> l.live(s));
            stops.offer(s).ifPresent(this::stop);
        });
        timeline.onSecond(s -> tell(l -> l.second(s)));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-faults");
            t.setDaemon(true);
            return t;
        });
        // Gatling takes a few seconds to boot: the run's clock starts with its first scheduled user, not before.
        scheduler.execute(() -> scheduleFaults(timeline, scheduler, baseUrl));
        LoadResult load;
        try {
            load = loadRunner.run(new LoadPlan(baseUrl, scenario.load(), options.stateDir().resolve("gatling").resolve(runId)), timeline);
        } finally {
            scheduler.shutdownNow();
            revertAll(stopReason != null ? "stop condition" : "load finished");
            timeline.close();
            progress.finish();
        }
        List<ProbeResult> probeResults = probes.finish(); // after the faults' read-backs, before the final scrape
        long start = timeline.start().map(java.time.Instant::toEpochMilli).orElse(planned);
        long end = System.currentTimeMillis();
        failoverEvents();
        record(new Event(end, Event.Kind.RUN_END, scenario.name(), load.message() == null ? "" : load.message()));
        sleep(FINAL_SCRAPE);

        List<Window> windows = Windows.of(start, end, List.copyOf(spans), ScalingTimeline.steps(scenario, start));
        CapacityHistory capacity = ScalingTimeline.capacity(scenario, sandbox, prometheus, events, notes);
        if (replicas != null) {
            capacity = replicas.history(capacity);
            notes.addAll(replicas.notes(start, end));
        }
        SloEvaluator.Evaluation evaluation = new SloEvaluator(prometheus, capacity).withProbes(probeResults)
                .withBaselines(new ReportBaselines(options.reportsDir()))
                .evaluateWithRecoveries(scenario.slos(), windows, timeline.seconds(), List.copyOf(spans));
        List<SloResult> results = evaluation.results();
        evaluation.recoveries().forEach(r -> r.event().ifPresent(this::record));
        events.sort(java.util.Comparator.comparingLong(Event::atMillis));

        notes.addAll(loadRunner.notes());
        if (timeline.forcedTimeouts() > 0) {
            notes.add(timeline.forcedTimeouts() + " requests had no outcome by the request timeout + "
                    + "2 s after their second and count as timeouts of the second they were sent in (request "
                    + ClientTimeline.UNANSWERED + ")");
        }
        if (timeline.lateRecords() > 0) {
            notes.add(timeline.lateRecords() + " request outcomes arrived after their second was final and are in no"
                    + " second (the injector was starved of CPU?)");
        }
        Outcome judged = Outcome.judge(stopReason, load.saturated(), load.message(), results);
        int code = judged.exitCode();
        String outcome = judged.text();
        load.stages().forEach(s -> notes.add(String.format(java.util.Locale.ROOT, "stage %d (%s): target %.1f rps, achieved %.1f rps",
                s.index() + 1, s.kind(), s.targetRps(), s.achievedRps())));
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, runId, scenario.name(), baseUrl, start, end, code, outcome,
                List.copyOf(events), windows, results, timeline.seconds(), List.copyOf(notes), probeResults);
        Conclusion done = Conclusion.write(report, options.reportsDir(), out);
        exitCode = done.exitCode();
        tell(l -> l.finished(report));
        out.println();
        results.stream().filter(r -> r.verdict() != Verdict.PASS).forEach(r -> out.println("  " + r.verdict() + "  " + r.slo() + ": " + r.message()));
        return done.print(out);
    }

    private void scheduleFaults(ClientTimeline timeline, ScheduledExecutorService scheduler, String baseUrl) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (timeline.start().isEmpty()) {
            if (System.currentTimeMillis() > deadline || Thread.currentThread().isInterrupted()) {
                return;
            }
            sleep(Duration.ofMillis(10));
        }
        long start = timeline.start().get().toEpochMilli();
        progress.restartClock(start);
        tell(l -> l.started(runId, scenario, start));
        probes.start();
        record(new Event(start, Event.Kind.RUN_START, scenario.name(), "run " + runId + " against " + baseUrl));
        addStageEvents(start);
        long now = System.currentTimeMillis();
        for (ScheduledFault f : scenario.faults()) {
            scheduler.schedule(() -> inject(f), start + f.at().toMillis() - now, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> revert(f.name(), "scheduled end"), start + f.end().toMillis() - now, TimeUnit.MILLISECONDS);
        }
        if (!scenario.faults().isEmpty()) {
            scheduler.scheduleWithFixedDelay(this::noticeRevertsElsewhere, 1, 1, TimeUnit.SECONDS);
        }
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
            record(new Event(at, Event.Kind.STAGE_START, "stage " + i++, what + " for " + Durations.format(s.duration())));
            at += s.duration().toMillis();
        }
    }

    private synchronized void inject(ScheduledFault f) {
        if (stopReason != null) {
            return;
        }
        try {
            InjectedFault injected = injector.inject(f.name(), f.fault());
            active.put(f.name(), injected);
            record(new Event(injected.injectedAtMillis(), Event.Kind.FAULT_INJECTED, f.name(),
                    f.fault().type() + f.fault().kind().describe(f.fault()) + " on " + String.join(", ", injected.targets())));
            progress.event("fault " + f.name() + ": " + f.fault().type() + f.fault().kind().describe(f.fault()) + " on " + String.join(", ", injected.targets()));
        } catch (RuntimeException e) {
            notes.add("fault " + f.name() + " could not be injected: " + e.getMessage());
            progress.event("fault " + f.name() + " could not be injected: " + e.getMessage());
        }
    }

    private synchronized void revert(String name, String why) {
        InjectedFault f = active.get(name);
        if (f == null || cutIfRevertedElsewhere(name, f)) {
            return;
        }
        active.remove(name);
        long at = System.currentTimeMillis();
        try {
            injector.revert(f);
        } catch (RuntimeException e) {
            notes.add("fault " + name + " could not be reverted (" + e.getMessage() + "); run `slogate cleanup`");
        }
        at = injector.recoveredAtMillis(f).orElse(at); // Chaos Mesh's own Recover time, when it reports one
        spans.add(new FaultSpan(name, f.injectedAtMillis(), at));
        probes.faultReverted(name, f.injectedAtMillis(), at);
        record(new Event(at, Event.Kind.FAULT_REVERTED, name, why));
        if (progress != null) {
            progress.event("fault " + name + " reverted (" + why + ")");
        }
    }

    private Journal journal() {
        if (journal == null) {
            journal = new Journal(options.journalDir(), runId);
        }
        return journal;
    }

    /** Every second: has someone else (`slogate cleanup --force`) reverted an active fault of this run? */
    private synchronized void noticeRevertsElsewhere() {
        for (String name : activeNames()) {
            InjectedFault f = active.get(name);
            if (f != null) {
                cutIfRevertedElsewhere(name, f);
            }
        }
    }

    /**
     * If the journal says someone else reverted {@code f}, its window ends there: the span records why (its SLOs are
     * then not judged, so the run is inconclusive) and the run does not revert it again.
     */
    private boolean cutIfRevertedElsewhere(String name, InjectedFault f) {
        Optional<Journal.Reversal> r = journal == null ? Optional.empty() : journal.revertedElsewhere(f.id());
        if (r.isEmpty()) {
            return false;
        }
        active.remove(name);
        long at = Math.max(f.injectedAtMillis(), r.get().atMillis());
        String why = "fault " + name + " was reverted by someone else at " + Instant.ofEpochMilli(at) + ", before its scheduled end ("
                + r.get().describe() + ")";
        spans.add(new FaultSpan(name, f.injectedAtMillis(), at, why));
        probes.faultReverted(name, f.injectedAtMillis(), at);
        record(new Event(at, Event.Kind.FAULT_REVERTED, name, why));
        notes.add(why + "; the SLOs over fault:" + name + " and recovery:" + name + " are not judged");
        if (progress != null) {
            progress.event(why);
        }
        return true;
    }

    /** The sandbox's PostgreSQL servers ({@code host:port}), for JDBC probes; empty without a sandbox database. */
    private List<String> sandboxDatabase() {
        DatabaseState db = sandbox == null || scenario.probes().stream().noneMatch(ProbeSpec::isJdbc) ? null : sandbox.state().database();
        return db == null ? List.of() : db.servers().stream().map(x -> "127.0.0.1:" + x.port()).toList();
    }

    /** The sandbox database's failovers and rejoins, on the timeline. */
    private void failoverEvents() {
        try {
            DatabaseState db = sandbox == null ? null : sandbox.state().database();
            if (db != null) {
                db.failovers().forEach(f -> record(new Event(f.promotedMillis(), Event.Kind.FAILOVER, "database", f.to()
                        + " promoted to primary " + (f.promotedMillis() - f.primaryLostMillis()) + " ms after " + f.from() + " was lost")));
                db.rejoins().forEach(r -> record(new Event(r.endedMillis(), Event.Kind.NOTE, "database", r.failure() == null
                        ? r.server() + " rejoined as the standby of " + r.primary() + " (rebuilt and streaming in "
                                + (r.endedMillis() - r.startedMillis()) + " ms)"
                        : "rejoining " + r.server() + " as the standby of " + r.primary() + " failed: " + r.failure()
                                + "; a later outage of " + r.primary() + "'s region cannot fail over")));
            }
        } catch (RuntimeException e) {
            notes.add("could not read the sandbox's failovers: " + e.getMessage());
        }
    }

    private synchronized void revertAll(String why) {
        for (String name : activeNames()) {
            revert(name, why);
        }
    }

    private List<String> activeNames() {
        synchronized (active) {
            return List.copyOf(active.keySet());
        }
    }

    private void stop(String reason) {
        if (stopReason != null) {
            return;
        }
        stopReason = reason;
        record(new Event(System.currentTimeMillis(), Event.Kind.STOP_CONDITION, "stop", reason));
        progress.event("STOP: " + reason + "; reverting faults and ending the load");
        revertAll("stop condition");
        loadRunner.stop(reason);
    }

    /**
     * Ctrl-C or SIGTERM: end the load, revert every fault, stop a sandbox this run started; once the run has written
     * its report, end the process with the code it printed and recorded (3, aborted; 4 if the report could not be
     * written). Without the halt the JVM would exit 130 or 143, a code the console and report.json never showed.
     */
    private void interrupted() {
        stopReason = stopReason == null ? "interrupted (Ctrl-C or SIGTERM)" : stopReason;
        if (loadRunner != null) {
            loadRunner.stop("interrupted");
        }
        revertAll("interrupted");
        boolean ended = false;
        try {
            // let the run judge what it saw and write its report (Prometheus still up) before the sandbox goes
            ended = finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopOwnSandbox();
        int code = exitCode;
        options.out().println("slogate: interrupted; every fault was reverted" + (ended ? "" : "; the run did not end"
                + " within 30 s and wrote no report") + " (exit " + code + ").");
        options.out().flush();
        Runtime.getRuntime().halt(code);
    }

    /** Stops the sandbox this run started, also one still starting up (its daemon stops what it started on SIGTERM). */
    private synchronized void stopOwnSandbox() {
        if (!ownSandbox) {
            return;
        }
        ownSandbox = false;
        if (sandbox != null) {
            sandbox.stop();
        } else {
            SandboxClient.readStateFile(options.sandboxDir())
                    .flatMap(s -> ProcessHandle.of(s.daemonPid()))
                    .ifPresent(ProcessHandle::destroy);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
