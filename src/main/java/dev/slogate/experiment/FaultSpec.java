package dev.slogate.experiment;

import java.time.Duration;

/**
 * A reusable fault ({@code faults/*.yaml} or inline in a scenario). {@code duration} is how long it stays before
 * slogate reverts it; a pod kill is instantaneous and the sandbox restarts the pod by itself.
 * {@code latency} is the added delay of a {@code latency} or {@code network-delay} fault.
 * {@code backend} is who injects it (null: the default, local); {@code cluster} holds the Kubernetes/Chaos Mesh settings.
 */
public record FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency,
                        Backend backend, ClusterOptions cluster) {
    public FaultSpec {
        cluster = cluster == null ? ClusterOptions.DEFAULTS : cluster;
    }

    public FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency) {
        this(name, type, selector, duration, latency, null, ClusterOptions.DEFAULTS);
    }

    /** The backend that injects this fault: local unless the file or scenario chose another. */
    public Backend backendOrLocal() {
        return backend == null ? Backend.LOCAL : backend;
    }

    public FaultSpec withBackend(Backend b) {
        return new FaultSpec(name, type, selector, duration, latency, b, cluster);
    }
}
