package dev.slogate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Rpo;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpoJudgeTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final List<FaultSpan> SPANS = List.of(new FaultSpan("region-a", T0 + 10_000, T0 + 18_000),
            new FaultSpan("pod-kill", T0 + 30_000, T0 + 35_000));
    private static final List<Window> WINDOWS = Windows.of(T0, T0 + 60_000, SPANS);

    private static SloDef rpo(double seconds, String probe, List<String> windows) {
        return new SloDef("rpo", "", new SloDef.Rpo(probe), Op.LTE, seconds, windows, Path.of("slo.yaml"), 3);
    }

    private static ProbeResult probe() {
        Rpo.Loss lost = new Rpo.Loss(T0 + 10_000, 400, 100, 150, 0, T0 + 8_020, T0 + 10_050, T0 + 8_000, 2_000, false);
        Rpo.Loss none = new Rpo.Loss(T0 + 30_000, 700, 0, 20, 0, null, null, T0 + 34_990, 0, false);
        return new ProbeResult("writes", T0, T0 + 60_000, 50, 3000, 2830, 170, 100, new Rpo.Integrity(2730, 2730, 0, 3),
                List.of(new ProbeResult.FaultLoss("region-a", T0 + 10_000, T0 + 18_000, T0 + 18_010, lost, null),
                        new ProbeResult.FaultLoss("pod-kill", T0 + 30_000, T0 + 35_000, T0 + 35_005, none, null)), List.of());
    }

    private static List<SloResult> judge(SloDef slo, List<ProbeResult> probes) {
        return new SloEvaluator(null).withProbes(probes).evaluate(List.of(slo), WINDOWS, List.of(), SPANS);
    }

    @Test
    void eachFaultIsJudgedOnItsOwnRpo() {
        List<SloResult> r = judge(rpo(5, "writes", List.of("fault:*")), List.of(probe()));
        assertEquals(2, r.size());
        SloResult a = r.get(0);
        assertEquals("fault:region-a", a.window());
        assertEquals(Verdict.PASS, a.verdict());
        assertEquals(2.0, a.measured());
        assertEquals("probe", a.source());
        assertEquals("RPO <= 5 s", a.objective());
        assertTrue(a.message().startsWith("RPO 2 s < 5 s in fault:region-a (probe writes): 100 of 400 acknowledged writes lost"), a.message());
        assertTrue(a.message().contains("150 writes refused"), a.message());
        assertEquals(0.0, r.get(1).measured());
        assertTrue(r.get(1).message().contains("no acknowledged write lost"), r.get(1).message());
    }

    @Test
    void anRpoAboveTheObjectiveFails() {
        SloResult r = judge(rpo(1, "writes", List.of("fault:region-a")), List.of(probe())).get(0);
        assertEquals(Verdict.FAIL, r.verdict());
        assertTrue(r.message().startsWith("RPO 2 s > 1 s"), r.message());
        assertEquals(Verdict.PASS, judge(rpo(0, "writes", List.of("fault:pod-kill")), List.of(probe())).get(0).verdict());
    }

    @Test
    void missingMeasurementsAreNoData() {
        SloResult noProbe = judge(rpo(5, "other", List.of("fault:region-a")), List.of(probe())).get(0);
        assertEquals(Verdict.NO_DATA, noProbe.verdict());
        assertTrue(noProbe.message().contains("probe 'other' did not run"), noProbe.message());
        ProbeResult failed = new ProbeResult("writes", T0, T0 + 60_000, 50, 10, 10, 0, 0, null,
                List.of(new ProbeResult.FaultLoss("region-a", T0 + 10_000, T0 + 18_000, T0 + 18_010, null, "GET /records answered 503 (for 30 s)")),
                List.of());
        SloResult unread = judge(rpo(5, "writes", List.of("fault:region-a")), List.of(failed)).get(0);
        assertEquals(Verdict.NO_DATA, unread.verdict());
        assertNull(unread.measured());
        assertTrue(unread.message().contains("answered 503"), unread.message());
        SloResult notFault = judge(rpo(5, "writes", List.of("run")), List.of(probe())).get(0);
        assertEquals(Verdict.NO_DATA, notFault.verdict());
    }
}
