package dev.slogate.cluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workload a pod belongs to, as a user names it: a Deployment's pods are owned by a ReplicaSet with a generated
 * name (checkout-5d8f9c), so a ReplicaSet controlled by a Deployment is named by that Deployment (apps replicasets get,
 * once per ReplicaSet). When the ReplicaSet cannot be read (gone, or no permission), its own name is kept.
 */
public final class Workloads {
    /** A workload: kind and name as the user wrote them. */
    public record Workload(String kind, String name) {
        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    private final KubernetesClient client;
    /** Per ReplicaSet "ns/uid", its workload. */
    private final Map<String, Workload> replicaSets = new ConcurrentHashMap<>();

    public Workloads(KubernetesClient client) {
        this.client = client;
    }

    /** The controller among the pod's owners (else the first with a UID), or null for a bare pod. */
    public static OwnerReference controller(Pod p) {
        List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
        return refs.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
                .orElse(refs.stream().filter(o -> o.getUid() != null).findFirst().orElse(null));
    }

    /** The workload of the pod, or null for a bare pod. */
    public Workload of(Pod p) {
        OwnerReference o = controller(p);
        if (o == null) {
            return null;
        }
        Workload own = new Workload(o.getKind(), o.getName());
        if (!"ReplicaSet".equals(o.getKind())) {
            return own;
        }
        String ns = p.getMetadata().getNamespace();
        return replicaSets.computeIfAbsent(ns + "/" + o.getUid(), k -> deploymentOf(ns, o.getName(), own));
    }

    private Workload deploymentOf(String ns, String replicaSet, Workload own) {
        ReplicaSet rs;
        try {
            rs = client.apps().replicaSets().inNamespace(ns).withName(replicaSet).get(); // apps replicasets get
        } catch (KubernetesClientException e) {
            return own; // no permission or unreachable: the ReplicaSet still names the pods correctly
        }
        if (rs == null || rs.getMetadata().getOwnerReferences() == null) {
            return own;
        }
        return rs.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()) && "Deployment".equals(r.getKind()))
                .findFirst().map(r -> new Workload("Deployment", r.getName())).orElse(own);
    }
}
