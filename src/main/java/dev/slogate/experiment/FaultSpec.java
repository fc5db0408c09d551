package dev.slogate.experiment;

import java.time.Duration;

/**
 * A reusable fault ({@code faults/*.yaml} or inline in a scenario). {@code duration} is how long it stays before
 * slogate reverts it; a pod kill is instantaneous and the sandbox restarts the pod by itself.
 * {@code latency} is the added delay of a {@code latency} or {@code network-delay} fault.
 * {@code backend} is who injects it (null: the default, local); {@code cluster} holds the Kubernetes/Chaos Mesh settings;
 * {@code options} what the type read from its own keys ({@link FaultKind#read}). Built with the short constructor and
 * the {@code with} methods, a new field touches no caller that does not set it.
 */
public record FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency,
                        Backend backend, ClusterOptions cluster, FaultOptions options) {
    public FaultSpec {
        cluster = cluster == null ? ClusterOptions.DEFAULTS : cluster;
        options = options == null ? FaultOptions.NONE : options;
    }

    public FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency,
                     Backend backend, ClusterOptions cluster) {
        this(name, type, selector, duration, latency, backend, cluster, FaultOptions.NONE);
    }

    public FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency) {
        this(name, type, selector, duration, latency, null, ClusterOptions.DEFAULTS, FaultOptions.NONE);
    }

    /** The backend that injects this fault: local unless the file or scenario chose another. */
    public Backend backendOrLocal() {
        return backend == null ? Backend.LOCAL : backend;
    }

    /** What this type is and does. */
    public FaultKind kind() {
        return type.kind();
    }

    /** Its options record as the type's own class (the type reads and keeps it: {@link FaultKind#read}). */
    public <T extends FaultOptions> T options(Class<T> type) {
        return type.cast(options);
    }

    /** Its options record as the type's own class, or {@code orElse} when it carries none (a spec built in code). */
    public <T extends FaultOptions> T options(Class<T> type, T orElse) {
        return type.isInstance(options) ? type.cast(options) : orElse;
    }

    public FaultSpec withBackend(Backend b) {
        return new FaultSpec(name, type, selector, duration, latency, b, cluster, options);
    }

    public FaultSpec withCluster(ClusterOptions c) {
        return new FaultSpec(name, type, selector, duration, latency, backend, c, options);
    }

    public FaultSpec withSelector(Selector s) {
        return new FaultSpec(name, type, s, duration, latency, backend, cluster, options);
    }

    public FaultSpec withOptions(FaultOptions o) {
        return new FaultSpec(name, type, selector, duration, latency, backend, cluster, o);
    }
}
