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

    /** The kind {@code type} creates (its {@link ChaosMeshFault#chaosKind()}). */
    public static ChaosKind of(FaultType type) {
        return ChaosMeshFault.of(type).chaosKind();
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
