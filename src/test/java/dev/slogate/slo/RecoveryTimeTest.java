package dev.slogate.slo;

import static dev.slogate.slo.ClientSideEvaluationTest.slo;
import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Rto;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.StatusClass;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run of 60 s; the fault "kill-one-pod" is injected at 20 s. Criteria: error rate <= 1 %, p99 < 500 ms. */
class RecoveryTimeTest {
    private static final FaultSpan KILL = new FaultSpan("kill-one-pod", ms(20), ms(22));

    private static SloDef rto(double evaluationWindow, double stableFor) {
        return slo("rto", new Rto(0.01, 99, 0.5, evaluationWindow, stableFor), Op.LTE, 20, "fault:*");
    }

    /** Healthy seconds except {@code errorSeconds}, which are all errors, and {@code slowSeconds}, which take 800 ms. */
    private static List<ClientSecond> traffic(List<long[]> errorSpans, List<long[]> slowSpans) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = 0; s < 60; s++) {
            final long sec = s;
            boolean error = errorSpans.stream().anyMatch(r -> sec >= r[0] && sec < r[1]);
            boolean slow = slowSpans.stream().anyMatch(r -> sec >= r[0] && sec < r[1]);
            Traffic t = Traffic.at(s);
            if (error) {
                t.add(StatusClass.CONNECT_ERROR, 100, 1);
            } else {
                t.ok(100, slow ? 800 : 20);
            }
            out.add(t.build());
        }
        return out;
    }

    private static SloEvaluator.Evaluation evaluate(SloDef slo, List<ClientSecond> traffic, FaultSpan fault) {
        return new SloEvaluator(null).evaluateWithRecoveries(List.of(slo), Windows.of(ms(0), ms(60), List.of(fault)), traffic, List.of(fault));
    }

    @Test
    void aServiceThatNeverBrokeHasAnRtoOfZero() {
        SloEvaluator.Evaluation e = evaluate(rto(3, 5), traffic(List.of(), List.of()), KILL);
        SloResult r = e.results().get(0);
        assertEquals(0.0, r.measured());
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals("fault:kill-one-pod", r.window());
        assertEquals("RTO <= 20 s", r.objective());
        assertTrue(r.message().startsWith("RTO 0 s < 20 s after kill-one-pod (client); the service stayed within"), r.message());
        assertEquals(ms(20), e.recoveries().get(0).recoveredMillis());
    }

    @Test
    void recoveryIsTheStartOfTheFirstStableStretch() {
        // errors in seconds 20-29. With a 3 s evaluation window, second 30 still sees 28-29 and second 31 sees 29:
        // the first healthy second is 32, and 32-36 hold for 5 s, so RTO = 32 - 20 = 12 s.
        SloEvaluator.Evaluation e = evaluate(rto(3, 5), traffic(List.of(new long[] {20, 30}), List.of()), KILL);
        SloResult r = e.results().get(0);
        assertEquals(12.0, r.measured());
        assertEquals(Verdict.PASS, r.verdict());
        assertTrue(r.message().contains("at +12 s and stable for 5 s"), r.message());

        Recovery recovery = e.recoveries().get(0);
        assertEquals(new Recovery("rto", "kill-one-pod", ms(20), ms(32)), recovery);
        Event event = recovery.event().orElseThrow();
        assertEquals(Event.Kind.RECOVERED, event.kind());
        assertEquals(ms(32), event.atMillis());
        assertEquals("kill-one-pod", event.subject());

        // judged second by second, the same data recovers as soon as the errors stop
        assertEquals(10.0, evaluate(rto(1, 5), traffic(List.of(new long[] {20, 30}), List.of()), KILL).results().get(0).measured());
    }

    @Test
    void aBriefRecoveryThatBreaksAgainDoesNotCount() {
        // errors 20-24, healthy 25-27 (3 s, shorter than stableFor 5 s), errors 28-31, healthy from 32 on
        SloResult r = evaluate(rto(1, 5), traffic(List.of(new long[] {20, 25}, new long[] {28, 32}), List.of()), KILL).results().get(0);
        assertEquals(12.0, r.measured());
    }

    @Test
    void slownessBreaksTheServiceToo() {
        SloResult r = evaluate(rto(1, 5), traffic(List.of(), List.of(new long[] {20, 35})), KILL).results().get(0);
        assertEquals(15.0, r.measured());
        assertEquals(Verdict.PASS, r.verdict());
        SloResult late = evaluate(rto(1, 5), traffic(List.of(), List.of(new long[] {20, 45})), KILL).results().get(0);
        assertEquals(25.0, late.measured());
        assertEquals(Verdict.FAIL, late.verdict());
        assertEquals("RTO 25 s > 20 s after kill-one-pod (client); back within error rate <= 1 % and p99 < 500 ms over 1 s at +25 s and stable for 5 s",
                late.message());
    }

    @Test
    void rtoIsMeasuredFromTheMomentOfInjection() {
        FaultSpan midSecond = new FaultSpan("kill-one-pod", ms(20.4), ms(22));
        assertEquals(0.0, evaluate(rto(1, 5), traffic(List.of(), List.of()), midSecond).results().get(0).measured());
        assertEquals(9.6, evaluate(rto(1, 5), traffic(List.of(new long[] {20, 30}), List.of()), midSecond).results().get(0).measured(), 1e-9);
    }

    @Test
    void neverRecoveredFailsWithTheTimeObserved() {
        SloEvaluator.Evaluation e = evaluate(rto(3, 5), traffic(List.of(new long[] {20, 57}), List.of()), KILL);
        SloResult r = e.results().get(0);
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(40.0, r.measured()); // 20 s to the run's end at 60 s
        assertTrue(r.message().startsWith("never recovered within 40 s after kill-one-pod (client)"), r.message());
        assertTrue(r.message().contains("it had held for the last 1 s"), r.message()); // 59 only: 57 and 58 still see errors
        assertTrue(r.message().contains("lower bound"), r.message());
        assertFalse(e.recoveries().get(0).recovered());
        assertTrue(e.recoveries().get(0).event().isEmpty());
    }

    @Test
    void rtoNeedsAFaultWindowAndTraffic() {
        SloDef onSteady = slo("rto", new Rto(0.01, 99, 0.5, 3, 5), Op.LTE, 20, "steady");
        SloResult r = evaluate(onSteady, traffic(List.of(), List.of()), KILL).results().get(0);
        assertEquals(Verdict.NO_DATA, r.verdict());
        assertTrue(r.message().contains("not the window of an injected fault"), r.message());

        List<ClientSecond> beforeOnly = traffic(List.of(), List.of()).subList(0, 20);
        SloResult none = evaluate(rto(3, 5), beforeOnly, KILL).results().get(0);
        assertEquals(Verdict.NO_DATA, none.verdict());
        assertTrue(none.message().contains("no request completed after kill-one-pod"), none.message());
    }
}
