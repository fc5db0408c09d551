package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    private static SloResult r(Verdict v) {
        return new SloResult("s", "run", "client", "p95 < 200 ms", v == Verdict.NO_DATA ? null : 0.1, "s", v, "m");
    }

    @Test
    void everySloMetIsZero() {
        assertEquals(0, Outcome.judge(null, false, null, List.of(r(Verdict.PASS), r(Verdict.PASS))).exitCode());
    }

    @Test
    void aFailureIsOneEvenWithMissingDataElsewhere() {
        Outcome o = Outcome.judge(null, false, null, List.of(r(Verdict.PASS), r(Verdict.FAIL), r(Verdict.NO_DATA)));
        assertEquals(1, o.exitCode());
        assertTrue(o.text().contains("1 of 3"), o.text());
    }

    @Test
    void missingDataNeverPasses() {
        assertEquals(4, Outcome.judge(null, false, null, List.of(r(Verdict.PASS), r(Verdict.NO_DATA))).exitCode());
        assertEquals(4, Outcome.judge(null, false, null, List.of()).exitCode());
    }

    @Test
    void aSaturatedInjectorMakesEvenFailuresInconclusive() {
        Outcome o = Outcome.judge(null, true, "the injector could not hold 5000 rps", List.of(r(Verdict.FAIL)));
        assertEquals(4, o.exitCode());
        assertTrue(o.text().contains("could not hold"), o.text());
    }

    @Test
    void aStopConditionWinsOverEverything() {
        Outcome o = Outcome.judge("error rate 80 % > 50 % for 10 s", true, "x", List.of(r(Verdict.FAIL)));
        assertEquals(3, o.exitCode());
        assertTrue(o.text().contains("80 %"), o.text());
    }
}
