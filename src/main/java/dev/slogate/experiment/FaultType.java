package dev.slogate.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name of a fault type, as files, journals and reports carry it; what the type is and does is its {@link FaultKind}
 * ({@link #kind()}, looked up in {@link FaultTypes}). One instance per name, so {@code ==} compares types. The
 * constants name the built-in types; a type registered later is {@link #named} like them.
 */
public final class FaultType {
    private static final Map<String, FaultType> BY_ID = new ConcurrentHashMap<>();

    public static final FaultType POD_KILL = named("pod-kill");
    public static final FaultType POD_PAUSE = named("pod-pause");
    public static final FaultType NODE_KILL = named("node-kill");
    public static final FaultType REGION_OUTAGE = named("region-outage");
    public static final FaultType LATENCY = named("latency");
    public static final FaultType POD_FAILURE = named("pod-failure");
    public static final FaultType CONTAINER_KILL = named("container-kill");
    public static final FaultType ZONE_OUTAGE = named("zone-outage");
    public static final FaultType NETWORK_DELAY = named("network-delay");
    public static final FaultType NETWORK_LOSS = named("network-loss");
    public static final FaultType NETWORK_PARTITION = named("network-partition");
    public static final FaultType NETWORK_BANDWIDTH = named("network-bandwidth");
    public static final FaultType CPU_STRESS = named("cpu-stress");
    public static final FaultType MEMORY_STRESS = named("memory-stress");
    public static final FaultType AWS_EC2_STOP = named("aws-ec2-stop");
    public static final FaultType GCP_NODE_STOP = named("gcp-node-stop");
    public static final FaultType AZURE_VM_STOP = named("azure-vm-stop");

    private final String id;

    private FaultType(String id) {
        this.id = id;
    }

    /** The one instance for {@code id}, whether or not a type of that name is registered. */
    public static FaultType named(String id) {
        return BY_ID.computeIfAbsent(id, FaultType::new);
    }

    public String id() {
        return id;
    }

    /** What this type is and does; throws when no class is registered for it. */
    public FaultKind kind() {
        return FaultTypes.of(this);
    }

    /** A registered type by its name in files; throws {@code unknown fault type 'x'} otherwise. */
    public static FaultType fromId(String id) {
        FaultKind k = FaultTypes.find(id);
        if (k == null) {
            throw new IllegalArgumentException("unknown fault type '" + id + "'");
        }
        return named(id);
    }

    /** Every registered type, in registration order. */
    public static List<FaultType> values() {
        return FaultTypes.all().stream().map(FaultKind::type).toList();
    }

    /** Node-level faults: their targets are nodes (or whole zones/regions of nodes), not pods. */
    public boolean hitsNodes() {
        return kind().hitsNodes();
    }

    /** Stops a cloud machine named in the fault's {@code cloud:} block; it selects no pods. */
    public boolean isCloud() {
        return kind().isCloud();
    }

    /** The journal's spelling, as it has always been: {@code POD_KILL}. */
    @JsonValue
    String journalName() {
        return id.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Reads the journal's spelling ({@code POD_KILL}) or the files' ({@code pod-kill}). */
    @JsonCreator
    static FaultType fromJournal(String name) {
        return named(name.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    @Override
    public String toString() {
        return id;
    }
}
