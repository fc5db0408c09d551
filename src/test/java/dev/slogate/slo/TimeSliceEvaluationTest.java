package dev.slogate.slo;

import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.experiment.SloDef.TimeSlices;
import dev.slogate.load.ClientSecond;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenSLO Timeslices and RatioTimeslices judged client side from the per-second timeline. */
class TimeSliceEvaluationTest {
    private static final Ratio AVAILABILITY = new Ratio(Source.CLIENT, "ok", null, null, true);
    private final SloEvaluator evaluator = new SloEvaluator(null);
    private final List<Window> run = Windows.of(ms(0), ms(10), List.of());

    private static SloDef sliced(SloDef.Indicator indicator, Op op, double target, Duration slice, Double goodShare) {
        return new SloDef("sliced", "", indicator, op, target, List.of("run"), null, 1, new TimeSlices(slice, goodShare));
    }

    /** 6 clean seconds, then 4 seconds with 10 % failures. */
    private static List<ClientSecond> degradingAfterSix() {
        List<ClientSecond> seconds = new ArrayList<>(Traffic.steady(0, 6, 100, 20, 0));
        seconds.addAll(Traffic.steady(6, 10, 90, 20, 10));
        return seconds;
    }

    private SloResult judge(SloDef slo, List<ClientSecond> seconds) {
        List<SloResult> rs = evaluator.evaluate(List.of(slo), run, seconds, List.of());
        assertEquals(1, rs.size(), rs::toString);
        return rs.get(0);
    }

    @Test
    void theShareOfGoodSlicesIsComparedWithTheTarget() {
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(2), 0.8), degradingAfterSix());
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(0.6, r.measured(), 1e-12);
        assertEquals("ratio", r.unit());
        assertEquals("availability >= 95 % in >= 80 % of 2s slices", r.objective());
        assertEquals("3 of 5 slices of 2s good (availability >= 95 % in each): 60 % < 80 % in run (client)", r.message());
        assertEquals(Verdict.PASS, judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(2), 0.6), degradingAfterSix()).verdict());
    }

    @Test
    void ratioTimeslicesAveragesTheSlicesRatios() {
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(2), null), degradingAfterSix());
        assertEquals((1 + 1 + 1 + 0.9 + 0.9) / 5, r.measured(), 1e-12);
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals("average availability >= 95 % over 2s slices", r.objective());
        assertEquals("average availability of 5 slices of 2s 96 % > 95 % in run (client)", r.message());
    }

    @Test
    void aLastPartShorterThanASliceIsASliceOfItsOwn() {
        // 3 s slices over 10 s: 0-3, 3-6, 6-9 and 9-10; the last two hold the failures
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(3), 0.5), degradingAfterSix());
        assertEquals(0.5, r.measured(), 1e-12, r.message());
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aWindowShorterThanASliceIsOneSlice() {
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofMinutes(1), 0.99), degradingAfterSix());
        assertEquals("1 of 1 slice of 1m good (availability >= 95 % in each): 100 % > 99 % in run (client)", r.message());
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aSliceWithoutRequestsIsNotGood() {
        List<ClientSecond> seconds = new ArrayList<>(Traffic.steady(0, 4, 100, 20, 0));
        seconds.addAll(Traffic.steady(6, 10, 100, 20, 0));
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(2), 0.9), seconds);
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals("4 of 5 slices of 2s good (availability >= 95 % in each): 80 % < 90 % in run (client); 1 without data, counted as bad", r.message());
    }

    @Test
    void noRequestsAtAllIsNoDataNotAVerdict() {
        SloResult r = judge(sliced(AVAILABILITY, Op.GTE, 0.95, Duration.ofSeconds(2), 0.5), List.of());
        assertEquals(Verdict.NO_DATA, r.verdict());
        assertNull(r.measured());
        assertEquals("no data: no slice of run had data (5 slices of 2s)", r.message());
    }

    @Test
    void latencyIsJudgedPerSliceToo() {
        List<ClientSecond> seconds = new ArrayList<>(Traffic.steady(0, 8, 100, 20, 0));
        seconds.addAll(Traffic.steady(8, 10, 100, 312, 0));
        SloResult r = judge(sliced(new Latency(95, null, null), Op.LT, 0.2, Duration.ofSeconds(2), 0.8), seconds);
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals("4 of 5 slices of 2s good (p95 latency < 200 ms in each): 80 % = 80 % in run (client)", r.message());
    }

    @Test
    void slicesStartAtTheWindowsStart() {
        Window w = new Window("fault:x", 1_000, 11_500);
        assertEquals(List.of(new Window("fault:x", 1_000, 5_000), new Window("fault:x", 5_000, 9_000), new Window("fault:x", 9_000, 11_500)),
                SloEvaluator.slices(w, Duration.ofSeconds(4), 1_000));
        assertEquals(List.of(new Window("fault:x", 1_000, 5_000), new Window("fault:x", 5_000, 9_000)),
                SloEvaluator.slices(w, Duration.ofSeconds(4), 3_000), "a last part too short to read from Prometheus is left out");
        assertEquals(List.of(w), SloEvaluator.slices(w, Duration.ofMinutes(1), 3_000));
    }
}
