package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosExperiments;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.Set;

/** {@code network-bandwidth}: a Chaos Mesh NetworkChaos bandwidth limit on the chosen pods' traffic. */
public final class NetworkBandwidth implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "network-bandwidth";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "bandwidth");
        ObjectNode b = s.putObject("bandwidth");
        b.put("rate", fault.cluster().bandwidth());
        b.put("limit", ChaosExperiments.BANDWIDTH_LIMIT);
        b.put("buffer", ChaosExperiments.BANDWIDTH_BUFFER);
    }
}
