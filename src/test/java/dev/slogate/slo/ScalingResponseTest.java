package dev.slogate.slo;

import static dev.slogate.slo.ClientSideEvaluationTest.slo;
import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Rto;
import dev.slogate.load.ClientSecond;
import dev.slogate.timeline.StepSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 60 s run whose stage 2 steps the load up at 20 s and lasts until 50 s. Until {@code slowUntil} the service is
 * overloaded (800 ms), then fast (20 ms) again. Criteria: error rate <= 1 %, p95 < 200 ms over 1 s, stable for 5 s.
 */
class ScalingResponseTest {
    private static final StepSpan STEP = new StepSpan(2, ms(20), ms(50));
    private static final Rto CRITERIA = new Rto(0.01, 95, 0.2, 1, 5);

    private static List<ClientSecond> traffic(long slowFrom, long slowUntil) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = 0; s < 60; s++) {
            out.add(Traffic.at(s).ok(100, s >= slowFrom && s < slowUntil ? 800 : 20).build());
        }
        return out;
    }

    private static SloResult judge(SloDef slo, List<ClientSecond> traffic, CapacityHistory capacity) {
        List<Window> windows = Windows.of(ms(0), ms(60), List.of(), List.of(STEP));
        List<SloResult> r = new SloEvaluator(null, capacity).evaluate(List.of(slo), windows, traffic, List.of());
        assertEquals(1, r.size(), r.toString());
        return r.get(0);
    }

    /** Desired 2 -> 6 at +4 s; ready 3 at +9 s, 6 at +12 s; then scaled in to 4 after the step. */
    private static final List<CapacitySample> SCALE_OUT = List.of(
            new CapacitySample(ms(0), 2, 2), new CapacitySample(ms(24), 6, 2), new CapacitySample(ms(29), 6, 3),
            new CapacitySample(ms(32), 6, 6), new CapacitySample(ms(55), 4, 4));

    @Test
    void capacityTimeIsWhenTheReadyPodsFirstReachThePeakDesiredOfTheStep() {
        ScalingResponse.Capacity c = ScalingResponse.capacity(CapacityHistory.of(SCALE_OUT, "t").read(null, ms(20), ms(50)).samples(), ms(20), ms(50));
        assertEquals(2, c.from());
        assertEquals(6, c.peakDesired());
        assertEquals(12.0, c.seconds(ms(20)));
    }

    @Test
    void capacityAlreadyEnoughAtTheStepIsZeroAndNeverEnoughIsNull() {
        List<CapacitySample> steady = List.of(new CapacitySample(ms(0), 4, 4), new CapacitySample(ms(30), 4, 3), new CapacitySample(ms(31), 4, 4));
        assertEquals(0.0, ScalingResponse.capacity(steady, ms(20), ms(50)).seconds(ms(20)), "a pod lost later does not move the time");
        List<CapacitySample> stuck = List.of(new CapacitySample(ms(0), 2, 2), new CapacitySample(ms(22), 8, 2), new CapacitySample(ms(30), 8, 5));
        ScalingResponse.Capacity c = ScalingResponse.capacity(stuck, ms(20), ms(50));
        assertNull(c.readyMillis());
        assertEquals(5, c.readyAtEnd());
        List<CapacitySample> late = List.of(new CapacitySample(ms(0), 2, 2), new CapacitySample(ms(22), 8, 2), new CapacitySample(ms(51), 8, 8));
        assertNull(ScalingResponse.capacity(late, ms(20), ms(50)).readyMillis(), "ready after the step's window does not count");
    }

    @Test
    void recoveredTimeIsJudgedAndBothTimesAreReported() {
        SloDef slo = slo("scale", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 30, "step:*");
        SloResult r = judge(slo, traffic(20, 33), CapacityHistory.of(SCALE_OUT, "sandbox autoscaler"));
        assertEquals(Verdict.PASS, r.verdict(), r.message());
        assertEquals("step:2", r.window());
        assertEquals(13.0, r.measured(), 1e-9, "slow until 33 s, the step began at 20 s");
        assertTrue(r.message().contains("at +13 s") && r.message().contains("2 -> 6 replicas ready at +12 s"), r.message());
    }

    @Test
    void objectiveBelowTheMeasuredTimeFailsNamingIt() {
        SloDef slo = slo("scale", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 5, "step:2");
        SloResult r = judge(slo, traffic(20, 33), CapacityHistory.of(SCALE_OUT, "sandbox autoscaler"));
        assertEquals(Verdict.FAIL, r.verdict());
        assertTrue(r.message().startsWith("scaling response 13 s > 5 s after step:2"), r.message());
    }

    @Test
    void measureCapacityJudgesTheCapacityTime() {
        SloDef slo = slo("pods", new SloDef.Scaling(CRITERIA, true, null), Op.LTE, 10, "step:2");
        SloResult r = judge(slo, traffic(20, 33), CapacityHistory.of(SCALE_OUT, "sandbox autoscaler"));
        assertEquals(Verdict.FAIL, r.verdict(), r.message());
        assertEquals(12.0, r.measured(), 1e-9);
        assertTrue(r.message().startsWith("capacity time 12 s > 10 s"), r.message());
    }

    @Test
    void neverRecoveringWithinTheStepFailsWithTheStepLengthAsALowerBound() {
        SloDef slo = slo("scale", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 300, "step:2");
        SloResult r = judge(slo, traffic(20, 60), CapacityHistory.fixed(2, "fixed"));
        assertEquals(Verdict.FAIL, r.verdict(), r.message());
        assertEquals(30.0, r.measured(), 1e-9);
        assertTrue(r.message().contains("more than 30 s"), r.message());
    }

    @Test
    void unknownCapacityStillJudgesTheRecoveredTimeButNotACapacityObjective() {
        CapacityHistory none = CapacityHistory.unknown("no replica counts");
        SloResult recovered = judge(slo("s", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 30, "step:2"), traffic(20, 25), none);
        assertEquals(Verdict.PASS, recovered.verdict());
        assertTrue(recovered.message().contains("capacity time unknown (no replica counts)"), recovered.message());
        SloResult capacity = judge(slo("c", new SloDef.Scaling(CRITERIA, true, null), Op.LTE, 30, "step:2"), traffic(20, 25), none);
        assertEquals(Verdict.NO_DATA, capacity.verdict(), capacity.message());
    }

    @Test
    void aServiceThatNeverDegradesHasRecoveredAtTheStep() {
        SloResult r = judge(slo("s", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 30, "step:2"), traffic(0, 0), CapacityHistory.fixed(8, "fixed"));
        assertEquals(0.0, r.measured());
        assertTrue(r.message().contains("capacity 8 replicas, enough from the start"), r.message());
    }

    @Test
    void stepWindowsAreClampedToTheRunAndMatchedByStepStar() {
        List<Window> w = Windows.of(ms(0), ms(60), List.of(), List.of(STEP, new StepSpan(3, ms(50), ms(70))));
        assertEquals(List.of(new Window("step:2", ms(20), ms(50)), new Window("step:3", ms(50), ms(60))), Windows.resolve(List.of("step:*"), w));
        assertTrue(Windows.isPattern("step:*"));
    }

    @Test
    void healthySecondsBeforeTheOverloadBitesDoNotCountAsRecovered() {
        // queues take 6 s to fill: healthy longer than stableFor (5 s) right after the step, slow from +6 s to +13 s
        SloResult r = judge(slo("s", new SloDef.Scaling(CRITERIA, false, null), Op.LTE, 30, "step:2"), traffic(26, 33),
                CapacityHistory.of(SCALE_OUT, "sandbox autoscaler"));
        assertEquals(13.0, r.measured(), 1e-9, r.message());
        assertTrue(r.message().contains("left error rate <= 1 % and p95 < 200 ms at +6 s, back within it at +13 s"), r.message());
    }
}
