package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LoadResult;
import dev.slogate.load.StageResult;
import dev.slogate.load.StatusClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FleetMathTest {
    private static final ClientSecond.SeriesKey HOME_OK = new ClientSecond.SeriesKey("home", StatusClass.OK);

    /** Latencies of one injector: a log-normal around {@code medianMicros}, fixed seed. */
    private static long[] samples(long seed, int n, double medianMicros, double sigma) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(1, Math.round(medianMicros * Math.exp(sigma * r.nextGaussian())));
        }
        return out;
    }

    private static Histogram of(long[]... sets) {
        Histogram h = LatencyHistograms.create();
        for (long[] set : sets) {
            for (long v : set) {
                h.recordValue(v);
            }
        }
        return h;
    }

    /** What one injector reports for a second, sent over the wire (encoded and decoded) as the fleet does. */
    private static ClientSecond reported(long second, double target, long[] latencies) {
        ClientSecond s = new ClientSecond(second, target, latencies.length, Map.of(HOME_OK, of(latencies)));
        return Wire.second(Wire.parse(Wire.line(Wire.second(s))));
    }

    @Test
    void mergedPercentilesEqualThoseOfOneHistogramFedAllSamples() {
        long[] fast = samples(1, 3_000, 2_000, 0.3);      // injector 1: ~2 ms
        long[] slow = samples(2, 1_000, 40_000, 0.8);     // injector 2: ~40 ms, wide tail
        ClientSecond merged = FleetMath.merge(100, List.of(reported(100, 300, fast), reported(100, 100, slow)));
        Histogram all = of(fast, slow);
        Histogram m = merged.latency().get(HOME_OK);
        assertEquals(all.getTotalCount(), m.getTotalCount());
        for (double p : new double[] {50, 90, 95, 99, 99.9, 100}) {
            assertEquals(all.getValueAtPercentile(p), m.getValueAtPercentile(p), "p" + p);
        }
        assertEquals(all, m, "bucket for bucket the same histogram");
        assertEquals(4_000, merged.sent());
        assertEquals(400, merged.targetRps(), 1e-9);
        // an average of the two injectors' p99 is far from the truth: the merge is what makes fleet numbers right
        double averagedP99 = (of(fast).getValueAtPercentile(99) + of(slow).getValueAtPercentile(99)) / 2.0;
        assertNotEquals(all.getValueAtPercentile(99), averagedP99, all.getValueAtPercentile(99) * 0.05);
    }

    @Test
    void mergeKeepsSeriesApartAndRefusesAnotherSecond() {
        ClientSecond a = new ClientSecond(7, 10, 3, Map.of(HOME_OK, of(new long[] {100, 200}),
                new ClientSecond.SeriesKey("home", StatusClass.TIMEOUT), of(new long[] {5_000_000})));
        ClientSecond b = new ClientSecond(7, 10, 2, Map.of(HOME_OK, of(new long[] {300, 400})));
        ClientSecond m = FleetMath.merge(7, List.of(a, b));
        assertEquals(4, m.count(StatusClass.OK));
        assertEquals(1, m.count(StatusClass.TIMEOUT));
        assertEquals(5, m.sent());
        assertThrows(IllegalArgumentException.class, () -> FleetMath.merge(8, List.of(a)));
    }

    @Test
    void eachInjectorGetsAnEqualShareOfEveryStage() {
        Load load = new Load(List.of(new Stage(Stage.Kind.RAMP, new Rate(100), new Rate(400), Duration.ofSeconds(20)),
                new Stage(Stage.Kind.HOLD, new Rate(300), new Rate(300), Duration.ofSeconds(30))),
                List.of(new RequestSpec("home", "GET", "/", Map.of("X-A", "1"), null, 200, 1)), null, Duration.ofSeconds(5));
        Load share = FleetMath.share(load, 3);
        assertEquals(100 / 3.0, share.stages().get(0).from().perSecond(), 1e-9);
        assertEquals(400 / 3.0, share.stages().get(0).to().perSecond(), 1e-9);
        assertEquals(100, share.stages().get(1).to().perSecond(), 1e-9);
        assertEquals(load.duration(), share.duration());
        assertEquals(load.requests(), share.requests());
        assertThrows(IllegalArgumentException.class, () -> FleetMath.share(load, 0));
    }

    @Test
    void loadAndResultSurviveTheWire() {
        Load load = new Load(List.of(new Stage(Stage.Kind.STEP, new Rate(5), new Rate(50), Duration.ofMillis(1500))),
                List.of(new RequestSpec("post", "POST", "/orders", Map.of("Content-Type", "application/json"), "{\"a\":1}", 201, 2),
                        new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), "com.acme.Sim", Duration.ofSeconds(3));
        assertEquals(load, Wire.load(Wire.parse(Wire.line((com.fasterxml.jackson.databind.node.ObjectNode) Wire.load(load)))));
        Load bare = new Load(load.stages(), load.requests(), null, null);
        Load back = Wire.load(Wire.parse(Wire.line(Wire.load(bare))));
        assertNull(back.simulation());
        assertNull(back.requestTimeout());

        LoadResult r = new LoadResult(0, List.of(new StageResult(0, "hold", 50, 49.5), new StageResult(1, "hold", 50, Double.NaN)),
                true, "fell behind");
        LoadResult again = Wire.done(Wire.parse(Wire.line(Wire.done(r))));
        assertEquals(r.message(), again.message());
        assertTrue(again.saturated());
        assertEquals(49.5, again.stages().get(0).achievedRps());
        assertTrue(Double.isNaN(again.stages().get(1).achievedRps()));
    }

    @Test
    void aFedTimelinePassesAddedSecondsToItsListeners() {
        Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(10), new Rate(10), Duration.ofSeconds(5))),
                List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, null);
        ClientTimeline fed = ClientTimeline.fed(load);
        List<Long> heard = new ArrayList<>();
        fed.onSecond(s -> heard.add(s.epochSecond()));
        fed.add(new ClientSecond(1, 10, 10, Map.of()));
        fed.add(new ClientSecond(2, 10, 9, Map.of()));
        assertEquals(List.of(1L, 2L), heard);
        assertEquals(2, fed.seconds().size());
        assertEquals(9, fed.latest().orElseThrow().sent());
        fed.close();
        fed.add(new ClientSecond(3, 10, 9, Map.of()));
        assertEquals(2, fed.seconds().size(), "closed: nothing more is added");
        ClientTimeline ticking = ClientTimeline.forLoad(load);
        try {
            assertThrows(IllegalStateException.class, () -> ticking.add(new ClientSecond(1, 10, 10, Map.of())));
        } finally {
            ticking.close();
        }
    }
}
