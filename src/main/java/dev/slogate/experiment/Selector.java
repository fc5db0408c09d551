package dev.slogate.experiment;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Which targets a fault hits: those whose labels match all of {@code labels}, then {@code mode} picks among them
 * (the words Chaos Mesh uses). On the sandbox every pod has the labels {@code region}, {@code node} and {@code pod}.
 * On Kubernetes the {@link Scope} adds the namespace, field selectors and, for node faults, how nodes are chosen.
 */
public record Selector(Map<String, String> labels, Mode mode, double value, Scope scope) {
    public Selector {
        labels = Map.copyOf(labels);
        scope = scope == null ? Scope.NONE : scope;
    }

    public Selector(Map<String, String> labels, Mode mode, double value) {
        this(labels, mode, value, Scope.NONE);
    }

    /**
     * Where on a cluster: pods of {@code namespace} whose fields match {@code fields} (e.g. status.phase: Running);
     * for node faults, nodes by {@code nodes} (names), by {@code labels} (node labels), as the nodes running a pod
     * matching {@code runningPod}, or every node of a {@code zone} / {@code region} (topology.kubernetes.io labels).
     */
    public record Scope(String namespace, Map<String, String> fields, List<String> nodes, Selector runningPod, String zone, String region) {
        public static final Scope NONE = new Scope(null, Map.of(), List.of(), null, null, null);

        public Scope {
            fields = Map.copyOf(fields);
            nodes = List.copyOf(nodes);
        }
    }

    public enum Mode {
        ONE("one"), ALL("all"), FIXED("fixed"), FIXED_PERCENT("fixed-percent"), RANDOM_MAX_PERCENT("random-max-percent");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** How many of {@code candidates} the mode takes (at least one when there are any, never more than there are). */
    public int count(int candidates, RandomGenerator random) {
        if (candidates == 0) {
            return 0;
        }
        int n = switch (mode) {
            case ONE -> 1;
            case ALL -> candidates;
            case FIXED -> (int) value;
            case FIXED_PERCENT -> (int) Math.floor(candidates * value / 100.0);
            case RANDOM_MAX_PERCENT -> 1 + random.nextInt(Math.max(1, (int) Math.floor(candidates * value / 100.0)));
        };
        return Math.max(1, Math.min(candidates, n));
    }

    /** How many of {@code candidates} the mode will take, in words, e.g. "1 of 8" or "up to 2 of 4" (for a plan). */
    public String describePick(int candidates) {
        int max = count(candidates, new Random(0) {
            @Override
            public int nextInt(int bound) {
                return bound - 1; // the largest draw: random-max-percent's upper bound
            }
        });
        if (max == candidates) {
            return candidates == 1 ? "the only match" : "all " + candidates;
        }
        return (mode == Mode.RANDOM_MAX_PERCENT && max > 1 ? "1 to " : "") + max + " of " + candidates + ", picked at injection";
    }

    public boolean matches(Map<String, String> targetLabels) {
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(targetLabels.get(e.getKey())));
    }
}
