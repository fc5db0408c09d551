package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import dev.slogate.fault.kubernetes.KubernetesFault;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code zone-outage}: every node of the topology.kubernetes.io/zone cordoned and drained through the Kubernetes API,
 * or with {@code mechanism: partition} a Chaos Mesh network partition that cuts the zone off.
 */
public final class ZoneOutage implements FaultKind, KubernetesFault, ChaosMeshFault {
    @Override
    public String id() {
        return "zone-outage";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.KUBERNETES, Backend.CHAOS_MESH);
    }

    @Override
    public List<String> selectorKeys() {
        return List.of("zone");
    }

    @Override
    public List<String> requiredSelectorKeys() {
        return List.of("zone");
    }

    @Override
    public List<String> keys() {
        return NodeOutage.KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        return NodeOutage.read(keys);
    }

    @Override
    public boolean hitsNodes() {
        return true;
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    /** Only by partition, which needs the live node lists: {@code ChaosExperiments.zonePartition} builds it. */
    @Override
    public void action(ObjectNode spec, FaultSpec fault) {
        throw new IllegalArgumentException("a zone partition needs the live node lists: use zonePartition");
    }

    @Override
    public Takes takes() {
        return Takes.ALL_MATCHING_NODES;
    }
}
