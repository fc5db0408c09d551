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

    /** How many stress workers, and the memory each takes, such as "256MB" or "50%". */
    public record Options(int workers, String size) implements FaultOptions {
    }

    @Override
    public List<String> keys() {
        return List.of(StressWorkers.KEY, "size");
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        Integer workers = StressWorkers.read(keys);
        String size = keys.requireText("size", "write size: 256MB (memory each worker takes)");
        if (size != null && !size.matches("\\d+(KB|MB|GB|%)")) {
            keys.problem("size", keys.path("size") + " '" + size + "' is not a memory size", "write size: 256MB (units: KB, MB, GB, or a % of the memory)");
            return null;
        } else if (size != null && size.endsWith("%") && !FaultKeys.wholeNumberBetween(size.substring(0, size.length() - 1), 1, 100)) {
            keys.problem("size", keys.path("size") + " is " + size + ", but a share of the memory is a whole percentage from 1% to 100%",
                    "write size: 50% (of the container's memory) or an amount such as 256MB");
            return null;
        } else if (size != null && !FaultKeys.wholeNumberBetween(size.replaceAll("\\D", ""), 1, Long.MAX_VALUE)) {
            keys.problem("size", keys.path("size") + " is " + size + ", which stresses nothing", "write size: 256MB");
            return null;
        }
        return workers == null || size == null ? null : new Options(workers, size);
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.STRESS_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        ObjectNode mem = s.putObject("stressors").putObject("memory");
        mem.put("workers", fault.options(Options.class).workers());
        mem.put("size", fault.options(Options.class).size());
    }
}
