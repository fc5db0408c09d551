package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.Set;

/** {@code pod-failure}: a Chaos Mesh PodChaos pod-failure (the pods' containers replaced by a pause image for the duration). */
public final class PodFailure implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "pod-failure";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.POD_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "pod-failure");
    }
}
