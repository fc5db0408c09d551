package dev.slogate.sandbox;

import dev.slogate.experiment.SandboxSpec;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The decision of Kubernetes' HPA, on the total of a metric over all pods: want {@code ceil(total / targetPerPod)}
 * pods, but keep the current count while the load per pod is within 10 % of the target; clamp to [min, max]; scale up
 * at once, scale down only to the highest count wanted over the last {@code scaleDownStabilization}.
 */
final class ScalingRule {
    static final double TOLERANCE = 0.1;

    private final SandboxSpec.Autoscaler spec;
    private final Deque<long[]> recommendations = new ArrayDeque<>(); // {atMillis, pods}

    ScalingRule(SandboxSpec.Autoscaler spec) {
        this.spec = spec;
    }

    int desired(double total, int current, long nowMillis) {
        int wanted;
        if (current > 0 && Math.abs(total / (current * spec.targetPerPod()) - 1) <= TOLERANCE) {
            wanted = current;
        } else {
            wanted = (int) Math.ceil(total / spec.targetPerPod() - 1e-9);
        }
        wanted = Math.max(spec.min(), Math.min(spec.max(), wanted));
        recommendations.addLast(new long[] {nowMillis, wanted});
        long horizon = nowMillis - spec.scaleDownStabilization().toMillis();
        while (!recommendations.isEmpty() && recommendations.peekFirst()[0] < horizon) {
            recommendations.removeFirst();
        }
        if (wanted >= current) {
            return wanted;
        }
        long highest = recommendations.stream().mapToLong(r -> r[1]).max().orElse(wanted);
        return (int) Math.min(current, highest);
    }
}
