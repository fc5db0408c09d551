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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final List<String> KEYS = NetworkDelay.keys(NetworkPeer.KEYS, "bandwidth");
    /**
     * The units Chaos Mesh's bandwidth rate takes (NetworkChaos webhook); the rate goes to tc, where bps units are
     * bytes per second and bit units bits per second.
     */
    static final List<String> RATE_UNITS_LIST = List.of("bit", "kbit", "mbit", "gbit", "tbit", "bps", "kbps", "mbps", "gbps", "tbps");
    static final String RATE_UNITS = "units: bit, kbit, mbit, gbit, tbit in bits per second; bps, kbps, mbps, gbps, tbps in bytes per second";
    private static final Pattern RATE = Pattern.compile("(\\d+)(" + String.join("|", RATE_UNITS_LIST) + ")");

    /** Its traffic, and the rate it is limited to, such as "1mbps". */
    public record Options(NetworkPeer peer, String rate) implements FaultOptions {
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        NetworkPeer peer = NetworkPeer.read(keys, id(), false);
        String rate = keys.requireText("bandwidth", "write bandwidth: 8mbit (" + RATE_UNITS + ")");
        if (rate != null && !isRate(rate)) {
            keys.problem("bandwidth", keys.path("bandwidth") + " '" + rate + "' is not a rate Chaos Mesh accepts: a whole number of 1 or more and a unit",
                    "write bandwidth: 8mbit or bandwidth: 1mbps (" + RATE_UNITS + "); instead of 1.5mbps write 1500kbps");
            return null;
        }
        return peer == null || rate == null ? null : new Options(peer, rate);
    }

    /** A bandwidth rate as the NetworkChaos webhook parses it (an unsigned whole number, then a unit), and more than zero. */
    static boolean isRate(String text) {
        Matcher m = RATE.matcher(text);
        return m.matches() && FaultKeys.wholeNumberBetween(m.group(1), 1, Long.MAX_VALUE);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.NETWORK_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "bandwidth");
        ObjectNode b = s.putObject("bandwidth");
        b.put("rate", fault.options(Options.class).rate());
        b.put("limit", ChaosExperiments.BANDWIDTH_LIMIT);
        b.put("buffer", ChaosExperiments.BANDWIDTH_BUFFER);
    }
}
