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
public final class LoadRunner {
    /** A constant stage below this fraction of its target means the injector, not the target, was the limit. */
    static final double SATURATION = 0.95;

    private volatile LoadHooks.ActiveRun current;
    private volatile String pendingStop;
    private volatile long stoppedAtMillis = -1;

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
        String simulation = load.simulation() == null || load.simulation().isBlank()
                ? GenericSimulation.class.getName() : load.simulation();
        LoadHooks.ActiveRun run = new LoadHooks.ActiveRun(plan, timeline);
        run.stopReason = pendingStop;
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
        awaitSecondClosed(timeline, Math.min(endMillis, startMillis + load.duration().toMillis()) / 1000 - 1);
        return summarize(load, startMillis, endMillis, timeline.seconds(), exitCode, run.stopReason);
    }

    /** Ends the running load early (a stop condition, Ctrl-C). Safe from any thread; before {@link #run} it pre-arms. */
    public void stop(String reason) {
        String r = reason == null || reason.isBlank() ? "stopped" : reason;
        pendingStop = r;
        LoadHooks.ActiveRun run = current;
        if (run != null && run.stopReason == null) {
            stoppedAtMillis = System.currentTimeMillis();
            run.stopReason = r;
        }
    }

    private static void awaitSecondClosed(ClientTimeline timeline, long second) {
        long deadline = System.currentTimeMillis() + 2_500;
        while (timeline.latest().map(s -> s.epochSecond() < second).orElse(true) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Per-stage achieved rates from the timeline's seconds, and whether the injector kept up. */
    static LoadResult summarize(Load load, long startMillis, long endMillis, List<ClientSecond> seconds,
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
            for (long s = first; s < endExclusive; s++) {
                ClientSecond cs = bySecond.get(s);
                if (cs != null) {
                    target += stage.rateAt(Duration.ofMillis(s * 1000 + 500 - stageStart));
                    sent += cs.sent();
                    n++;
                }
            }
            String kind = stage.kind().name().toLowerCase(Locale.ROOT);
            double meanTarget = n == 0 ? stage.rateAt(stage.duration().dividedBy(2)) : target / n;
            double achieved = n == 0 ? Double.NaN : (double) sent / n;
            stages.add(new StageResult(i, kind, meanTarget, achieved));
            // one request of slack over the stage, so very low rates are not flagged for rounding
            if (stage.isConstant() && n > 0 && sent < SATURATION * target - 1) {
                shortfalls.add(String.format(Locale.ROOT, "stage %d (%s) targeted %.0f rps but sent %.0f rps (%.0f %%)",
                        i + 1, kind, meanTarget, achieved, 100 * achieved / meanTarget));
            }
        }
        boolean saturated = !shortfalls.isEmpty();
        StringBuilder message = new StringBuilder();
        if (saturated) {
            message.append("the injector could not hold the requested rate: ").append(String.join("; ", shortfalls))
                    .append(". The results describe the injector, not the system under test: send fewer rps per")
                    .append(" injector (split the load over more injectors) and check the injector's CPU (2 cores")
                    .append(" shared with other processes will not do).");
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
