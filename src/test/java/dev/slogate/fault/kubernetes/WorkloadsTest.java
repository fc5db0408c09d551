package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slogate.cluster.Workloads;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod's workload as the notes name it (CRUD mock): a Deployment's ReplicaSet by the Deployment, everything else by its own owner. */
@EnableKubernetesMockClient(crud = true)
class WorkloadsTest {
    static KubernetesClient client;

    private static Pod ownedBy(String kind, String name, String uid) {
        Pod p = MockCluster.pod("shop", "p-" + name, "n1", Map.of("app", "a"), true, null);
        p.getMetadata().getOwnerReferences().add(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name).withUid(uid)
                .withController(true).build());
        return p;
    }

    private static String replicaSet(String name, String ownerKind, String ownerName) {
        var b = new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(ownerName).withUid("u-" + ownerName)
                    .withController(true).endOwnerReference().endMetadata();
        }
        return client.apps().replicaSets().inNamespace("shop").resource(b.build()).create().getMetadata().getUid();
    }

    @Test
    void aReplicaSetIsNamedByItsDeploymentAndOtherOwnersByThemselves() {
        String web = replicaSet("web-7c9d", "Deployment", "web");
        String bare = replicaSet("batch-rs", null, null);
        Workloads w = new Workloads(client);
        assertEquals("Deployment web", w.of(ownedBy("ReplicaSet", "web-7c9d", web)).toString());
        assertEquals("ReplicaSet batch-rs", w.of(ownedBy("ReplicaSet", "batch-rs", bare)).toString(), "a ReplicaSet of no Deployment keeps its name");
        assertEquals("ReplicaSet gone-rs", w.of(ownedBy("ReplicaSet", "gone-rs", "u-gone")).toString(), "a ReplicaSet that no longer exists keeps its name");
        assertEquals("StatefulSet db", w.of(ownedBy("StatefulSet", "db", "u-db")).toString());
        assertNull(w.of(MockCluster.pod("shop", "bare", "n1", Map.of(), true, null)), "a bare pod has no workload");

        client.apps().replicaSets().inNamespace("shop").withName("web-7c9d").delete();
        assertEquals("Deployment web", w.of(ownedBy("ReplicaSet", "web-7c9d", web)).toString(), "read once per ReplicaSet, then remembered");
    }
}
