package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.fault.kubernetes.MockEvictions;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate run} in-process with load on the local sandbox (1x1x1) and a Kubernetes node-kill with
 * {@code podRemoval: evict} against fabric8's CRUD mock. The mock does not implement the Eviction API, so its eviction
 * endpoints answer as a real API server does ({@link MockEvictions}): the two pods of Deployment checkout on n1 are
 * evicted (201, then deleted), the single pod of StatefulSet db is refused every time by PodDisruptionBudget db-pdb
 * (429). The test plays the Deployment controller mid-rollout: each evicted pod is replaced under a new ReplicaSet,
 * Ready 1 s later. The report must carry the fault, the budget's refusal, the Deployment's recovery and the revert.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEvictRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path work;

    private static Pod pod(String name, String node, String ownerKind, String owner, String ownerUid, String hash, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid(UUID.randomUUID().toString())
                .addToLabels("app", owner.startsWith("db") ? "db" : "checkout").addToLabels("pod-template-hash", hash)
                .addNewOwnerReference().withKind(ownerKind).withName(owner).withApiVersion("apps/v1").withUid(ownerUid).withController(true)
                .endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("app").withStarted(true).withReady(ready).endContainerStatus().endStatus().build();
    }

    private String replicaSet(String name) {
        return client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder().withNewMetadata().withName(name)
                .withNamespace("shop").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("checkout")
                .withUid("deploy-checkout").withController(true).endOwnerReference().endMetadata().build()).create().getMetadata().getUid();
    }

    @Test
    void aNodeKillThatEvictsRespectsTheBudgetAndTheRolledOutDeploymentRecovers() throws Exception {
        for (String[] n : new String[][] {{"n1", "z1"}, {"n2", "z1"}, {"n3", "z2"}}) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n[0]).addToLabels("topology.kubernetes.io/zone", n[1]).endMetadata()
                    .withNewSpec().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
        }
        String aaa = replicaSet("checkout-aaa");
        String bbb = replicaSet("checkout-bbb");
        client.pods().inNamespace("shop").resource(pod("checkout-a", "n1", "ReplicaSet", "checkout-aaa", aaa, "aaa", true)).create();
        client.pods().inNamespace("shop").resource(pod("checkout-b", "n1", "ReplicaSet", "checkout-aaa", aaa, "aaa", true)).create();
        client.pods().inNamespace("shop").resource(pod("checkout-c", "n2", "ReplicaSet", "checkout-aaa", aaa, "aaa", true)).create();
        client.pods().inNamespace("shop").resource(pod("db-0", "n1", "StatefulSet", "db", "sts-db", "db", true)).create();
        List<String> evicted = MockEvictions.log();
        List<String> refused = MockEvictions.log();
        for (String p : List.of("checkout-a", "checkout-b")) {
            MockEvictions.allowAndDelete(server, client, "shop", p, evicted);
        }
        MockEvictions.refuseAlways(server, "shop", "db-0", "db-pdb", refused); // one replica, minAvailable 1: never evictable

        Path kubeconfig = work.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, "shop");
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: k8s}
                spec:
                  objectives:
                    - {name: error-rate, errorRate: {below: 5%}, windows: [run]}
                """);
        Path scenario = work.resolve("scenario.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: k8s-evict}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1, serviceTime: 2ms, concurrency: 8, restartDelay: 1s}
                  kubernetes:
                    kubeconfig: kubeconfig
                    allowedNamespaces: [shop]
                  load:
                    stages: [{hold: {rps: 20, duration: 12s}}]
                    requests: [{name: home, path: /}]
                  faults:
                    - name: drain-n1
                      at: 3s
                      backend: kubernetes
                      fault: {type: node-kill, selector: {nodes: [n1], mode: one}, duration: 5s, podRemoval: evict}
                  slos: [slo.yaml]
                """);

        // The Deployment controller mid-rollout: an evicted checkout pod is replaced under the new ReplicaSet checkout-bbb
        // 1 s later, on n2; the first replacement is Ready 2 s after its eviction, the second 3 s after.
        ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
        List<String> replaced = MockEvictions.log();
        Watch watch = client.pods().inNamespace("shop").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod p) {
                String old = p.getMetadata().getName();
                if (action == Action.DELETED && old.startsWith("checkout-") && !old.endsWith("-new")) {
                    replaced.add(old);
                    int readyAfter = 1 + replaced.size(); // staggered, so that recovery must wait for the second
                    String name = old + "-new";
                    controller.schedule(() -> client.pods().inNamespace("shop").resource(pod(name, "n2", "ReplicaSet", "checkout-bbb", bbb, "bbb", false))
                            .create(), 1, TimeUnit.SECONDS);
                    controller.schedule(() -> client.pods().inNamespace("shop").withName(name).edit(x -> {
                        x.getStatus().getConditions().get(0).setStatus("True");
                        return x;
                    }), readyAfter, TimeUnit.SECONDS);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        InProcessCli.Result result;
        try {
            result = InProcessCli.run("run", "--run-id", "k8s-evict", "--state-dir", work.resolve("state").toString(),
                    "--reports-dir", work.resolve("reports").toString(), scenario.toString());
        } finally {
            watch.close();
            controller.shutdownNow();
        }
        int code = result.code();
        String out = result.out();
        assertEquals(0, code, out);
        assertEquals(List.of("shop/checkout-a", "shop/checkout-b"), evicted.stream().sorted().toList(), "each checkout pod of n1 evicted once");
        assertEquals(List.of("checkout-a", "checkout-b"), replaced.stream().sorted().toList(), "evicted pods are deleted as by the API server");
        assertTrue(refused.size() >= 4 && refused.size() <= 7, "db-0 tried once, then every second for the 5 s fault: " + refused.size());
        assertFalse(client.pods().inNamespace("shop").withName("db-0").get() == null, "the budget kept db-0");
        assertFalse(Boolean.TRUE.equals(client.nodes().withName("n1").get().getSpec().getUnschedulable()), "n1 uncordoned");

        JsonNode report = JSON.readTree(work.resolve("reports/k8s-evict/report.json").toFile());
        List<String> timeline = new ArrayList<>();
        for (JsonNode e : report.get("events")) {
            timeline.add(e.get("kind").asText() + " " + e.get("subject").asText() + ": " + e.get("detail").asText());
        }
        assertTrue(timeline.contains("FAULT_INJECTED drain-n1: node-kill on node/n1"), timeline.toString());
        assertTrue(timeline.stream().anyMatch(t -> t.matches("NOTE drain-n1: shop/db-0: eviction refused by PodDisruptionBudget db-pdb for [45] s \\(\\+[45]\\.\\d s\\)")),
                timeline.toString());
        assertEquals(1, timeline.stream().filter(t -> t.contains("shop/db-0: eviction refused")).count(), "noted once: " + timeline);
        int recovered = indexOf(timeline, "NOTE drain-n1: server side: 3 of 3 pods of Deployment shop/checkout Ready again (+");
        assertTrue(recovered > indexOf(timeline, "NOTE drain-n1: replacement shop/checkout-a-new (Deployment checkout) Ready (+")
                && recovered > indexOf(timeline, "NOTE drain-n1: replacement shop/checkout-b-new (Deployment checkout) Ready (+"),
                "recovered once both replacements are Ready: " + timeline);
        assertTrue(timeline.contains("FAULT_REVERTED drain-n1: scheduled end"), timeline.toString());
        assertTrue(timeline.stream().anyMatch(t -> t.startsWith("NOTE drain-n1: node n1 uncordoned: Ready and schedulable again (+")), timeline.toString());
    }

    /** The index of the first entry starting with {@code prefix}; fails when there is none. */
    private static int indexOf(List<String> timeline, String prefix) {
        for (int i = 0; i < timeline.size(); i++) {
            if (timeline.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no '" + prefix + "' in " + timeline);
    }
}
