package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DurationsAndRatesTest {

    @Test
    void parsesCompoundDurations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofHours(4), Durations.parse("4h"));
    }

    @Test
    void rejectsDurationsWithoutUnitsAndSaysWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
        assertTrue(e.getMessage().contains("500ms, 30s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }

    @Test
    void aDurationTooLongForAnyClockIsRefusedNotWrappedAround() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999h"));
        assertTrue(e.getMessage().contains("far longer than any run"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("2000000h2000000h2000000h2000000h2000000h"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
    }

    @Test
    void formatsRoundTrip() {
        for (String s : new String[] {"500ms", "30s", "2m", "1h30m", "1m30s", "1.5s"}) {
            assertEquals(Durations.parse(s), Durations.parse(Durations.format(Durations.parse(s))), s);
        }
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    }

    @Test
    void microsecondsParseAndPrintWithoutTruncation() {
        assertEquals(Duration.ofNanos(500_000), Durations.parse("500us"));
        assertEquals(Duration.ofNanos(500_000), Durations.parse("0.5ms"));
        assertEquals(Duration.ofNanos(1_500_000), Durations.parse("1ms500us"));
        assertEquals("0.5ms", Durations.format(Duration.ofNanos(500_000)), "was printed as 0s");
        assertEquals("1.5ms", Durations.format(Duration.ofNanos(1_500_000)), "was printed as 1ms");
        assertEquals("0.001ms", Durations.format(Duration.ofNanos(1_000)));
        assertEquals("0.25s", Durations.format(Duration.ofMillis(250)), "whole milliseconds print as before");
    }

    @Test
    void parsesRates() {
        assertEquals(500, Rate.parse("500").perSecond());
        assertEquals(2000, Rate.parse("2k/s").perSecond());
        assertEquals(0.5, Rate.parse("30/m").perSecond(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("-3/s"));
    }

    @Test
    void selectorModesChooseTheRightCount() {
        Random r = new Random(1);
        assertEquals(1, sel(Selector.Mode.ONE, 0).count(8, r));
        assertEquals(8, sel(Selector.Mode.ALL, 0).count(8, r));
        assertEquals(3, sel(Selector.Mode.FIXED, 3).count(8, r));
        assertEquals(8, sel(Selector.Mode.FIXED, 30).count(8, r));
        assertEquals(4, sel(Selector.Mode.FIXED_PERCENT, 50).count(8, r));
        assertEquals(1, sel(Selector.Mode.FIXED_PERCENT, 1).count(8, r));
        assertEquals(0, sel(Selector.Mode.ALL, 0).count(0, r));
        for (int i = 0; i < 50; i++) {
            int n = sel(Selector.Mode.RANDOM_MAX_PERCENT, 50).count(8, r);
            assertTrue(n >= 1 && n <= 4, "random-max-percent 50 of 8 gave " + n);
        }
    }

    @Test
    void selectorMatchesAllLabels() {
        Selector s = new Selector(Map.of("region", "a"), Selector.Mode.ALL, 0);
        assertTrue(s.matches(Map.of("region", "a", "node", "a-1")));
        assertTrue(!s.matches(Map.of("region", "b", "node", "b-1")));
    }

    @Test
    void rampInterpolatesAndLoadKnowsItsRate() {
        Load load = new Load(java.util.List.of(
                new Stage(Stage.Kind.RAMP, new Rate(0), new Rate(100), Duration.ofSeconds(10)),
                new Stage(Stage.Kind.HOLD, new Rate(100), new Rate(100), Duration.ofSeconds(20))),
                java.util.List.of(), null, Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(30), load.duration());
        assertEquals(50, load.targetRpsAt(Duration.ofSeconds(5)), 1e-9);
        assertEquals(100, load.targetRpsAt(Duration.ofSeconds(25)), 1e-9);
        assertEquals(0, load.targetRpsAt(Duration.ofSeconds(31)), 1e-9);
    }

    private static Selector sel(Selector.Mode m, double v) {
        return new Selector(Map.of(), m, v);
    }
}
