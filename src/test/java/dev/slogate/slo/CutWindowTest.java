package dev.slogate.slo;

import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.run.Outcome;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fault someone else reverted mid-run: its windows carry why they were cut, and nothing is judged over them. */
class CutWindowTest {
    private static final String WHY = "fault pause-one was reverted by someone else at 1970-01-01T00:00:12Z, before its scheduled end"
            + " (reverted by `slogate cleanup --force`, pid 42)";

    @Test
    void theWindowsOfACutFaultSayWhyAndTheSlosOverThemAreInconclusive() throws Exception {
        FaultSpan cut = new FaultSpan("pause-one", ms(10), ms(12), WHY);
        List<Window> windows = Windows.of(ms(0), ms(40), List.of(cut, new FaultSpan("kill", ms(20), ms(25))));
        assertEquals(WHY, window(windows, "fault:pause-one").cut());
        assertEquals(WHY, window(windows, "recovery:pause-one").cut());
        assertNull(window(windows, "fault:kill").cut(), "another fault's window ran as planned");
        assertNull(window(windows, "run").cut());
        assertTrue(new ObjectMapper().writeValueAsString(window(windows, "fault:pause-one")).contains("\"cut\":\"fault pause-one was reverted"));
        assertFalse(new ObjectMapper().writeValueAsString(window(windows, "run")).contains("cut"), "report.json only names a cut");

        SloDef p95 = ClientSideEvaluationTest.slo("p95", new Latency(95, null, null), Op.LT, 0.2, "run", "fault:*", "recovery:*");
        List<SloResult> rs = new SloEvaluator(null).evaluate(List.of(p95), windows, Traffic.steady(0, 40, 100, 20, 0),
                List.of(cut, new FaultSpan("kill", ms(20), ms(25))));

        assertEquals(Verdict.PASS, result(rs, "run").verdict());
        assertEquals(Verdict.PASS, result(rs, "fault:kill").verdict());
        for (String w : List.of("fault:pause-one", "recovery:pause-one")) {
            SloResult r = result(rs, w);
            assertEquals(Verdict.NO_DATA, r.verdict(), r.toString());
            assertTrue(r.message().contains("reverted by someone else at 1970-01-01T00:00:12Z") && r.message().contains(w), r.message());
        }
        assertEquals(4, Outcome.judge(null, false, null, rs).exitCode(), "the gate is inconclusive, never a pass");
    }

    private static Window window(List<Window> all, String name) {
        return all.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private static SloResult result(List<SloResult> all, String window) {
        return all.stream().filter(r -> r.window().equals(window)).findFirst().orElseThrow();
    }
}
