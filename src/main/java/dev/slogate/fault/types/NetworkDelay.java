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
        if (fault.cluster().jitter() != null) {
            d.put("jitter", ChaosExperiments.netemDuration(fault.cluster().jitter()));
        }
    }
}
