package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.NetworkPeer;
import dev.slogate.fault.chaosmesh.ChaosExperiments;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code network-loss}: a Chaos Mesh NetworkChaos loss of a share of the chosen pods' packets. */
public final class NetworkLoss implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "network-loss";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    private static final List<String> KEYS = NetworkDelay.keys(NetworkPeer.KEYS, "loss");

    /** Its traffic, and the percentage of packets dropped. */
    public record Options(NetworkPeer peer, double lossPercent) implements FaultOptions {
    }

    private static final Options DEFAULT = new Options(NetworkPeer.DEFAULT, 0);

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        NetworkPeer peer = NetworkPeer.read(keys, id(), false);
        Double loss = keys.requireFraction("loss", "write loss: 25% (the share of packets dropped)");
        return peer == null || loss == null ? null : new Options(peer, loss * 100);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "loss");
        // 29% is 0.29 * 100 = 28.999999999999996 in binary: sent rounded to a millionth of a percent
        s.putObject("loss").put("loss", ChaosExperiments.number(Math.round(fault.options(Options.class, DEFAULT).lossPercent() * 1e6) / 1e6));
    }
}
