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

/** {@code cpu-stress}: a Chaos Mesh StressChaos cpu stressor (workers, load per worker) in the chosen pods. */
public final class CpuStress implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "cpu-stress";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    /** How many stress workers, and the percent load each puts on one CPU. */
    public record Options(int workers, int load) implements FaultOptions {
    }

    private static final Options DEFAULT = new Options(1, 100);

    @Override
    public List<String> keys() {
        return List.of(StressWorkers.KEY, "load");
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        Integer workers = StressWorkers.read(keys);
        Integer load = keys.integer("load", 100, 1);
        if (load != null && load > 100) {
            keys.problem("load", keys.path("load") + " is " + load + ", but it is a percentage of one CPU (1-100)", "write load: 80");
            return null;
        }
        return workers == null || load == null ? null : new Options(workers, load);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.STRESS_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        ObjectNode cpu = s.putObject("stressors").putObject("cpu");
        cpu.put("workers", fault.options(Options.class, DEFAULT).workers());
        cpu.put("load", fault.options(Options.class, DEFAULT).load());
    }
}
