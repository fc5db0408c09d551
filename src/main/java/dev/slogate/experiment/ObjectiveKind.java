package dev.slogate.experiment;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One kind of objective (latency, error rate, RTO, ...): everything slogate knows about it sits in its class. It reads
 * and validates its own keys of a slogate {@code Objectives} entry, describes an SLO of its kind for {@code plan}, the
 * reports and the live progress, and (in {@code dev.slogate.slo.Objective}) judges it over a window. Kinds are found
 * through {@link java.util.ServiceLoader}: a kind is registered by one line naming its class in
 * {@code META-INF/services/dev.slogate.experiment.ObjectiveKind}; see {@link ObjectiveKinds}.
 * Implementations need a public constructor without arguments.
 */
public interface ObjectiveKind {
    /** The indicators (the model records) of this kind; {@link ObjectiveKinds#of} finds a kind by them. */
    Class<? extends SloDef.Indicator> indicator();

    /**
     * The keys of an {@code Objectives} entry that select this kind, e.g. {@code latency}; one kind may answer to
     * several ({@code errorRate} and {@code availability}). Empty for a kind only OpenSLO documents make.
     */
    List<String> keys();

    /**
     * Reads and validates the block under {@link ObjectiveInput#key()}, one of {@link #keys()}; problems go to
     * {@code in}. The entry's name, description, windows and faults are read for it.
     */
    default Reading read(ObjectiveInput in) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads no keys of an Objectives entry");
    }

    /**
     * What a block says: the indicator (null when the block had problems), the objective {@code op target} (target
     * null when missing), and whether judging it reads Prometheus (a url target must then name one).
     */
    record Reading(SloDef.Indicator indicator, Op op, Double target, boolean readsPrometheus) {
    }

    /** Which windows an objective of this kind is judged over. */
    default Scope scope() {
        return Scope.WINDOWS;
    }

    enum Scope {
        /** {@code windows: [...]}, the whole run by default. */
        WINDOWS,
        /** One window per fault it covers, chosen by {@code faults: [all]} or fault names. */
        FAULTS,
        /** One window per load step ({@code step:*} by default, only {@code step:} windows allowed). */
        STEPS
    }

    /**
     * The SLO as {@code slogate plan} writes it, judged over a whole window: "p95 latency < 200ms (client)",
     * "recovery time <= 20s (back to error rate < 1% over 3s, stable for 5s)".
     */
    String sentence(SloDef slo);

    /** The objective as a result states it: "p95 < 200 ms", "error rate < 1 %", "RTO <= 20 s". */
    String objective(SloDef slo);

    /** Where the results come from: {@code client}, {@code prometheus}, {@code probe}. */
    String source(SloDef slo);

    /** Whether judging it needs Prometheus (a server-side query), not only the client's own measurements. */
    default boolean readsPrometheus(SloDef slo) {
        return false;
    }

    /** What a scenario offers the objectives it judges, for {@link #check}. */
    interface ScenarioParts {
        /** The names of its write probes ({@code spec.probes}). */
        List<String> probes();

        /** Whether it connects to a Kubernetes cluster ({@code spec.kubernetes}). */
        boolean kubernetes();

        /** A problem at the SLO, in its own file. */
        void problemAtSlo(String message, String hint);

        /** A problem at the scenario's {@code spec}. */
        void problemAtSpec(String message, String hint);
    }

    /** Checks that what the SLO reads besides the client (a probe, a cluster) is in the scenario. */
    default void check(SloDef slo, ScenarioParts scenario) {
    }

    /** The Kubernetes workloads whose replicas the run watches for it. */
    default List<SloDef.Workload> workloads(SloDef slo) {
        return List.of();
    }

    /** Whether judging it reads the capacity history (desired and ready replicas over time). */
    default boolean readsCapacity(SloDef slo) {
        return false;
    }

    /** The client's recent seconds, for the live progress line. */
    interface Live {
        double latencySeconds(double percentile);

        /** The share of requests that got their expected status. */
        double okShare();
    }

    /**
     * The value to compare with the SLO's target from the recent seconds, or empty when the kind cannot say while the
     * run goes on. A miss is a warning on the progress line, never a verdict.
     */
    default OptionalDouble live(SloDef slo, Live recent) {
        return OptionalDouble.empty();
    }
}
