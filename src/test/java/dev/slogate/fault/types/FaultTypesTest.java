package dev.slogate.fault.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.FaultTypes;
import dev.slogate.fault.LocalFault;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import dev.slogate.fault.kubernetes.KubernetesFault;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry: every type once, in the documented order, and each back end it lists can inject it. */
class FaultTypesTest {

    @Test
    void theBuiltInTypesInTheirOrder() {
        assertEquals(List.of("pod-kill", "pod-pause", "node-kill", "region-outage", "latency", "pod-failure", "container-kill", "zone-outage",
                "network-delay", "network-loss", "network-partition", "network-bandwidth", "cpu-stress", "memory-stress", "aws-ec2-stop",
                "gcp-node-stop", "azure-vm-stop"), FaultTypes.all().stream().map(FaultKind::id).toList());
    }

    @Test
    void eachBackendATypeListsFindsItsInterfaceOnTheClass() {
        for (FaultKind k : FaultTypes.all()) {
            assertEquals(k.backends().contains(Backend.LOCAL), k instanceof LocalFault, k.id() + " and local");
            assertEquals(k.backends().contains(Backend.KUBERNETES), k instanceof KubernetesFault, k.id() + " and kubernetes");
            assertEquals(k.backends().contains(Backend.CHAOS_MESH), k instanceof ChaosMeshFault, k.id() + " and chaos-mesh");
        }
    }

    @Test
    void oneNamePerTypeAndTheJournalSpellingRoundTrips() {
        assertEquals(FaultType.POD_KILL, FaultType.fromId("pod-kill"));
        assertEquals("unknown fault type 'pod-kil'", assertThrows(IllegalArgumentException.class, () -> FaultType.fromId("pod-kil")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FaultTypes.register(new PodKill()), "a name is registered once");
    }
}
