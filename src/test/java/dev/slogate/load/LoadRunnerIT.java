package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.sandbox.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Gatling embedded against a local JDK HTTP server: the rate, the mix, the status classes, the latency and stop(). */
@Timeout(60)
class LoadRunnerIT {
    @TempDir
    Path work;

    private static Stage hold(double rps, Duration d) {
        return new Stage(Stage.Kind.HOLD, new Rate(rps), new Rate(rps), d);
    }

    private static RequestSpec get(String name, String path, int weight) {
        return new RequestSpec(name, "GET", path, Map.of(), null, 200, weight);
    }

    private record Outcome(LoadResult result, List<ClientSecond> seconds) {
        long sum(java.util.function.ToLongFunction<ClientSecond> f) {
            return seconds.stream().mapToLong(f).sum();
        }

        long count(String request, StatusClass status) {
            return seconds.stream().mapToLong(s -> {
                Histogram h = s.latency().get(new ClientSecond.SeriesKey(request, status));
                return h == null ? 0 : h.getTotalCount();
            }).sum();
        }

        Histogram merged() {
            Histogram all = LatencyHistograms.create();
            seconds.forEach(s -> all.add(s.merged()));
            return all;
        }
    }

    private Outcome run(String baseUrl, Load load) {
        ClientTimeline timeline = ClientTimeline.forLoad(load);
        LoadResult result;
        try {
            result = new LoadRunner().run(new LoadPlan(baseUrl, load, work), timeline);
        } finally {
            timeline.close(); // closes the last partial second
        }
        return new Outcome(result, timeline.seconds());
    }

    @Test
    void holds200RpsAndClassifiesEveryResponse() {
        try (TestTarget target = new TestTarget(4)) {
            Load load = new Load(List.of(hold(200, Duration.ofSeconds(4))),
                    List.of(get("home", "/", 3), get("broken", "/fail", 1)), null, Duration.ofSeconds(5));
            ClientTimeline timeline = ClientTimeline.forLoad(load);
            LoadResult result = new LoadRunner().run(new LoadPlan(target.baseUrl(), load, work), timeline);
            timeline.close();
            Outcome o = new Outcome(result, timeline.seconds());

            long sent = o.sum(ClientSecond::sent);
            assertTrue(Math.abs(sent - 800) <= 8, "sent " + sent + ", expected 800 +- 1 %");
            assertEquals(sent, o.sum(ClientSecond::completed), "every sent request is recorded exactly once");
            assertEquals(0, o.count("home", StatusClass.HTTP_ERROR) + o.count("broken", StatusClass.OK));
            long broken = o.count("broken", StatusClass.HTTP_ERROR);
            assertTrue(broken > 120 && broken < 280, "about a quarter of 800 go to /fail, got " + broken);
            assertEquals(sent, o.count("home", StatusClass.OK) + broken);

            assertEquals(0, result.gatlingExitCode(), result.message());
            assertFalse(result.saturated(), result.message());
            StageResult stage = result.stages().get(0);
            assertEquals(200, stage.targetRps(), 0.001);
            assertEquals(200, stage.achievedRps(), 10, "achieved " + stage.achievedRps());
            // each whole second of the hold (not the first, not the partial last) is near 200
            long start = timeline.start().orElseThrow().toEpochMilli();
            o.seconds.stream().filter(s -> s.epochSecond() * 1000 >= start + 1000 && (s.epochSecond() + 1) * 1000 <= start + 4000)
                    .forEach(s -> {
                        assertEquals(200, s.sent(), 20, "second " + s.epochSecond());
                        assertEquals(200, s.targetRps(), 0.001);
                    });
        }
    }

    @Test
    void warmUpRunsBeforeTheClockStartsAndIsNotRecorded() {
        try (TestTarget target = new TestTarget(4)) {
            Load load = new Load(List.of(hold(100, Duration.ofSeconds(2))), List.of(get("home", "/", 1)), null, Duration.ofSeconds(5));
            ClientTimeline timeline = ClientTimeline.forLoad(load);
            long called = System.currentTimeMillis();
            LoadResult result = new LoadRunner().run(new LoadPlan(target.baseUrl(), load, work, Duration.ofSeconds(2)), timeline);
            timeline.close();
            long sent = timeline.seconds().stream().mapToLong(ClientSecond::sent).sum();
            assertEquals(200, sent, 4, "only the stage is recorded");
            assertTrue(target.served() >= sent + 80, "the warm-up ramp (10 -> 100 rps over 2 s) reached the target too: "
                    + target.served() + " served, " + sent + " recorded");
            assertTrue(timeline.start().orElseThrow().toEpochMilli() >= called + 2_000, "the clock starts after the warm-up");
            assertTrue(timeline.seconds().get(0).epochSecond() >= timeline.start().get().getEpochSecond());
            assertFalse(result.saturated(), result.message());
        }
    }

    @Test
    void defaultWarmUpIsLongForHighRatesShortBelowAndNoneFromZero() {
        Load idle = new Load(List.of(hold(0, Duration.ofSeconds(1))), List.of(), null, Duration.ofSeconds(1));
        Load slow = new Load(List.of(hold(200, Duration.ofSeconds(1))), List.of(), null, Duration.ofSeconds(1));
        Load fast = new Load(List.of(hold(5_000, Duration.ofSeconds(1))), List.of(), null, Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, new LoadPlan("http://x", idle, work).warmUp());
        assertEquals(Duration.ofSeconds(3), new LoadPlan("http://x", slow, work).warmUp());
        assertEquals(Duration.ofSeconds(10), new LoadPlan("http://x", fast, work).warmUp());
    }

    @Test
    void userSimulationIsRecordedThroughTheHooks() {
        try (TestTarget target = new TestTarget(4)) {
            System.setProperty("hooked.baseUrl", target.baseUrl());
            Load load = new Load(List.of(hold(50, Duration.ofSeconds(2))), List.of(), HookedUserSimulation.class.getName(),
                    Duration.ofSeconds(5));
            Outcome o = run(target.baseUrl(), load);
            long sent = o.sum(ClientSecond::sent);
            assertEquals(200, sent, 4, "100 users, two requests each");
            assertEquals(sent / 2, o.count("own-home", StatusClass.OK));
            assertEquals(sent / 2, o.count("own-fail", StatusClass.HTTP_ERROR));
        } finally {
            System.clearProperty("hooked.baseUrl");
        }
    }

    @Test
    void refusedConnectionIsConnectError() {
        Load load = new Load(List.of(hold(10, Duration.ofSeconds(1))), List.of(get("home", "/", 1)), null, Duration.ofSeconds(2));
        Outcome o = run("http://127.0.0.1:" + FreePorts.next(), load);
        long sent = o.sum(ClientSecond::sent);
        assertTrue(sent >= 9, "sent " + sent);
        assertEquals(sent, o.count("home", StatusClass.CONNECT_ERROR), "all refused");
    }

    @Test
    void slowResponsesBeyondRequestTimeoutAreTimeouts() {
        try (TestTarget target = new TestTarget(16)) {
            Load load = new Load(List.of(hold(5, Duration.ofSeconds(1))), List.of(get("slow", "/slow", 1)), null, Duration.ofMillis(300));
            Outcome o = run(target.baseUrl(), load);
            long sent = o.sum(ClientSecond::sent);
            assertTrue(sent >= 4, "sent " + sent);
            assertEquals(sent, o.count("slow", StatusClass.TIMEOUT));
            // within the histogram's 1 % precision: the smallest value's bucket reaches 300 ms
            Histogram merged = o.merged();
            assertTrue(merged.highestEquivalentValue(merged.getMinValue()) >= 300_000,
                    "a timeout takes at least requestTimeout: " + merged.getMinValue());
        }
    }

    @Test
    void stalledServerShowsInTheLatency() {
        try (TestTarget target = new TestTarget(64)) {
            Load load = new Load(List.of(hold(10, Duration.ofSeconds(2))), List.of(get("slow", "/slow", 1)), null, Duration.ofSeconds(5));
            Outcome o = run(target.baseUrl(), load);
            Histogram all = o.merged();
            assertTrue(all.getTotalCount() >= 19, "recorded " + all.getTotalCount());
            assertEquals(all.getTotalCount(), o.count("slow", StatusClass.OK));
            assertTrue(all.getValueAtPercentile(99) >= 1_500_000, "p99 " + all.getValueAtPercentile(99) + " us");
        }
    }

    /**
     * The open model's promise (issue 15): a target that stops answering for 2 s keeps receiving arrivals at the
     * scheduled rate, and the stall shows in the tail with its full length, measured from when each request was due.
     */
    @Test
    void aTwoSecondStallShowsInTheTailWhileArrivalsKeepComing() {
        try (TestTarget target = new TestTarget(256)) {
            Load load = new Load(List.of(hold(50, Duration.ofSeconds(6))), List.of(get("gated", "/gated", 1)), null,
                    Duration.ofSeconds(5));
            // the short warm-up (3 s, 10 -> 50 rps) sends about 90; the stall starts in the stages' second second
            target.stallAfter(150, Duration.ofSeconds(2));
            Outcome o = run(target.baseUrl(), load);
            Histogram all = o.merged();
            assertEquals(all.getTotalCount(), o.count("gated", StatusClass.OK), "every request was answered in time");
            assertTrue(all.getTotalCount() >= 290, "recorded " + all.getTotalCount());
            // arrivals did not wait for answers: the target got the rate's 100 requests during the 2 s it stalled
            assertTrue(target.receivedInStall() >= 90, "received while stalled: " + target.receivedInStall());
            assertTrue(all.getMaxValue() >= 1_900_000, "max " + all.getMaxValue() + " us");
            assertTrue(all.getValueAtPercentile(99) >= 1_800_000, "p99 " + all.getValueAtPercentile(99) + " us");
            assertFalse(o.result().saturated(), o.result().message());
        }
    }

    @Test
    void stopEndsALongLoadWithinSeconds() {
        try (TestTarget target = new TestTarget(4)) {
            Load load = new Load(List.of(hold(50, Duration.ofSeconds(60))), List.of(get("home", "/", 1)), null, Duration.ofSeconds(5));
            LoadRunner runner = new LoadRunner();
            ClientTimeline timeline = ClientTimeline.forLoad(load);
            java.util.concurrent.atomic.AtomicLong stopAt = new java.util.concurrent.atomic.AtomicLong();
            timeline.onSecond(s -> {
                if (s.sent() > 0 && stopAt.get() == 0) {
                    stopAt.set(System.currentTimeMillis());
                    runner.stop("test stop condition");
                }
            });
            LoadResult result = runner.run(new LoadPlan(target.baseUrl(), load, work), timeline);
            long returnedAfterMs = System.currentTimeMillis() - stopAt.get();
            timeline.close();
            System.out.println("stop: returned " + returnedAfterMs + " ms after stop(), exit code " + result.gatlingExitCode());
            assertTrue(stopAt.get() > 0, "the load never started");
            assertTrue(returnedAfterMs < 5_000, "run returned " + returnedAfterMs + " ms after stop()");
            assertTrue(result.message().contains("stopped early: test stop condition"), result.message());
            assertFalse(result.saturated(), "seconds after the stop must not count as a shortfall: " + result.message());
            long stopSecond = stopAt.get() / 1000;
            long sentLater = timeline.seconds().stream().filter(s -> s.epochSecond() > stopSecond)
                    .mapToLong(ClientSecond::sent).sum();
            assertEquals(0, sentLater, "no request is sent after the second stop() was called in");
            long sent = timeline.seconds().stream().mapToLong(ClientSecond::sent).sum();
            assertTrue(sent > 0 && sent < 200, "sent " + sent + " of the 3000 planned");
        }
    }
}
