package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.LocalFault;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import dev.slogate.fault.kubernetes.KubernetesFault;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code region-outage}: on the sandbox the daemon takes every pod of the region down until reverted; on Kubernetes
 * every node of the topology.kubernetes.io/region is cordoned and drained; with {@code mechanism: partition} a Chaos
 * Mesh network partition cuts the region off instead.
 */
public final class RegionOutage implements FaultKind, KubernetesFault, LocalFault, ChaosMeshFault {
    @Override
    public String id() {
        return "region-outage";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL, Backend.KUBERNETES, Backend.CHAOS_MESH);
    }

    @Override
    public List<String> selectorKeys() {
        return List.of("region");
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
    public Targets targets() {
        return Targets.REGIONS;
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(LocalFaultInjector.REGIONS, String.join(",", chosen));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        fault.targets().forEach(r -> sandbox.regionDown(r, fault.id()));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        if (sandbox != null) {
            LocalFault.names(fault.revertData().get(LocalFaultInjector.REGIONS)).forEach(r -> sandbox.regionUp(r, fault.id()));
        }
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    /** Only by partition, which needs the live node lists: {@code ChaosExperiments.zonePartition} builds it. */
    @Override
    public void action(ObjectNode spec, FaultSpec fault) {
        throw new IllegalArgumentException("a region partition needs the live node lists: use zonePartition");
    }

    @Override
    public Takes takes() {
        return Takes.ALL_MATCHING_NODES;
    }
}
