package dev.slogate.fault.chaosmesh;

import dev.slogate.experiment.FaultType;

/** The Chaos Mesh custom resources slogate creates, with their plural names in the API path. */
public enum ChaosKind {
    POD_CHAOS("PodChaos", "podchaos"),
    NETWORK_CHAOS("NetworkChaos", "networkchaos"),
    STRESS_CHAOS("StressChaos", "stresschaos"),
    AWS_CHAOS("AWSChaos", "awschaos"),
    GCP_CHAOS("GCPChaos", "gcpchaos"),
    AZURE_CHAOS("AzureChaos", "azurechaos");

    private final String kind;
    private final String plural;

    ChaosKind(String kind, String plural) {
        this.kind = kind;
        this.plural = plural;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** AWSChaos, GCPChaos, AzureChaos: cloud machines, not pods. */
    public boolean cloud() {
        return this == AWS_CHAOS || this == GCP_CHAOS || this == AZURE_CHAOS;
    }

    public static ChaosKind of(FaultType type) {
        return switch (type) {
            case POD_KILL, POD_FAILURE, CONTAINER_KILL -> POD_CHAOS;
            case NETWORK_DELAY, NETWORK_LOSS, NETWORK_PARTITION, NETWORK_BANDWIDTH, ZONE_OUTAGE, REGION_OUTAGE -> NETWORK_CHAOS;
            case AWS_EC2_STOP -> AWS_CHAOS;
            case GCP_NODE_STOP -> GCP_CHAOS;
            case AZURE_VM_STOP -> AZURE_CHAOS;
            case CPU_STRESS, MEMORY_STRESS -> STRESS_CHAOS;
            default -> throw new IllegalArgumentException(type + " is not a Chaos Mesh fault");
        };
    }

    public static ChaosKind fromKind(String kind) {
        for (ChaosKind k : values()) {
            if (k.kind.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown Chaos Mesh kind " + kind);
    }
}
