package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.slogate.experiment.SandboxSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxShapeTest {
    private static SandboxState running(int regions, int nodes, int pods) {
        List<PodState> all = new ArrayList<>();
        for (int r = 0; r < regions; r++) {
            for (int n = 1; n <= nodes; n++) {
                for (int p = 1; p <= pods; p++) {
                    String region = String.valueOf((char) ('a' + r));
                    all.add(new PodState(region + "-" + n + "-" + p, region, region + "-" + n, 9000 + all.size(), 1, PodState.RUNNING, "UP", 0));
                }
            }
        }
        return new SandboxState(1, 1, "u", "p", "s", "sock", 1, 1, null, true, List.of(), all);
    }

    @Test
    void aRunningSandboxHasTheShapeOfItsPods() {
        SandboxShape spec = SandboxShape.of(new SandboxSpec(2, 2, 2, Duration.ofMillis(5), 0, 64, Duration.ofSeconds(3)));
        assertEquals(spec, SandboxShape.of(running(2, 2, 2)));
        assertNotEquals(spec, SandboxShape.of(running(1, 1, 2)));
        assertEquals("1 region x 1 node x 2 pods", SandboxShape.of(running(1, 1, 2)).toString());
        assertEquals("2 regions x 2 nodes x 2 pods", spec.toString());
    }
}
