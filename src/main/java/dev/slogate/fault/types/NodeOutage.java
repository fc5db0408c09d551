package dev.slogate.fault.types;

import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.PodRemoval;
import java.util.List;

/**
 * The options of a zone or region outage: how its nodes' pods are removed, and its {@code mechanism}: {@link #KILL}
 * (cordon and drain the nodes, the default) or {@link #PARTITION} (a Chaos Mesh network partition cuts them off).
 */
public record NodeOutage(PodRemoval podRemoval, String mechanism) implements FaultOptions {
    public static final String KILL = "kill";
    public static final String PARTITION = "partition";
    static final List<String> MECHANISMS = List.of(KILL, PARTITION);
    static final List<String> KEYS = List.of(PodRemoval.KEYS.get(0), "mechanism", PodRemoval.KEYS.get(1));

    @Override
    public boolean partition() {
        return PARTITION.equals(mechanism);
    }

    /** Null after a problem; {@link FaultOptions#NONE} when neither key says other than the default. */
    static FaultOptions read(FaultKeys keys) {
        String mechanism = keys.oneOf("mechanism", KILL, MECHANISMS,
                "write mechanism: kill (cordon and drain the nodes) or mechanism: partition (a Chaos Mesh network partition)");
        PodRemoval removal = PodRemoval.read(keys, PARTITION.equals(mechanism));
        if (mechanism == null || removal == null) {
            return null;
        }
        return KILL.equals(mechanism) && removal.equals(PodRemoval.DEFAULT) ? FaultOptions.NONE : new NodeOutage(removal, mechanism);
    }
}
