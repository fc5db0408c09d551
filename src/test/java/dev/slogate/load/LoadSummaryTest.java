package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** Stage rates and the saturation verdict, from synthetic seconds. */
class LoadSummaryTest {
    private static final long START_MS = 1_000_000_000L; // on a second boundary
    private static final Load LOAD = new Load(List.of(
            new Stage(Stage.Kind.HOLD, new Rate(100), new Rate(100), Duration.ofSeconds(5)),
            new Stage(Stage.Kind.RAMP, new Rate(100), new Rate(200), Duration.ofSeconds(5)),
            new Stage(Stage.Kind.STEP, new Rate(400), new Rate(400), Duration.ofSeconds(5))),
            List.of(), null, Duration.ofSeconds(1));

    private static List<ClientSecond> seconds(LongUnaryOperator sentAtOffset) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = 0; s < 15; s++) {
            out.add(new ClientSecond(START_MS / 1000 + s, 0, sentAtOffset.applyAsLong(s), Map.of()));
        }
        return out;
    }

    @Test
    void injectorThatKeepsUpIsNotSaturated() {
        LoadResult r = LoadRunner.summarize(LOAD, START_MS, START_MS + 15_000,
                seconds(s -> s < 5 ? 100 : s < 10 ? 100 + 20 * (s - 5) + 10 : 400), 0, null);
        assertFalse(r.saturated(), r.message());
        assertEquals(3, r.stages().size());
        assertEquals(new StageResult(0, "hold", 100, 100), r.stages().get(0));
        assertEquals("ramp", r.stages().get(1).kind());
        assertEquals(160, r.stages().get(1).targetRps(), 1e-9, "mean of 130,150,170,190 (first second skipped)");
        assertEquals(160, r.stages().get(1).achievedRps(), 1e-9);
        assertEquals(400, r.stages().get(2).achievedRps(), 1e-9);
    }

    @Test
    void constantStageBelow95PercentIsSaturatedAndSaysWhatToDo() {
        LoadResult r = LoadRunner.summarize(LOAD, START_MS, START_MS + 15_000,
                seconds(s -> s < 10 ? 100 + (s >= 5 ? 20 * (s - 5) : 0) : 300), 0, null);
        assertTrue(r.saturated());
        assertEquals(300, r.stages().get(2).achievedRps(), 1e-9);
        assertTrue(r.message().contains("stage 3 (step) targeted 400 rps but sent 300 rps (75 %)"), r.message());
        assertTrue(r.message().contains("more injectors") && r.message().contains("CPU"), r.message());
    }

    @Test
    void theFirstSecondOfAStageAndSecondsAfterAStopDoNotCount() {
        // the first second of the hold is slow (ramp-up), and nothing is sent after the stop at 7 s
        LoadResult r = LoadRunner.summarize(LOAD, START_MS, START_MS + 7_000,
                seconds(s -> s == 0 ? 10 : s < 7 ? 100 : 0), 0, "p99 too high");
        assertFalse(r.saturated(), r.message());
        assertEquals(100, r.stages().get(0).achievedRps(), 1e-9);
        assertTrue(Double.isNaN(r.stages().get(2).achievedRps()), "the step never ran");
        assertTrue(r.message().contains("stopped early: p99 too high"), r.message());
    }

    @Test
    void fallingBehindThenCatchingUpInBurstsIsSaturatedToo() {
        // seconds 1-3 of the hold at 40 rps, then a burst of 280: the mean is 100, yet the rate was not kept
        LoadResult r = LoadRunner.summarize(LOAD, START_MS, START_MS + 15_000,
                seconds(s -> s >= 5 && s < 10 ? 100 + 20 * (s - 5) : s >= 10 ? 400 : s == 0 ? 100 : s == 4 ? 280 : 40), 0, null);
        assertEquals(100, r.stages().get(0).achievedRps(), 1e-9);
        assertTrue(r.saturated(), r.message());
        assertTrue(r.message().contains("stage 1 (hold) targeted 100 rps but fell behind for 3 seconds in a row (as low as 40 rps)"),
                r.message());
    }
}
