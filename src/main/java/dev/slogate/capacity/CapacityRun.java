package dev.slogate.capacity;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.ObjectiveKind;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Stage;
import dev.slogate.experiment.Target;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.FaultInjector;
import dev.slogate.fault.InjectedFault;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import dev.slogate.load.LoadRunner;
import dev.slogate.report.Reports;
import dev.slogate.run.ExitCode;
import dev.slogate.run.TargetSetup;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.slo.SloEvaluator;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import dev.slogate.yaml.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import static dev.slogate.timeline.Sleep.sleep;

/**
 * {@code slogate capacity}: the scenario's target, requests and SLOs, but instead of its stages a search for the
 * highest rate at which every SLO still holds ({@link CapacitySearch}). Each step holds one rate for a settle period
 * (not judged) and then a judged period, evaluated like a run's {@code run} and {@code steady} windows (and
 * {@code fault:<name>} when a fault is active during every step). RTO objectives are not judged: a step has no recovery.
 * After a step that broke, the target gets time to drain its queue before the next one.
 */
public final class CapacityRun {
    /** Search settings; durations are per step. */
    public record Settings(CapacitySearch search, Duration settle, Duration judge, String fault) {
    }

    private final Scenario scenario;
    private final Settings settings;
    private final Path reportsDir;
    private final Path stateDir;
    private final String runId;
    private final PrintStream out;
    // What a Ctrl-C must undo: the fault of the step in progress and a sandbox this search started.
    private volatile FaultInjector activeInjector;
    private volatile InjectedFault activeFault;
    private volatile TargetSetup target;

    public CapacityRun(Scenario scenario, Settings settings, Path reportsDir, Path stateDir, String runId, PrintStream out) {
        this.scenario = scenario;
        this.settings = settings;
        this.reportsDir = reportsDir;
        this.stateDir = stateDir;
        this.runId = runId;
        this.out = out;
    }

    /** Runs the search, writes capacity.html and capacity.json under reports/&lt;run-id&gt;/, returns the exit code. */
    public int execute() {
        // one run per sandbox: a capacity search shares it with nothing (exit 2 if a run holds it); any shape will do
        target = new TargetSetup(scenario, stateDir, runId, out).acceptSandboxShape(true);
        Thread hook = new Thread(this::interrupted, "slogate-capacity-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ScheduledFault fault = null;
            if (settings.fault() != null) {
                fault = scenario.faults().stream().filter(f -> f.name().equals(settings.fault())).findFirst().orElse(null);
                if (fault == null) {
                    out.println("error: the scenario has no fault named '" + settings.fault() + "'; it has: "
                            + String.join(", ", scenario.faults().stream().map(ScheduledFault::name).toList()));
                    return ExitCode.INVALID;
                }
                if (scenario.target().kind() != Target.Kind.SANDBOX) {
                    out.println("error: a fault during capacity steps needs the sandbox target; a url target has no fault backend");
                    return ExitCode.INVALID;
                }
            }
            target.open();
            String baseUrl = target.baseUrl();
            String prometheusUrl = target.prometheusUrl();
            FaultInjector injector = target.faults();
            PrometheusClient prometheus = prometheusUrl == null ? null : PrometheusClient.builder(prometheusUrl).build();
            List<SloDef> slos = scenario.slos().stream().filter(s -> s.kind().scope() != ObjectiveKind.Scope.FAULTS).toList();
            if (slos.isEmpty()) {
                out.println("error: the scenario has no SLO a capacity step can judge (RTO objectives need a fault's recovery);"
                        + " add a latency or error-rate objective");
                return ExitCode.INVALID;
            }
            Stepper stepper = new Stepper(baseUrl, prometheus, slos, injector, fault);
            out.printf(Locale.ROOT, "Capacity of %s: %s, each step %s settle + %s judged%s%n", scenario.name(),
                    settings.search(), fmt(settings.settle()), fmt(settings.judge()),
                    fault == null ? "" : ", with fault " + fault.name() + " active during every step");
            out.println(" step   target rps  achieved      p50      p95      p99   errors  SLOs");
            CapacitySearch.Outcome o = settings.search().run(stepper::step);
            CapacityResult result = result(o, baseUrl);
            Path dir = null;
            try {
                dir = Reports.directory(reportsDir, runId);
                CapacityReport.write(result, dir);
            } catch (IOException e) {
                // a result nobody can read back is no result: never a pass, and the console says why
                out.println("error: " + e.getMessage());
                dir = null;
                result = new CapacityResult(result.runId(), result.scenario(), result.target(), result.fault(), result.steps(),
                        result.maxSustainableRps(), result.lowestBrokenRps(), result.firstBroken(), ExitCode.INCONCLUSIVE,
                        "Inconclusive: the capacity report could not be written. The search itself: " + result.outcome()
                                + " (exit " + result.exitCode() + ")");
            }
            out.println();
            out.println(result.outcome() + " (exit " + result.exitCode() + ")");
            if (dir != null) {
                out.println("Report: " + dir.resolve("capacity.html").toAbsolutePath());
            }
            return result.exitCode();
        } catch (FaultException | IllegalStateException | UncheckedIOException e) {
            out.println("error: " + e.getMessage());
            return ExitCode.INVALID;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and undoes what is left
            }
            target.close(); // a sandbox this search started, the sandbox lock
        }
    }

    /**
     * Ctrl-C or SIGTERM mid-search: revert the step's fault and stop a sandbox the search started (both idempotent),
     * then end the process with 3 (aborted), the code it prints, rather than the JVM's 130 or 143.
     */
    private void interrupted() {
        InjectedFault fault = activeFault;
        if (fault != null) {
            try {
                activeInjector.revert(fault);
                out.println("slogate: interrupted; reverted fault " + fault.name() + ".");
            } catch (RuntimeException e) {
                out.println("slogate: interrupted; could not revert fault " + fault.name() + " (" + e.getMessage()
                        + "); run `slogate cleanup`.");
            }
        }
        target.stopOwnSandbox();
        out.println("slogate: capacity search interrupted; no report written (exit " + ExitCode.STOPPED + ").");
        out.flush();
        Runtime.getRuntime().halt(ExitCode.STOPPED);
    }

    private CapacityResult result(CapacitySearch.Outcome o, String baseUrl) {
        Double max = o.highestHeld() == null ? null : o.highestHeld().targetRps();
        Double broke = o.lowestBroken() == null ? null : o.lowestBroken().targetRps();
        List<String> first = o.lowestBroken() == null ? List.of() : o.lowestBroken().broken();
        int code;
        String text;
        if (o.saturated() != null) {
            code = ExitCode.INCONCLUSIVE;
            text = String.format(Locale.ROOT, "Inconclusive: the injector could not send %.0f rps (sent %.0f rps);"
                    + " the capacity is at least %s. Run the search from more injector cores.", o.saturated().targetRps(),
                    o.saturated().achievedRps(), max == null ? "unknown" : rps(max));
        } else if (o.ceilingReached()) {
            code = ExitCode.INCONCLUSIVE;
            text = "Inconclusive: every SLO held up to the ceiling of " + rps(max) + "; raise --max to find the knee.";
        } else if (max == null && broke != null) {
            code = ExitCode.SLO_FAILED;
            text = "SLOs broke already at the first rate, " + rps(broke) + ": " + String.join("; ", first)
                    + ". Start lower (--from).";
        } else if (max != null && broke != null) {
            code = ExitCode.MET;
            text = String.format(Locale.ROOT, "Maximum sustainable rate: %s (SLOs hold); at %s %s broke first: %s",
                    rps(max), rps(broke), first.size() == 1 ? "this SLO" : "these SLOs", String.join("; ", first));
        } else {
            code = ExitCode.INCONCLUSIVE;
            text = "Inconclusive: the search ran out of steps before any SLO broke; the capacity is at least "
                    + (max == null ? "unknown" : rps(max)) + ".";
        }
        return new CapacityResult(runId, scenario.name(), baseUrl, settings.fault(), o.steps(), max, broke, first, code, text);
    }

    /** Runs and judges one step; keeps the JVM (and Gatling's classes) warm between steps. */
    private final class Stepper {
        private final String baseUrl;
        private final PrometheusClient prometheus;
        private final List<SloDef> slos;
        private final FaultInjector injector;
        private final ScheduledFault fault;
        private boolean drainNext;

        Stepper(String baseUrl, PrometheusClient prometheus, List<SloDef> slos, FaultInjector injector, ScheduledFault fault) {
            this.baseUrl = baseUrl;
            this.prometheus = prometheus;
            this.slos = slos;
            this.injector = injector;
            this.fault = fault;
        }

        CapacityStep step(int index, double rps) {
            if (drainNext) {
                drain();
            }
            Load base = scenario.load();
            Load load = base.withStages(List.of(new Stage(Stage.Kind.HOLD, new Rate(rps), new Rate(rps),
                    settings.settle().plus(settings.judge()))));
            ClientTimeline timeline = ClientTimeline.forLoad(load);
            InjectedFault injected = fault == null ? null : injector.inject(fault.name(), fault.fault());
            activeInjector = injector;
            activeFault = injected;
            LoadResult result;
            long end;
            try {
                // a short warm-up from 1000 rps: the JVM is warm after the first step, the connection pool is not
                Duration warmUp = rps >= 1000 ? Duration.ofSeconds(3) : Duration.ZERO;
                result = new LoadRunner().run(new LoadPlan(baseUrl, load, stateDir.resolve("gatling").resolve(runId)
                        .resolve("step-" + index), warmUp), timeline);
                end = System.currentTimeMillis();
            } finally {
                timeline.close();
                if (injected != null) {
                    activeFault = null;
                    injector.revert(injected);
                }
            }
            long start = timeline.start().map(Instant::toEpochMilli).orElse(end);
            long judgeStart = Math.min(end, start + settings.settle().toMillis());
            long judgeEnd = Math.min(end, start + settings.settle().plus(settings.judge()).toMillis());
            if (prometheus != null && slos.stream().anyMatch(SloDef::readsPrometheus)) {
                sleep(2_000); // Prometheus scrapes every second: let it hold the step's last second
            }
            List<Window> windows = new ArrayList<>(List.of(new Window(Windows.RUN, judgeStart, judgeEnd),
                    new Window(Windows.STEADY, judgeStart, judgeEnd)));
            List<FaultSpan> spans = new ArrayList<>();
            if (fault != null) {
                windows.add(new Window(Windows.FAULT_PREFIX + fault.name(), judgeStart, judgeEnd));
                spans.add(new FaultSpan(fault.name(), judgeStart, judgeEnd));
            }
            List<SloResult> results = new SloEvaluator(prometheus).evaluate(slos, windows, timeline.seconds(), spans);
            List<String> broken = results.stream().filter(r -> r.verdict() == Verdict.FAIL)
                    .map(r -> r.slo() + " (" + r.message() + ")").distinct().toList();
            boolean judged = results.stream().anyMatch(r -> r.verdict() != Verdict.NO_DATA);
            CapacityStep step = stats(index, rps, timeline.seconds(), judgeStart, judgeEnd,
                    judged && broken.isEmpty(), result.saturated(), judged ? broken : List.of("no SLO had data in the step"));
            drainNext = !step.held();
            print(step);
            return step;
        }

        /** After an overloaded step, waits (up to 30 s) until one request is answered about as fast as when idle. */
        private void drain() {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            // a journey's first path may read feeders or extracted values: the drain then asks for / instead
            String path = !scenario.load().requests().isEmpty() ? scenario.load().requests().get(0).path()
                    : scenario.load().journeys().get(0).steps().get(0).path().contains("${") ? "/"
                    : scenario.load().journeys().get(0).steps().get(0).path();
            HttpRequest get = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).GET().build();
            long deadline = System.currentTimeMillis() + 30_000;
            long best = Long.MAX_VALUE;
            int fast = 0;
            while (System.currentTimeMillis() < deadline && fast < 3) {
                long t0 = System.nanoTime();
                try {
                    http.send(get, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    sleep(200);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                best = Math.min(best, ms);
                // drained when three answers in a row come within 20 ms of the quickest seen
                fast = ms <= best + 20 ? fast + 1 : 0;
                sleep(100);
            }
        }

        private void print(CapacityStep s) {
            out.printf(Locale.ROOT, "%5d %12.0f %9.0f %8s %8s %8s %7.2f%%  %s%n", s.index(), s.targetRps(), s.achievedRps(),
                    ms(s.p50Ms()), ms(s.p95Ms()), ms(s.p99Ms()), s.errorPercent(),
                    s.saturated() ? "injector could not send the rate" : s.held() ? "hold" : "BROKE: " + String.join("; ", s.broken()));
        }
    }

    static CapacityStep stats(int index, double rps, List<ClientSecond> seconds, long fromMillis, long toMillis,
                              boolean held, boolean saturated, List<String> broken) {
        Histogram h = LatencyHistograms.create();
        long sent = 0;
        long completed = 0;
        long failed = 0;
        int n = 0;
        for (ClientSecond s : seconds) {
            long begin = s.epochSecond() * 1000;
            // latency and errors over every second touching the window, as the SLO evaluator counts a run window
            if (begin < toMillis && begin + 1000 > fromMillis) {
                h.add(s.merged());
                completed += s.completed();
                failed += s.failed();
            }
            // the rate over whole seconds only
            if (begin >= fromMillis && begin + 1000 <= toMillis) {
                sent += s.sent();
                n++;
            }
        }
        boolean any = h.getTotalCount() > 0;
        return new CapacityStep(index, rps, n == 0 ? 0 : (double) sent / n,
                any ? h.getValueAtPercentile(50) / 1000.0 : null, any ? h.getValueAtPercentile(95) / 1000.0 : null,
                any ? h.getValueAtPercentile(99) / 1000.0 : null, completed == 0 ? 0 : 100.0 * failed / completed,
                held, saturated, broken);
    }

    private static String ms(Double v) {
        return v == null ? "-" : v < 10 ? String.format(Locale.ROOT, "%.1fms", v) : String.format(Locale.ROOT, "%.0fms", v);
    }

    private static String rps(Double v) {
        return String.format(Locale.ROOT, "%.0f rps", v);
    }

    private static String fmt(Duration d) {
        return Durations.format(d);
    }
}
