package dev.slogate.sandbox;

import dev.slogate.experiment.SandboxSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One period of the sandbox autoscaler, free of I/O: from each pod slot's state and its load sample, how many pods it
 * wants and which ones to drain. The HPA arithmetic itself (tolerance, min/max, scale-down stabilization) is
 * {@link ScalingRule}; this class decides what counts:
 * <ul>
 *   <li>The pods that count ({@code current}) are those assigned and not on a down node: running, restarting, and
 *   starting. A dead pod (its node down, state {@code down}) is lost capacity: neither its stale sample nor its slot
 *   counts, so the load is averaged over the pods that can serve and the autoscaler starts replacements on live
 *   nodes instead of concluding that the average pod is underused.</li>
 *   <li>A starting pod counts with its sample (0 until HAProxy sends it traffic), like a replica the Deployment already
 *   created: capacity on its way, so the autoscaler does not start another one for the same load.</li>
 *   <li>Scale-down drains the newest running (or restarting) pods, never a starting one: draining a pod that has not
 *   served yet throws its start delay away. (Kubernetes' ReplicaSet prefers to delete unready pods; the sandbox keeps
 *   them because its start delay stands for a slow boot that should not be paid twice.) Starting pods beyond the
 *   wanted count are drained in a later period once they run.</li>
 * </ul>
 */
final class ScalingDecision {
    /** A pod slot: its name, its {@link PodState} state, and its load over the last period (NaN or absent: no sample, 0). */
    record PodLoad(String pod, String state, double load) {
    }

    /** {@code current} pods counted, their {@code total} load, the {@code desired} count, and the pods to drain (in order). */
    record Decision(int current, double total, int desired, List<String> drain) {
        double perPod() {
            return current == 0 ? 0 : total / current;
        }
    }

    private final ScalingRule rule;

    ScalingDecision(SandboxSpec.Autoscaler spec) {
        this.rule = new ScalingRule(spec);
    }

    /** {@code pods} in slot order (the autoscaler fills slots from the first; the last assigned is the newest). */
    Decision decide(List<PodLoad> pods, long nowMillis) {
        int current = 0;
        double total = 0;
        for (PodLoad p : pods) {
            if (counts(p.state())) {
                current++;
                total += Double.isNaN(p.load()) ? 0 : p.load();
            }
        }
        int desired = rule.desired(total, current, nowMillis);
        List<String> drain = new ArrayList<>();
        for (int i = pods.size() - 1; i >= 0 && current - drain.size() > desired; i--) {
            PodLoad p = pods.get(i);
            if (counts(p.state()) && !p.state().equals(PodState.STARTING)) {
                drain.add(p.pod());
            }
        }
        return new Decision(current, total, desired, drain);
    }

    /** Assigned to a slot and not on a down node: running, starting, or restarting after a kill. */
    static boolean counts(String state) {
        return !state.equals(PodState.IDLE) && !state.equals(PodState.DOWN);
    }
}
