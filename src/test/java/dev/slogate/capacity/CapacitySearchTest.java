package dev.slogate.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {
    /** A target whose SLOs hold up to {@code capacity} rps; an injector that can send up to {@code injectorMax}. */
    private static CapacitySearch.Probe target(double capacity, double injectorMax, List<Double> tried) {
        return (i, rps) -> {
            tried.add(rps);
            boolean saturated = rps > injectorMax;
            boolean held = rps <= capacity;
            return new CapacityStep(i, rps, saturated ? injectorMax : rps, 1.0, 2.0, 3.0, 0, held, saturated,
                    held ? List.of() : List.of("p95-latency"));
        };
    }

    @Test
    void bracketsTheKneeWithinThePrecision() {
        for (double capacity : new double[] {57, 200, 333, 1234}) {
            List<Double> tried = new ArrayList<>();
            CapacitySearch.Outcome o = new CapacitySearch(50, 1.5, 100_000, 0.05, 20).run(target(capacity, 1e9, tried));
            assertNotNull(o.highestHeld(), "capacity " + capacity);
            assertNotNull(o.lowestBroken(), "capacity " + capacity);
            double lo = o.highestHeld().targetRps();
            double hi = o.lowestBroken().targetRps();
            assertTrue(lo <= capacity && capacity < hi, lo + " <= " + capacity + " < " + hi);
            assertTrue((hi - lo) / lo <= 0.05 + 0.01, "within 5 % (plus rounding): " + lo + ".." + hi);
            assertTrue(capacity - lo <= 0.06 * capacity, "the reported maximum is close below the knee: " + lo);
            assertEquals(tried.size(), o.steps().size());
            assertTrue(tried.size() <= 14, "a few steps: " + tried);
            assertEquals(List.of("p95-latency"), o.lowestBroken().broken());
        }
    }

    @Test
    void stepsUpGeometricallyThenBisects() {
        List<Double> tried = new ArrayList<>();
        new CapacitySearch(100, 2, 10_000, 0.05, 20).run(target(300, 1e9, tried));
        assertEquals(List.of(100.0, 200.0, 400.0, 300.0), tried.subList(0, 4));
        assertTrue(tried.get(4) > 300 && tried.get(4) < 400, "bisects between the held 300 and the broken 400: " + tried);
    }

    @Test
    void stopsWhereTheInjectorCannotFollow() {
        List<Double> tried = new ArrayList<>();
        CapacitySearch.Outcome o = new CapacitySearch(100, 2, 10_000, 0.05, 20).run(target(5_000, 700, tried));
        assertNotNull(o.saturated());
        assertEquals(800, o.saturated().targetRps());
        assertEquals(400, o.highestHeld().targetRps());
        assertNull(o.lowestBroken());
        assertEquals(List.of(100.0, 200.0, 400.0, 800.0), tried);
    }

    @Test
    void reportsTheCeilingAndAnEarlyBreak() {
        CapacitySearch.Outcome up = new CapacitySearch(100, 2, 500, 0.05, 20).run(target(1e9, 1e9, new ArrayList<>()));
        assertTrue(up.ceilingReached());
        assertEquals(500, up.highestHeld().targetRps(), "the last step is the ceiling itself");

        CapacitySearch.Outcome low = new CapacitySearch(100, 2, 500, 0.05, 20).run(target(50, 1e9, new ArrayList<>()));
        assertNull(low.highestHeld());
        assertEquals(100, low.lowestBroken().targetRps());
        assertEquals(1, low.steps().size());

        CapacitySearch.Outcome few = new CapacitySearch(100, 2, 1e6, 0.05, 3).run(target(1e9, 1e9, new ArrayList<>()));
        assertEquals(3, few.steps().size(), "maxSteps bounds the search");
    }

    @Test
    void rejectsSettingsThatCannotSearch() {
        assertThrows(IllegalArgumentException.class, () -> new CapacitySearch(0, 1.5, 100, 0.05, 10));
        assertThrows(IllegalArgumentException.class, () -> new CapacitySearch(10, 1, 100, 0.05, 10));
        assertThrows(IllegalArgumentException.class, () -> new CapacitySearch(10, 1.5, 5, 0.05, 10));
    }
}
