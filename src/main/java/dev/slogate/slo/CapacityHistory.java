package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import java.util.ArrayList;
import java.util.List;

/**
 * Desired and ready replicas of the target over time: the sandbox's autoscaler events, or kube-state-metrics read
 * from Prometheus ({@link KubeStateCapacity}). Feeds the capacity time of scaling objectives.
 */
@FunctionalInterface
public interface CapacityHistory {

    /** The samples in effect over {@code [fromMillis, toMillis]}, oldest first, or why there are none. */
    Reading read(SloDef.Scaling objective, long fromMillis, long toMillis);

    /** {@code samples} start with the one in effect at the window's start; {@code problem} is non-null when there is no data. */
    record Reading(List<CapacitySample> samples, String source, String problem) {
        public Reading {
            samples = samples == null ? List.of() : List.copyOf(samples);
        }

        public static Reading failed(String problem) {
            return new Reading(List.of(), null, problem);
        }
    }

    /** A recorded history (e.g. the sandbox autoscaler's scale events, in time order). */
    static CapacityHistory of(List<CapacitySample> history, String source) {
        List<CapacitySample> all = List.copyOf(history);
        return (objective, from, to) -> {
            List<CapacitySample> out = new ArrayList<>();
            CapacitySample before = null;
            for (CapacitySample s : all) {
                if (s.atMillis() <= from) {
                    before = s;
                } else if (s.atMillis() <= to) {
                    out.add(s);
                }
            }
            if (before != null) {
                out.add(0, before);
            }
            return out.isEmpty() ? Reading.failed(source + " recorded nothing up to the end of the step")
                    : new Reading(out, source, null);
        };
    }

    /** A target without an autoscaler: {@code replicas} wanted and ready all along. */
    static CapacityHistory fixed(int replicas, String source) {
        return (objective, from, to) -> new Reading(List.of(new CapacitySample(from, replicas, replicas)), source, null);
    }

    static CapacityHistory unknown(String why) {
        return (objective, from, to) -> Reading.failed(why);
    }
}
