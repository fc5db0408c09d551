package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunIdTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

    @Test
    void sixtyThreeCharactersAreTheLimit() {
        assertTrue(RunId.problem("a".repeat(63)).isEmpty());
        String tooLong = RunId.problem("a".repeat(64)).orElseThrow();
        assertTrue(tooLong.contains("64 characters") && tooLong.contains("at most 63"), tooLong);
    }

    @Test
    void ordinaryIdsAreValid() {
        for (String id : List.of("7", "release-42", "gate.2026_03", "A1", "12345678901")) {
            assertTrue(RunId.problem(id).isEmpty(), id);
            assertEquals(id, RunId.require(id));
        }
    }

    @Test
    void pathsAndDotsAreRefused() {
        for (String id : List.of(".", "..", "../x", "a/b", "/abs", "a\\b", "-rf", "_x", ".hidden", "x-", "x.", "", "a b", "é")) {
            assertTrue(RunId.problem(id).isPresent(), "'" + id + "' must be refused");
            assertThrows(IllegalArgumentException.class, () -> RunId.require(id), id);
        }
        assertTrue(RunId.problem(null).isPresent());
        assertTrue(RunId.problem("-rf").orElseThrow().contains("must start with a letter or digit"));
        assertTrue(RunId.problem("a/b").orElseThrow().contains("may only contain"));
    }

    @Test
    void theDefaultIdIsAlwaysValid() {
        assertEquals("20260301-101530-checkout-gameday", RunId.generate("checkout-gameday", AT));
        for (String name : List.of("x".repeat(200), "über scenario/with:odd*chars", "", "...", "name-", "--")) {
            String id = RunId.generate(name, AT);
            assertTrue(RunId.problem(id).isEmpty(), "'" + id + "' from '" + name + "'");
            assertTrue(id.startsWith("20260301-101530"), id);
        }
        String capacity = RunId.generate("y".repeat(100), "-capacity", AT);
        assertEquals(63, capacity.length(), capacity);
        assertTrue(capacity.endsWith("-capacity") && RunId.problem(capacity).isEmpty(), capacity);
    }
}
