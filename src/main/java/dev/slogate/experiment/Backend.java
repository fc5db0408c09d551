package dev.slogate.experiment;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who injects a fault: the local sandbox (signals and HAProxy), the Kubernetes API directly (fabric8: delete pods,
 * cordon and drain nodes), or Chaos Mesh (its custom resources). A fault without {@code backend:} is local on a
 * sandbox target; on a url target with a {@code kubernetes:} block it goes to Kubernetes when the API can do it,
 * else to Chaos Mesh.
 */
public enum Backend {
    LOCAL("local"),
    KUBERNETES("kubernetes"),
    CHAOS_MESH("chaos-mesh");

    private final String id;

    Backend(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether this backend injects {@code type} (each {@link FaultKind} says which backends it has). */
    public boolean supports(FaultType type) {
        return type.kind().backends().contains(this);
    }

    /** The fault types this backend injects, in registration order. */
    public Set<FaultType> types() {
        Set<FaultType> out = new LinkedHashSet<>();
        FaultTypes.all().stream().filter(k -> k.backends().contains(this)).forEach(k -> out.add(k.type()));
        return out;
    }

    public boolean onCluster() {
        return this != LOCAL;
    }

    public static Backend fromId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + id + "'"));
    }

    @Override
    public String toString() {
        return id;
    }
}
