package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of objective kinds, and what happens to an indicator no kind claims. */
class ObjectiveKindsTest {
    @Test
    void slogatesOwnKindsComeFirstInTheirOrderThenTheAddedOnes() {
        assertEquals(List.of("latency", "errorRate", "availability", "rto", "scaling", "rpo", "throughput"), ObjectiveKinds.keys(),
                "the test class path adds the throughput kind of src/test/resources/META-INF/services");
        assertEquals(List.of("Latency", "Ratio", "Rto", "Scaling", "Rpo", "Threshold", "Throughput"),
                ObjectiveKinds.all().stream().map(k -> k.indicator().getSimpleName()).toList());
    }

    @Test
    void anIndicatorNoKindClaimsIsNamedWithTheFixNotCastToAnRto() {
        record Unclaimed() implements SloDef.Indicator {
        }
        SloDef slo = new SloDef("odd", "", new Unclaimed(), Op.LT, 1, List.of("run"), Path.of("slo.yaml"), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Plan.sentence(slo));
        assertTrue(e.getMessage().contains("no objective kind is registered for") && e.getMessage().contains("Unclaimed")
                && e.getMessage().contains("META-INF/services/dev.slogate.experiment.ObjectiveKind"), e.getMessage());
    }
}
