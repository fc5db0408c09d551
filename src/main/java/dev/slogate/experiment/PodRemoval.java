package dev.slogate.experiment;

import java.time.Duration;
import java.util.List;

/**
 * How a fault removes pods on Kubernetes (pod-kill, and the pods of the nodes a node fault drains): the keys
 * {@code gracePeriod} and {@code podRemoval}, read by each type that removes pods.
 *
 * @param gracePeriod the pods' grace period (0 when not written: an abrupt kill)
 * @param mode        {@link #DELETE} (the default) or {@link #EVICT} (the Eviction API, so PodDisruptionBudgets are respected)
 */
public record PodRemoval(Duration gracePeriod, String mode) implements FaultOptions {
    public static final String DELETE = "delete";
    public static final String EVICT = "evict";
    public static final List<String> MODES = List.of(DELETE, EVICT);
    public static final List<String> KEYS = List.of("gracePeriod", "podRemoval");
    public static final PodRemoval DEFAULT = new PodRemoval(Duration.ZERO, DELETE);

    /** Pods are removed through the Eviction API (PodDisruptionBudgets respected) rather than deleted. */
    public boolean evict() {
        return EVICT.equals(mode);
    }

    @Override
    public PodRemoval podRemoval() {
        return this;
    }

    /** Reads {@link #KEYS}; {@code partition}: the fault removes no pod (a zone partition), so evict has no meaning. */
    public static PodRemoval read(FaultKeys k, boolean partition) {
        Duration grace = k.duration("gracePeriod", Duration.ZERO, true);
        String mode = k.oneOf("podRemoval", DELETE, MODES,
                "write podRemoval: delete (remove the pods at once) or podRemoval: evict (the Eviction API: PodDisruptionBudgets may refuse)");
        if (EVICT.equals(mode) && partition) {
            k.problem("podRemoval", "podRemoval: evict has no meaning with mechanism: partition (no pod is removed)",
                    "remove podRemoval, or write mechanism: kill");
        }
        return grace == null || mode == null ? null : new PodRemoval(grace, mode);
    }
}
