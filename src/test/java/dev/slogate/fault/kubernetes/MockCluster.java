package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterTargets;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;

/**
 * A small cluster in the CRUD mock server: 4 nodes in 2 zones (n1, n2 in z1; n3, n4 in z2), 4 checkout pods in
 * namespace shop (one per node), a db pod on n3, a kube-system pod and a DaemonSet pod on n1, and a checkout pod in
 * namespace other that no fault may touch.
 */
final class MockCluster {
    private MockCluster() {
    }

    static void populate(KubernetesClient client) {
        for (int i = 1; i <= 4; i++) {
            client.nodes().resource(node("n" + i, i <= 2 ? "z1" : "z2")).create();
            client.pods().inNamespace("shop").resource(pod("shop", "checkout-" + i, "n" + i, Map.of("app", "checkout"), true, null)).create();
        }
        client.pods().inNamespace("shop").resource(pod("shop", "db-0", "n3", Map.of("app", "db"), true, null)).create();
        client.pods().inNamespace("kube-system").resource(pod("kube-system", "coredns-1", "n1", Map.of("app", "coredns"), true, null)).create();
        client.pods().inNamespace("shop").resource(pod("shop", "agent-n1", "n1", Map.of("app", "agent"), true, "DaemonSet")).create();
        client.pods().inNamespace("other").resource(pod("other", "checkout-x", "n1", Map.of("app", "checkout"), true, null)).create();
    }

    static Node node(String name, String zone) {
        return new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels(ClusterTargets.ZONE_LABEL, zone).addToLabels(ClusterTargets.REGION_LABEL, "r1")
                .addToLabels("pool", "workers").endMetadata().withNewSpec().endSpec().build();
    }

    static Pod pod(String ns, String name, String node, Map<String, String> labels, boolean ready, String ownerKind) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(UUID.randomUUID().toString())
                .addToLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("demo").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("app").withStarted(ready).withReady(ready).endContainerStatus()
                .endStatus();
        if (ownerKind != null) {
            b.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(name + "-owner").withApiVersion("apps/v1")
                    .withUid(UUID.randomUUID().toString()).endOwnerReference().endMetadata();
        }
        return b.build();
    }
}
