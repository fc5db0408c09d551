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
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code network-delay}: a Chaos Mesh NetworkChaos delay (latency, optional jitter) on the chosen pods' traffic. */
public final class NetworkDelay implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "network-delay";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    private static final List<String> KEYS = keys(NetworkPeer.KEYS, "jitter");

    /** Its traffic, and the jitter added to the latency (or null). */
    public record Options(NetworkPeer peer, Duration jitter) implements FaultOptions {
    }

    private static final Options DEFAULT = new Options(NetworkPeer.DEFAULT, null);

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        NetworkPeer peer = NetworkPeer.read(keys, id(), false);
        Duration jitter = keys.duration("jitter", null, true);
        keys.wholeMicroseconds("jitter", jitter);
        return peer == null ? null : new Options(peer, jitter);
    }

    static List<String> keys(List<String> shared, String own) {
        List<String> all = new ArrayList<>(shared);
        all.add(own);
        return List.copyOf(all);
    }

    @Override
    public String delays() {
        return "packet";
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "delay");
        ObjectNode d = s.putObject("delay");
        d.put("latency", ChaosExperiments.netemDuration(fault.latency()));
        if (fault.options(Options.class, DEFAULT).jitter() != null) {
            d.put("jitter", ChaosExperiments.netemDuration(fault.options(Options.class, DEFAULT).jitter()));
        }
    }
}
