package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.NetworkPeer;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code network-partition}: a Chaos Mesh NetworkChaos partition between the chosen pods and the target's. */
public final class NetworkPartition implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "network-partition";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    @Override
    public List<String> keys() {
        return NetworkPeer.KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        return NetworkPeer.read(keys, id(), true);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "partition");
    }
}
