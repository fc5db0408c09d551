package dev.slogate.experiment;

import java.util.Arrays;

/** The kinds of fault slogate injects, by the name used in files. */
public enum FaultType {
    POD_KILL("pod-kill"),
    POD_PAUSE("pod-pause"),
    NODE_KILL("node-kill"),
    REGION_OUTAGE("region-outage"),
    LATENCY("latency"),
    // Kubernetes / Chaos Mesh faults (see Backend for which backend injects which)
    POD_FAILURE("pod-failure"),
    CONTAINER_KILL("container-kill"),
    ZONE_OUTAGE("zone-outage"),
    NETWORK_DELAY("network-delay"),
    NETWORK_LOSS("network-loss"),
    NETWORK_PARTITION("network-partition"),
    NETWORK_BANDWIDTH("network-bandwidth"),
    CPU_STRESS("cpu-stress"),
    MEMORY_STRESS("memory-stress");

    private final String id;

    FaultType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static FaultType fromId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault type '" + id + "'"));
    }

    /** Node-level faults: their targets are nodes (or whole zones/regions of nodes), not pods. */
    public boolean hitsNodes() {
        return this == NODE_KILL || this == ZONE_OUTAGE || this == REGION_OUTAGE;
    }

    @Override
    public String toString() {
        return id;
    }
}
