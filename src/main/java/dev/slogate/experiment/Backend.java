package dev.slogate.experiment;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who injects a fault: the local sandbox (signals and HAProxy), the Kubernetes API directly (fabric8: delete pods,
 * cordon and drain nodes), or Chaos Mesh (its custom resources). A fault without {@code backend:} is local on a
 * sandbox target; on a url target with a {@code kubernetes:} block it goes to Kubernetes when the API can do it,
 * else to Chaos Mesh.
 */
public enum Backend {
    LOCAL("local", EnumSet.of(FaultType.POD_KILL, FaultType.POD_PAUSE, FaultType.NODE_KILL, FaultType.REGION_OUTAGE, FaultType.LATENCY)),
    KUBERNETES("kubernetes", EnumSet.of(FaultType.POD_KILL, FaultType.NODE_KILL, FaultType.ZONE_OUTAGE, FaultType.REGION_OUTAGE)),
    CHAOS_MESH("chaos-mesh", EnumSet.of(FaultType.POD_KILL, FaultType.POD_FAILURE, FaultType.CONTAINER_KILL, FaultType.NETWORK_DELAY,
            FaultType.NETWORK_LOSS, FaultType.NETWORK_PARTITION, FaultType.NETWORK_BANDWIDTH, FaultType.CPU_STRESS, FaultType.MEMORY_STRESS,
            // zone-/region-outage only with mechanism: partition (checked when the scenario is resolved)
            FaultType.ZONE_OUTAGE, FaultType.REGION_OUTAGE, FaultType.AWS_EC2_STOP, FaultType.GCP_NODE_STOP, FaultType.AZURE_VM_STOP));

    private final String id;
    private final Set<FaultType> types;

    Backend(String id, Set<FaultType> types) {
        this.id = id;
        this.types = types;
    }

    public String id() {
        return id;
    }

    public boolean supports(FaultType type) {
        return types.contains(type);
    }

    public Set<FaultType> types() {
        return Set.copyOf(types);
    }

    public boolean onCluster() {
        return this != LOCAL;
    }

    public static Backend fromId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + id + "'"));
    }

    @Override
    public String toString() {
        return id;
    }
}
