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
    MEMORY_STRESS("memory-stress"),
    // cloud node stops through Chaos Mesh (AWSChaos ec2-stop, GCPChaos node-stop, AzureChaos vm-stop); opt-in per scenario
    AWS_EC2_STOP("aws-ec2-stop"),
    GCP_NODE_STOP("gcp-node-stop"),
    AZURE_VM_STOP("azure-vm-stop");

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

    /** Stops a cloud machine named in the fault's {@code cloud:} block; it selects no pods. */
    public boolean isCloud() {
        return this == AWS_EC2_STOP || this == GCP_NODE_STOP || this == AZURE_VM_STOP;
    }

    @Override
    public String toString() {
        return id;
    }
}
