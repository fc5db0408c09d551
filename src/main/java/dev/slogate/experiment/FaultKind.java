package dev.slogate.experiment;

import java.util.List;
import java.util.Set;

/**
 * One fault type: the one class that knows it. It names itself, says which back ends inject it, reads and validates
 * its own keys of a fault spec, and describes itself in the plan, the reports and the progress lines; the back ends
 * find how to inject it on the same class (each back end asks for its own interface: {@code fault.LocalFault},
 * {@code fault.chaosmesh.ChaosMeshFault}). Registered once in {@link FaultTypes}, through
 * {@code META-INF/services/dev.slogate.experiment.FaultKind}; nothing else switches on fault types.
 */
public interface FaultKind {

    /** The name used in files ({@code type: pod-kill}). */
    String id();

    /** The back ends that can inject it (a fault without {@code backend:} goes to the first one the target allows). */
    Set<Backend> backends();

    /** Its {@link FaultType}: the name a spec, a journal line and a report carry. */
    default FaultType type() {
        return FaultType.named(id());
    }

    /** Its targets are nodes (or whole zones or regions of nodes), not pods. */
    default boolean hitsNodes() {
        return false;
    }

    /** Instantaneous (a kill): its duration is optional and only keeps the fault window open. */
    default boolean instantaneous() {
        return false;
    }

    /** What its {@code latency:} delays ("request", "packet"), or null when it takes no latency. */
    default String delays() {
        return null;
    }

    /**
     * The fields of the cloud instance it stops, named as in the Chaos Mesh CRD, in order (all required in the fault's
     * {@code cloud:} block); empty for a fault that selects pods or nodes.
     */
    default List<String> cloudInstanceKeys() {
        return List.of();
    }

    /** Stops a cloud machine named in the fault's {@code cloud:} block; it selects no pods. */
    default boolean isCloud() {
        return !cloudInstanceKeys().isEmpty();
    }

    /**
     * The keys of a selector that choose nodes ({@code nodes}, {@code runningPod}, {@code zone}, {@code region}) it
     * takes; another type's are refused with the types that take them.
     */
    default List<String> selectorKeys() {
        return List.of();
    }

    /** Those of its {@link #selectorKeys()} a selector must write ({@code zone} for zone-outage). */
    default List<String> requiredSelectorKeys() {
        return List.of();
    }

    /**
     * The Chaos Mesh kind of its object when the Chaos Dashboard keeps no record of that kind (so it could create one
     * but never pause, delete or clean it up): such a fault is refused when the scenario goes through the dashboard.
     * Null when the dashboard can manage it.
     */
    default String unrecordedByChaosDashboard() {
        return null;
    }

    /**
     * The keys of a fault spec this type reads (beyond type, selector, duration, latency, backend, maxPercent and force);
     * types that take the same key each list it (gracePeriod: pod-kill, node-kill and the outages).
     */
    default List<String> keys() {
        return List.of();
    }

    /**
     * Reads and validates its own {@link #keys()}: its options record, or null after reporting a problem through
     * {@code keys}. Called for every fault of this type, whether or not any of its keys is written.
     */
    default FaultOptions read(FaultKeys keys) {
        return FaultOptions.NONE;
    }

    /** What it adds to the one-line description of a fault (plan, reports, progress): its own options, or "". */
    default String describe(FaultSpec spec) {
        return "";
    }
}
