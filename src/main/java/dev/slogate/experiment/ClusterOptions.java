package dev.slogate.experiment;

import java.time.Duration;
import java.util.List;

/**
 * The settings of a fault that only Kubernetes and Chaos Mesh use. Safety first: at most {@code maxPercent} of the
 * matching pods (or nodes) are hit, the last schedulable node of a zone is never taken, and {@code kube-system} or the
 * Chaos Mesh namespace are refused, unless {@code force} is set.
 *
 * @param gracePeriod pod-kill's grace period (0 when not written: an abrupt kill)
 * @param containers  container-kill's container names
 * @param direction   network faults: to, from or both
 * @param target      network faults: the other side (a partition's peer), or null
 * @param jitter      network-delay: jitter added to the latency, or null
 * @param lossPercent network-loss: percentage of packets dropped
 * @param bandwidth   network-bandwidth: rate such as "1mbps", or null
 * @param workers     cpu/memory-stress: stressor workers
 * @param load        cpu-stress: percent load per worker
 * @param size        memory-stress: memory per worker such as "256MB", or null
 * @param mechanism   zone-/region-outage: {@link #KILL} (cordon and drain, the default) or {@link #PARTITION} (a Chaos Mesh network partition)
 * @param cloud       aws-ec2-stop, gcp-node-stop, azure-vm-stop: the instance and its credentials secret, else null
 * @param podRemoval  how pods are removed (pod-kill, node-kill, zone-/region-outage): {@link #DELETE} (the default) or
 *                    {@link #EVICT} (the Eviction API, so PodDisruptionBudgets are respected)
 */
public record ClusterOptions(double maxPercent, boolean force, Duration gracePeriod, List<String> containers, String direction,
                             Selector target, Duration jitter, double lossPercent, String bandwidth, int workers, int load, String size,
                             String mechanism, CloudInstance cloud, String podRemoval) {
    public static final double DEFAULT_MAX_PERCENT = 50;
    public static final String KILL = "kill";
    public static final String PARTITION = "partition";
    public static final String DELETE = "delete";
    public static final String EVICT = "evict";
    public static final ClusterOptions DEFAULTS = new ClusterOptions(DEFAULT_MAX_PERCENT, false, Duration.ZERO, List.of(), "to",
            null, null, 0, null, 1, 100, null);

    public ClusterOptions {
        containers = List.copyOf(containers);
        mechanism = mechanism == null ? KILL : mechanism;
        podRemoval = podRemoval == null ? DELETE : podRemoval;
    }

    public ClusterOptions(double maxPercent, boolean force, Duration gracePeriod, List<String> containers, String direction,
                          Selector target, Duration jitter, double lossPercent, String bandwidth, int workers, int load, String size,
                          String mechanism, CloudInstance cloud) {
        this(maxPercent, force, gracePeriod, containers, direction, target, jitter, lossPercent, bandwidth, workers, load, size, mechanism, cloud, DELETE);
    }

    public ClusterOptions(double maxPercent, boolean force, Duration gracePeriod, List<String> containers, String direction,
                          Selector target, Duration jitter, double lossPercent, String bandwidth, int workers, int load, String size) {
        this(maxPercent, force, gracePeriod, containers, direction, target, jitter, lossPercent, bandwidth, workers, load, size, KILL, null);
    }

    /** These options with another cap (the rest unchanged). */
    public ClusterOptions withMaxPercent(double percent) {
        return new ClusterOptions(percent, force, gracePeriod, containers, direction, target, jitter, lossPercent, bandwidth, workers, load, size,
                mechanism, cloud, podRemoval);
    }

    /** These options with another network peer (null: none). */
    public ClusterOptions withTarget(Selector peer) {
        return new ClusterOptions(maxPercent, force, gracePeriod, containers, direction, peer, jitter, lossPercent, bandwidth, workers, load, size,
                mechanism, cloud, podRemoval);
    }

    /** A zone or region outage made by a network partition instead of killing nodes. */
    public boolean partition() {
        return PARTITION.equals(mechanism);
    }

    /** Pods are removed through the Eviction API (PodDisruptionBudgets respected) rather than deleted. */
    public boolean evict() {
        return EVICT.equals(podRemoval);
    }
}
