package dev.slogate.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The machine a cloud node-stop fault stops through Chaos Mesh (AWSChaos, GCPChaos, AzureChaos). Nothing is chosen
 * for the user: the instance and the Kubernetes secret holding the cloud credentials are named explicitly.
 *
 * @param namespace  where the Chaos Mesh object is created; the secret must live there too
 * @param secretName the Kubernetes secret with the cloud credentials (Chaos Mesh reads it; slogate never does)
 * @param location   the instance, keyed by the field names of the Chaos Mesh CRD (e.g. awsRegion, ec2Instance), in order
 */
public record CloudInstance(String namespace, String secretName, Map<String, String> location) implements FaultOptions {
    /** The key of a cloud fault that holds it. */
    public static final String KEY = "cloud";

    public CloudInstance {
        location = Collections.unmodifiableMap(new LinkedHashMap<>(location));
    }

    /** The CRD fields that name the instance of a cloud fault type (all required): its {@link FaultKind#cloudInstanceKeys()}. */
    public static List<String> locationKeys(FaultType type) {
        List<String> keys = type.kind().cloudInstanceKeys();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(type + " is not a cloud fault");
        }
        return keys;
    }

    @Override
    public CloudInstance cloud() {
        return this;
    }

    /** The {@code cloud:} block of a cloud node stop: namespace, secretName and the CRD's instance fields, all required. */
    public static CloudInstance read(FaultKeys k, FaultType type) {
        List<String> location = locationKeys(type);
        String example = "cloud: {namespace: shop, secretName: cloud-key-secret, "
                + location.stream().map(key -> key + ": ...").collect(Collectors.joining(", ")) + "}";
        List<String> keys = new ArrayList<>(List.of("namespace", "secretName"));
        keys.addAll(location);
        FaultKeys c = k.requireBlock(KEY, keys, "write " + example + " (the instance to stop and the secret holding the credentials)");
        if (c == null) {
            return null;
        }
        String ns = c.requireText("namespace", "write namespace: the namespace of the Chaos Mesh object and of its secret, e.g. " + example);
        String secret = c.requireText("secretName", "name the Kubernetes secret holding the " + type.id().substring(0, type.id().indexOf('-'))
                + " credentials: secretName: cloud-key-secret (slogate never reads it; Chaos Mesh does)");
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : location) {
            String v = c.requireText(key, "name the instance explicitly: " + example);
            if (v != null) {
                values.put(key, v);
            }
        }
        return ns == null || secret == null || values.size() != location.size() ? null : new CloudInstance(ns, secret, values);
    }

    /** "aws ec2 i-0abc (awsRegion=eu-west-1)": for plans and reports. */
    public String describe(FaultType type) {
        List<String> keys = locationKeys(type);
        String name = location.get(keys.get(keys.size() - 1));
        StringBuilder b = new StringBuilder(type.id().replace("-stop", "")).append(' ').append(name).append(" (");
        for (int i = 0; i < keys.size() - 1; i++) {
            b.append(i == 0 ? "" : ", ").append(keys.get(i)).append('=').append(location.get(keys.get(i)));
        }
        return b.append(", secret ").append(namespace).append('/').append(secretName).append(')').toString();
    }
}
