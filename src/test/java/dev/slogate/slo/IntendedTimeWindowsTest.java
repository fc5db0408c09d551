package dev.slogate.slo;

import static dev.slogate.slo.ClientSideEvaluationTest.slo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.experiment.Stage;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.StatusClass;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real timeline's bookkeeping feeding the evaluator: a request counts in the window it was meant to be sent in. */
@Timeout(30)
class IntendedTimeWindowsTest {

    @Test
    void aRequestSentDuringTheFaultCountsThereEvenIfItTimesOutAfterTheRevert() {
        Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(10), new Rate(10), Duration.ofSeconds(3))),
                List.of(), null, Duration.ofSeconds(2));
        try (ClientTimeline timeline = ClientTimeline.forLoad(load)) {
            long n = System.currentTimeMillis() / 1000 + 1; // seconds n, n+1 (the fault), n+2
            timeline.markStart(Instant.ofEpochSecond(n));
            for (int offset = 0; offset < 3; offset++) {
                for (int i = 0; i < 10; i++) {
                    long t0 = stampAt(timeline, (n + offset) * 1000 + 50 + i * 90);
                    timeline.recordSent(t0);
                    boolean stalledByTheFault = offset == 1 && i >= 5;
                    // the stalled ones end 2 s after they were sent: after the fault's revert at n+2
                    timeline.record("home", stalledByTheFault ? StatusClass.TIMEOUT : StatusClass.OK, t0,
                            stalledByTheFault ? 2_000_000 : 3_000);
                }
            }
            assertTrue(timeline.awaitFinal(n + 2));
            List<Window> windows = Windows.of(n * 1000, (n + 3) * 1000, List.of(new FaultSpan("pause", (n + 1) * 1000, (n + 2) * 1000)));
            List<SloResult> rs = new SloEvaluator(null).evaluate(
                    List.of(slo("errors", new Ratio(Source.CLIENT, null, null, null, true), Op.LT, 0.01, "steady", "fault:pause")),
                    windows, timeline.seconds(), List.of());
            assertEquals(Verdict.PASS, rs.get(0).verdict(), rs.get(0).message());
            assertEquals(0.0, rs.get(0).measured(), 1e-12);
            assertEquals(Verdict.FAIL, rs.get(1).verdict(), rs.get(1).message());
            assertEquals(0.5, rs.get(1).measured(), 1e-12, "5 of the 10 requests sent in the fault timed out");
        }
    }

    /** The nanoTime stamp of an epoch millisecond on the timeline's clock. */
    private static long stampAt(ClientTimeline timeline, long epochMillis) {
        long stamp = System.nanoTime() + (epochMillis - System.currentTimeMillis()) * 1_000_000L;
        long second = epochMillis / 1000;
        while (timeline.epochSecondOf(stamp) > second) {
            stamp -= 100_000L;
        }
        while (timeline.epochSecondOf(stamp) < second) {
            stamp += 100_000L;
        }
        return stamp;
    }
}
