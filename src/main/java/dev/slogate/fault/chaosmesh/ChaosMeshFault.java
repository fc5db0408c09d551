package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.fault.FaultException;

/**
 * How a fault type becomes a Chaos Mesh experiment: the part of its {@link dev.slogate.experiment.FaultKind} class that
 * {@link ChaosExperiments} uses. The type writes its action and that action's own block; the selector, mode, direction,
 * target and duration are written alike for every type.
 */
public interface ChaosMeshFault {

    /** The custom resource it creates. */
    ChaosKind chaosKind();

    /** Writes the action (and its own block, e.g. {@code delay: {latency, jitter}}) into the experiment's {@code spec}. */
    void action(ObjectNode spec, FaultSpec fault);

    /** One-shot (a kill): the experiment gets no duration, and reverting only deletes it. */
    default boolean oneShot() {
        return false;
    }

    /** The Chaos Mesh side of {@code type}; a {@link FaultException} when Chaos Mesh does not inject it. */
    static ChaosMeshFault of(FaultType type) {
        if (type.kind() instanceof ChaosMeshFault c) {
            return c;
        }
        throw new FaultException(type + " is not a Chaos Mesh fault");
    }
}
