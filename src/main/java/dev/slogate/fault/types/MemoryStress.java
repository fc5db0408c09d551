package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.Set;

/** {@code memory-stress}: a Chaos Mesh StressChaos memory stressor (workers, size per worker) in the chosen pods. */
public final class MemoryStress implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "memory-stress";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.STRESS_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        ObjectNode mem = s.putObject("stressors").putObject("memory");
        mem.put("workers", fault.cluster().workers());
        mem.put("size", fault.cluster().size());
    }
}
