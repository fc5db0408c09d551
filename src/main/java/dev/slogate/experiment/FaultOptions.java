package dev.slogate.experiment;

/**
 * The options a fault type reads from its own keys ({@link FaultKind#keys()}): an immutable record of that type,
 * carried by {@link FaultSpec#options()}; {@link #NONE} for a type without keys of its own. The back ends read a type's
 * record through the type's own class ({@link FaultSpec#options(Class)}), except for the few parts that their shared
 * machinery handles for every type alike: those a record offers by overriding the methods below.
 */
public interface FaultOptions {
    FaultOptions NONE = new None();

    /** How the pods it removes go (pod deletion and node drains on Kubernetes): deleted at once unless the type reads otherwise. */
    default PodRemoval podRemoval() {
        return PodRemoval.DEFAULT;
    }

    /** A zone or region outage made by a Chaos Mesh network partition instead of killing nodes. */
    default boolean partition() {
        return false;
    }

    /** A network fault's direction and the pods on its other side; null for a fault that is not about traffic. */
    default NetworkPeer peer() {
        return null;
    }

    /** The cloud machine it stops (it then selects no pods); null otherwise. */
    default CloudInstance cloud() {
        return null;
    }

    /** Something here only a cluster back end can do, so the local sandbox refuses the fault. */
    default boolean needsCluster() {
        return !podRemoval().equals(PodRemoval.DEFAULT) || partition() || peer() != null || cloud() != null;
    }

    /** No options of its own. */
    record None() implements FaultOptions {
    }
}
