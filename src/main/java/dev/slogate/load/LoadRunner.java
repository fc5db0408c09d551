package dev.slogate.load;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link Load} with Gatling embedded in this JVM and records it into a {@link ClientTimeline}.
 * {@link #run} blocks until the load ends; {@link #stop} ends it early from any thread.
 * The JVM needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (Gatling reflects into java.lang).
 */
public final class LoadRunner implements LoadDriver {
    /** A constant stage below this fraction of its target means the injector, not the target, was the limit. */
    static final double SATURATION = 0.95;
    /** This many consecutive short seconds mean the injector fell behind, even if it caught up in bursts later. */
    static final int BEHIND_SECONDS = 3;

    /** Netty's own property for its event loop count, read once per JVM when Gatling first boots; a user's value wins. */
    static final String EVENT_LOOPS_PROPERTY = "io.netty.eventLoopThreads";
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    /**
     * The rate one event loop carries with room to spare. Fewer loops batch more I/O per wake-up (on 2 cores one loop
     * cost 0.72-0.79x the CPU per request of two at 3k-10k rps), but one loop is one thread: it held 20k rps for 60 s
     * on 2 cores beside HAProxy and fell behind at 25k while the JIT was still compiling, where two held 25k (bench/scale).
     */
    static final double RPS_PER_EVENT_LOOP = 12_000;

    static {
        // Netty's default leak detector records a stack trace for one buffer in 128: 1-2 % of the open model's CPU
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            System.setProperty(LEAK_DETECTION_PROPERTY, "disabled");
        }
    }

    /** One event loop per {@value #RPS_PER_EVENT_LOOP} rps of the load's peak, at least one, at most one per core. */
    static int eventLoops(double peakRps, int cores) {
        return (int) Math.max(1, Math.min(cores, Math.ceil(peakRps / RPS_PER_EVENT_LOOP)));
    }

    /** Sets Netty's event loop count for this JVM from the first load it runs (Gatling otherwise takes two per core). */
    private static synchronized void chooseEventLoops(Load load) {
        if (System.getProperty(EVENT_LOOPS_PROPERTY) == null) {
            System.setProperty(EVENT_LOOPS_PROPERTY, String.valueOf(eventLoops(load.peakRate(),
                    Runtime.getRuntime().availableProcessors())));
        }
    }

    private volatile LoadHooks.ActiveRun current;
    private volatile String pendingStop;
    private volatile long stoppedAtMillis = -1;
    private volatile Runnable startGate;
    private volatile GatlingEngine own;

    /**
     * Blocks the load's start on {@code gate} (run once, on Gatling's thread, after Gatling booted and before the first
     * user): a fleet of injectors waits there for a common start time. For a user's own simulation the gate runs just
     * before Gatling boots, so injectors release less precisely.
     */
    public LoadRunner startGate(Runnable gate) {
        this.startGate = gate;
        return this;
    }

    @Override
    public LoadResult run(LoadPlan plan, ClientTimeline timeline) {
        Load load = plan.load();
        if (load.stages().isEmpty()) {
            throw new IllegalArgumentException("the load has no stages; add at least one hold, ramp or step under spec.load.stages");
        }
        Path results = plan.workDir().resolve("gatling");
        try {
            Files.createDirectories(results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Gatling's results directory " + results + ": " + e.getMessage(), e);
        }
        chooseEventLoops(load);
        if (load.isOwnSimulation()) {
            return runOwn(plan, timeline, results);
        }
        String simulation = load.simulation() == null || load.simulation().isBlank()
                ? GenericSimulation.class.getName() : load.simulation();
        LoadHooks.ActiveRun run = new LoadHooks.ActiveRun(plan, timeline);
        run.stopReason = pendingStop;
        run.startGate = startGate;
        if (!simulation.equals(GenericSimulation.class.getName())) {
            run.passStartGate();
        }
        LoadHooks.begin(run);
        current = run;
        int exitCode;
        try {
            exitCode = io.gatling.app.Gatling$.MODULE$.fromArgs(
                    new String[] {"-s", simulation, "-rf", results.toString(), "-nr"});
        } finally {
            current = null;
            LoadHooks.end(run);
        }
        long endMillis = stoppedAtMillis >= 0 ? stoppedAtMillis : System.currentTimeMillis();
        if (timeline.start().isEmpty()) {
            return new LoadResult(exitCode, List.of(), false, "Gatling exited with code " + exitCode
                    + " before sending any request" + (simulation.equals(load.simulation())
                    ? "; a user simulation must wrap requests in LoadHooks.measured(...) to be recorded" : ""));
        }
        long startMillis = timeline.start().get().toEpochMilli();
        // every request has its outcome once Gatling returns, so the last second turns final within a tick or two
        timeline.awaitFinal(Math.min(endMillis, startMillis + load.duration().toMillis()) / 1000 - 1);
        return withDropped(summarize(load, startMillis, endMillis, timeline.seconds(), exitCode, run.stopReason), run.pool);
    }

    /**
     * Arrivals the pool dropped (not started within {@link ArrivalPool#DROP_AFTER_NANOS} of their tick: the injector had
     * no CPU or every user was busy), as a note. Whether they made the injector the limit is judged where every
     * shortfall is, by {@link #summarize}: a dropped arrival is one its second did not send.
     */
    static LoadResult withDropped(LoadResult r, ArrivalPool pool) {
        if (pool == null || pool.dropped() == 0) {
            return r;
        }
        String note = String.format(Locale.ROOT, "%d of %d arrivals were not sent: no user could start them within %d ms"
                + " of when they were due (the injector had no CPU, or every user was busy)", pool.dropped(),
                pool.started(), ArrivalPool.DROP_AFTER_NANOS / 1_000_000);
        return new LoadResult(r.gatlingExitCode(), r.stages(), r.saturated(), r.message() + "; " + note);
    }

    /**
     * A user's own simulation from its own jar: Gatling runs it as written, every response it records goes into the
     * timeline under the second it was sent in, and slogate ends it when the scenario's stages end if it has not ended.
     */
    private LoadResult runOwn(LoadPlan plan, ClientTimeline timeline, Path results) {
        Load load = plan.load();
        OwnSimulation simulation = OwnSimulation.open(load);
        GatlingEngine engine = new GatlingEngine(timeline, load.requestTimeout() != null ? load.requestTimeout()
                : ClientTimeline.DEFAULT_REQUEST_TIMEOUT);
        own = engine;
        if (pendingStop != null) {
            engine.stop(pendingStop);
        }
        java.util.Timer end = new java.util.Timer("slogate-simulation-end", true);
        int exitCode;
        try {
            exitCode = engine.run(simulation, results, plan.baseUrl(), () -> {
                Runnable gate = startGate;
                if (gate != null) {
                    gate.run();
                }
                timeline.markStart(java.time.Instant.now());
                end.schedule(new java.util.TimerTask() {
                    @Override
                    public void run() {
                        engine.stop("the scenario's stages ended");
                    }
                }, load.duration().toMillis());
            });
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the simulation " + load.simulation() + " could not run: " + e, e);
        } finally {
            end.cancel();
            own = null;
        }
        long endMillis = stoppedAtMillis >= 0 ? stoppedAtMillis : System.currentTimeMillis();
        String crashes = engine.crashes();
        if (timeline.start().isEmpty() || engine.responses() == 0) {
            return new LoadResult(exitCode, List.of(), false, "the simulation " + load.simulation() + " ended before"
                    + " sending any request" + (crashes.isEmpty() ? "" : "; " + crashes));
        }
        long startMillis = timeline.start().get().toEpochMilli();
        timeline.awaitFinal(Math.min(endMillis, startMillis + load.duration().toMillis()) / 1000 - 1);
        LoadResult r = summarize(load, startMillis, endMillis, timeline.seconds(), exitCode, pendingStop);
        return crashes.isEmpty() ? r : new LoadResult(r.gatlingExitCode(), r.stages(), r.saturated(), r.message() + "; " + crashes);
    }

    /** Ends the running load early (a stop condition, Ctrl-C). Safe from any thread; before {@link #run} it pre-arms. */
    @Override
    public void stop(String reason) {
        String r = reason == null || reason.isBlank() ? "stopped" : reason;
        pendingStop = r;
        GatlingEngine engine = own;
        if (engine != null) {
            if (stoppedAtMillis < 0) {
                stoppedAtMillis = System.currentTimeMillis();
            }
            engine.stop(r);
        }
        LoadHooks.ActiveRun run = current;
        if (run != null && run.stopReason == null) {
            stoppedAtMillis = System.currentTimeMillis();
            run.stopReason = r;
        }
    }

    /** Per-stage achieved rates from the timeline's seconds, and whether the injector (or fleet) kept up. */
    public static LoadResult summarize(Load load, long startMillis, long endMillis, List<ClientSecond> seconds,
                                int exitCode, String stopReason) {
        Map<Long, ClientSecond> bySecond = new HashMap<>();
        seconds.forEach(s -> bySecond.put(s.epochSecond(), s));
        List<StageResult> stages = new ArrayList<>();
        List<String> shortfalls = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < load.stages().size(); i++) {
            Stage stage = load.stages().get(i);
            long stageStart = startMillis + offset;
            long stageEnd = Math.min(stageStart + stage.duration().toMillis(), endMillis);
            offset += stage.duration().toMillis();
            // whole seconds inside the stage, skipping the first one
            long first = Math.floorDiv(stageStart + 999, 1000) + 1;
            long endExclusive = Math.floorDiv(stageEnd, 1000);
            double target = 0;
            long sent = 0;
            int n = 0;
            int shortRun = 0;
            int longestShortRun = 0;
            long lowest = Long.MAX_VALUE;
            for (long s = first; s < endExclusive; s++) {
                ClientSecond cs = bySecond.get(s);
                if (cs != null) {
                    double secondTarget = stage.rateAt(Duration.ofMillis(s * 1000 + 500 - stageStart));
                    target += secondTarget;
                    sent += cs.sent();
                    n++;
                    // one request of slack per second for low rates
                    shortRun = cs.sent() < SATURATION * secondTarget - 1 ? shortRun + 1 : 0;
                    longestShortRun = Math.max(longestShortRun, shortRun);
                    lowest = Math.min(lowest, cs.sent());
                }
            }
            String kind = stage.kind().name().toLowerCase(Locale.ROOT);
            double meanTarget = n == 0 ? stage.rateAt(stage.duration().dividedBy(2)) : target / n;
            double achieved = n == 0 ? Double.NaN : (double) sent / n;
            stages.add(new StageResult(i, kind, meanTarget, achieved));
            // one request of slack over the stage, so very low rates are not flagged for rounding
            if (load.isOwnSimulation()) {
                continue; // the simulation sets its own rate; the stages' rates are only what the team expects
            }
            if (stage.isConstant() && n > 0 && sent < SATURATION * target - 1) {
                shortfalls.add(String.format(Locale.ROOT, "stage %d (%s) targeted %.0f rps but sent %.0f rps (%.0f %%)",
                        i + 1, kind, meanTarget, achieved, 100 * achieved / meanTarget));
            } else if (stage.isConstant() && longestShortRun >= BEHIND_SECONDS) {
                // Gatling starts overdue users late, so a mean can look fine after the injector stalled
                shortfalls.add(String.format(Locale.ROOT, "stage %d (%s) targeted %.0f rps but fell behind for %d"
                        + " seconds in a row (as low as %d rps) and caught up in bursts", i + 1, kind, meanTarget,
                        longestShortRun, lowest));
            }
        }
        boolean saturated = !shortfalls.isEmpty();
        StringBuilder message = new StringBuilder();
        if (saturated) {
            message.append("the injector could not hold the requested rate: ").append(String.join("; ", shortfalls))
                    .append(". The results describe the injector, not the system under test: send fewer rps per")
                    .append(" injector (split the load over more injectors) and check the injector's CPU: it needs cores")
                    .append(" of its own, and above ~1000 rps a warm-up (LoadPlan.warmUp) so that it starts warm.");
        } else {
            message.append("load ran as planned");
        }
        if (stopReason != null) {
            message.append(saturated ? " " : "; ").append("stopped early: ").append(stopReason);
        }
        if (exitCode != 0) {
            message.append(" (Gatling exit code ").append(exitCode).append(')');
        }
        return new LoadResult(exitCode, stages, saturated, message.toString());
    }
}
