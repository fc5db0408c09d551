package dev.slogate.experiment;

import java.util.Arrays;

/** The kinds of fault slogate injects, by the name used in files. */
public enum FaultType {
    POD_KILL("pod-kill"),
    POD_PAUSE("pod-pause"),
    NODE_KILL("node-kill"),
    REGION_OUTAGE("region-outage"),
    LATENCY("latency");

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

    @Override
    public String toString() {
        return id;
    }
}
