package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static Selector of(Selector.Mode mode, double value) {
        return new Selector(Map.of("app", "demo"), mode, value);
    }

    @Test
    void planSaysHowManyOfTheCandidatesEachModeTakes() {
        assertEquals("1 of 8, picked at injection", of(Selector.Mode.ONE, 0).describePick(8));
        assertEquals("all 8", of(Selector.Mode.ALL, 0).describePick(8));
        assertEquals("3 of 8, picked at injection", of(Selector.Mode.FIXED, 3).describePick(8));
        assertEquals("2 of 8, picked at injection", of(Selector.Mode.FIXED_PERCENT, 30).describePick(8));
        assertEquals("1 to 4 of 8, picked at injection", of(Selector.Mode.RANDOM_MAX_PERCENT, 50).describePick(8));
        assertEquals("the only match", of(Selector.Mode.ONE, 0).describePick(1));
        assertEquals("all 3", of(Selector.Mode.FIXED, 5).describePick(3), "never more than there are");
    }

    @Test
    void randomMaxPercentStaysWithinItsBound() {
        Selector s = of(Selector.Mode.RANDOM_MAX_PERCENT, 50);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            int n = s.count(8, random);
            assertTrue(n >= 1 && n <= 4, "picked " + n);
        }
    }
}
