package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code container-kill}: a Chaos Mesh PodChaos container-kill of the named containers. Instantaneous. */
public final class ContainerKill implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "container-kill";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    /** The containers to kill in each chosen pod. */
    public record Options(List<String> containers) implements FaultOptions {
        public Options {
            containers = List.copyOf(containers);
        }
    }

    private static final Options DEFAULT = new Options(List.of());

    @Override
    public List<String> keys() {
        return List.of("containers");
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        List<String> names = keys.requireNames("containers", "write containers: [app] (the containers to kill in each chosen pod)",
                "write containers: [app]");
        return names == null ? null : new Options(names);
    }

    @Override
    public boolean instantaneous() {
        return true;
    }

    @Override
    public boolean oneShot() {
        return true;
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.POD_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "container-kill");
        fault.options(Options.class, DEFAULT).containers().forEach(s.putArray("containerNames")::add);
    }
}
