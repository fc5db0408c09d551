package dev.slogate.fault.kubernetes;

import dev.slogate.experiment.FaultType;
import dev.slogate.fault.FaultException;

/**
 * How a fault type is injected through the Kubernetes API: the part of its {@link dev.slogate.experiment.FaultKind}
 * class that {@link KubernetesFaultInjector} uses. A type whose kind lists {@code kubernetes} among its back ends
 * implements it.
 */
public interface KubernetesFault {

    /** What the API calls take down. */
    enum Takes {
        /** the chosen pods: deleted with the grace period, or evicted */
        PODS,
        /** the nodes the selector's mode picks: cordoned and drained; never the last schedulable node of a zone unless forced */
        PICKED_NODES,
        /** every matching node (a whole zone or region): cordoned and drained */
        ALL_MATCHING_NODES
    }

    Takes takes();

    /** The Kubernetes side of {@code type}; a {@link FaultException} when the API does not inject it. */
    static KubernetesFault of(FaultType type) {
        if (type.kind() instanceof KubernetesFault k) {
            return k;
        }
        throw new FaultException(type + " is not a Kubernetes API fault; write backend: chaos-mesh");
    }
}
