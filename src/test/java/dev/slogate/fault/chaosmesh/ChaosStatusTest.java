package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status parsing from the recorded responses in src/test/resources/chaosmesh. */
class ChaosStatusTest {
    static ChaosStatus load(String name) throws Exception {
        try (InputStream in = ChaosStatusTest.class.getResourceAsStream("/chaosmesh/" + name)) {
            return ChaosStatus.parse(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void notYetInjectedHasNoFaultWindow() throws Exception {
        ChaosStatus s = load("networkchaos-not-yet-injected.json");
        assertTrue(s.selected());
        assertFalse(s.allInjected());
        assertEquals(Optional.empty(), s.firstApplied());
        assertEquals(Optional.empty(), s.lastRecovered());
        assertEquals(List.of("shop/db-0"), s.targets());
        assertEquals("Run", s.desiredPhase());
    }

    @Test
    void injectedStartsAtTheFirstApply() throws Exception {
        ChaosStatus s = load("networkchaos-injected.json");
        assertTrue(s.allInjected());
        assertEquals(Optional.of(Instant.parse("2026-01-10T10:00:01Z")), s.firstApplied());
        assertEquals(Optional.empty(), s.lastRecovered(), "not recovered yet");
        assertEquals(List.of(), s.failures());
    }

    @Test
    void recoveredEndsAtTheLastRecover() throws Exception {
        ChaosStatus s = load("networkchaos-recovered.json");
        assertTrue(s.allRecovered() && s.paused());
        assertEquals(Optional.of(Instant.parse("2026-01-10T10:00:32Z")), s.lastRecovered());
        assertEquals(Optional.of(Instant.parse("2026-01-10T10:00:01Z")), s.firstApplied());
    }

    @Test
    void aFailedRecoveryIsNamedWithItsMessage() throws Exception {
        ChaosStatus s = load("stresschaos-recover-failed.json");
        assertFalse(s.allRecovered());
        assertEquals(Optional.empty(), s.lastRecovered());
        assertEquals(List.of("shop/checkout-7d9f-abcde/app: Recover failed: rpc error: code = Unavailable desc = connection error: chaos-daemon on node n2 unreachable"),
                s.failures());
    }

    @Test
    void aOneShotPodKillIsInjectedAndNeverRecovered() throws Exception {
        ChaosStatus s = load("podchaos-pod-kill-injected.json");
        assertTrue(s.allInjected());
        assertFalse(s.allRecovered());
        assertEquals(List.of("shop/checkout-2"), s.targets());
        assertEquals(Optional.of(Instant.parse("2026-01-10T10:10:00Z")), s.firstApplied());
        assertEquals(Optional.empty(), s.lastRecovered());
    }
}
