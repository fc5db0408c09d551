package dev.slogate.experiment;

/**
 * The safety settings every fault on Kubernetes or Chaos Mesh takes: at most {@code maxPercent} of the matching pods
 * (or nodes) are hit, the last schedulable node of a zone is never taken, and {@code kube-system} or the Chaos Mesh
 * namespace are refused, unless {@code force} is set. What a fault type reads besides these (a grace period, a
 * direction, a memory size, ...) is in its own options record ({@link FaultSpec#options()}).
 */
public record ClusterOptions(double maxPercent, boolean force) {
    public static final double DEFAULT_MAX_PERCENT = 50;
    public static final ClusterOptions DEFAULTS = new ClusterOptions(DEFAULT_MAX_PERCENT, false);

    /** These options with another cap. */
    public ClusterOptions withMaxPercent(double percent) {
        return new ClusterOptions(percent, force);
    }
}
