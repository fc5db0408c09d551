package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    private static Stage hold(double rps, long seconds) {
        return new Stage(Stage.Kind.HOLD, new Rate(rps), new Rate(rps), Duration.ofSeconds(seconds));
    }

    private static Stage ramp(double from, double to, long seconds) {
        return new Stage(Stage.Kind.RAMP, new Rate(from), new Rate(to), Duration.ofSeconds(seconds));
    }

    /** How many arrivals are due in [from, to) seconds from the start. */
    private static long due(ArrivalSchedule s, double from, double to) {
        long n = 0;
        for (long i = 0; i < s.count(); i++) {
            long at = s.offsetOf(i);
            if (at >= from * SECOND && at < to * SECOND) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aConstantRateIsEvenlySpaced() {
        ArrivalSchedule s = ArrivalSchedule.of(List.of(hold(4, 3)), Duration.ZERO);
        assertEquals(12, s.count());
        for (int i = 0; i < 12; i++) {
            assertEquals(i * SECOND / 4, s.offsetOf(i), "arrival " + i);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.offsetOf(12));
    }

    @Test
    void everySecondGetsWhatItsRateIntegratesTo() {
        // a ramp 0 -> 100 over 10 s: second k carries 10k + 5 arrivals, 500 in all
        ArrivalSchedule s = ArrivalSchedule.of(List.of(ramp(0, 100, 10)), Duration.ZERO);
        assertEquals(500, s.count());
        for (int k = 0; k < 10; k++) {
            long expected = 10L * k + 5;
            assertTrue(Math.abs(due(s, k, k + 1) - expected) <= 1, "second " + k + ": " + due(s, k, k + 1));
        }
        // and down again
        ArrivalSchedule down = ArrivalSchedule.of(List.of(ramp(100, 0, 10)), Duration.ZERO);
        assertEquals(500, down.count());
        assertTrue(Math.abs(due(down, 0, 1) - 95) <= 1, "first second of the ramp down: " + due(down, 0, 1));
        assertTrue(Math.abs(due(down, 9, 10) - 5) <= 1, "last second of the ramp down: " + due(down, 9, 10));
    }

    @Test
    void stagesFollowEachOtherAndAZeroStageIsSilent() {
        ArrivalSchedule s = ArrivalSchedule.of(List.of(hold(10, 2), hold(0, 3), hold(20, 1)), Duration.ZERO);
        assertEquals(40, s.count());
        assertEquals(20, due(s, 0, 2));
        assertEquals(0, due(s, 2, 5));
        assertEquals(20, due(s, 5, 6));
        assertEquals(5 * SECOND, s.offsetOf(20), "the first arrival after the pause comes when the rate resumes");
    }

    @Test
    void fractionsCarryOverStageBoundaries() {
        // 2.5 rps for 1 s then 2.5 rps again: 5 arrivals, not 2 + 2
        ArrivalSchedule s = ArrivalSchedule.of(List.of(hold(2.5, 1), hold(2.5, 1)), Duration.ZERO);
        assertEquals(5, s.count());
        assertEquals(SECOND * 4 / 5 * 2, s.offsetOf(4));
    }

    @Test
    void theWarmUpRampComesFirstAndIsCounted() {
        ArrivalSchedule s = ArrivalSchedule.of(List.of(hold(100, 2)), Duration.ofSeconds(4));
        assertEquals(4 * SECOND, s.measuredFrom());
        // 10 -> 100 rps over 4 s: 220 warm-up arrivals, then 200 measured ones from 4 s on
        assertEquals(220, s.warmUpArrivals());
        assertEquals(420, s.count());
        assertTrue(s.offsetOf(219) < 4 * SECOND);
        assertEquals(4 * SECOND, s.offsetOf(220));
        assertEquals(200, due(s, 4, 6));
        // no warm-up for a load that starts at 0 rps
        assertEquals(0, ArrivalSchedule.of(List.of(ramp(0, 10, 2)), Duration.ofSeconds(3)).measuredFrom());
    }

    @Test
    void oneEventLoopPerTwelveThousandRpsAtMostOnePerCore() {
        assertEquals(1, LoadRunner.eventLoops(0, 8));
        assertEquals(1, LoadRunner.eventLoops(10_000, 2));
        assertEquals(2, LoadRunner.eventLoops(20_000, 2));
        assertEquals(2, LoadRunner.eventLoops(100_000, 2));
        assertEquals(5, LoadRunner.eventLoops(50_000, 16));
        assertEquals(15_000, new Load(List.of(hold(100, 1), ramp(10, 15_000, 2), hold(0, 1)), List.of(), null,
                Duration.ofSeconds(5)).peakRate());
    }

    @Test
    void poolSizeCoversTheBusiestSecondWaitingAFullTimeout() {
        assertEquals(1_000 * 6 + 16, ArrivalPool.size(1_000, 6));
        assertEquals(15 + 16, ArrivalPool.size(1.5, 10));
        assertEquals(ArrivalPool.MAX_USERS, ArrivalPool.size(100_000, 61));
        assertEquals(16, ArrivalPool.size(0, 10));
    }
}
