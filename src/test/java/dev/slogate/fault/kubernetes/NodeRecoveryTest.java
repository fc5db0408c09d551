package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side recovery of a node kill (CRUD mock), with the test playing the ReplicaSet controller and the kubelet:
 * node n3 holds 2 of the 4 pods of ReplicaSet checkout-rs (of Deployment checkout) and a bare pod; the replacements of
 * the 2 go on the timeline as scheduled, started, Ready, then the Deployment back to 4 Ready pods, all named by the
 * Deployment (the ReplicaSet's owner, read with apps replicasets get); at revert, the node uncordoned and Ready.
 */
@EnableKubernetesMockClient(crud = true)
class NodeRecoveryTest {
    static KubernetesClient client;

    @TempDir
    Path journalDir;

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /** The UID the mock gave ReplicaSet checkout-rs (it assigns its own on create). */
    private static String rsUid;

    @BeforeEach
    void cluster() {
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        client.apps().replicaSets().inAnyNamespace().delete();
        // the Deployment controller's ReplicaSet: the notes name its pods by the Deployment
        rsUid = client.apps().replicaSets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata().withName("checkout-rs").withNamespace("shop").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName("checkout").withUid("deploy-uid").withController(true).endOwnerReference().endMetadata()
                .build()).create().getMetadata().getUid();
        for (int i = 1; i <= 4; i++) {
            client.nodes().resource(readyNode("n" + i, i <= 2 ? "z1" : "z2", "True")).create();
        }
        for (String[] p : new String[][] {{"checkout-a", "n1"}, {"checkout-b", "n2"}, {"checkout-c", "n3"}, {"checkout-d", "n3"}}) {
            client.pods().inNamespace("shop").resource(owned(p[0], p[1], true)).create();
        }
        client.pods().inNamespace("shop").resource(MockCluster.pod("shop", "debug", "n3", Map.of("app", "debug"), true, null)).create();
    }

    private static Node readyNode(String name, String zone, String ready) {
        return new NodeBuilder(MockCluster.node(name, zone)).withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .endStatus().build();
    }

    /** A pod of ReplicaSet checkout-rs (the Deployment checkout's), labelled as the ReplicaSet labels them. */
    private static Pod owned(String name, String node, boolean ready) {
        return owned(name, node, ready, "checkout-rs", rsUid);
    }

    private static Pod owned(String name, String node, boolean ready, String owner, String ownerUid) {
        Pod p = MockCluster.pod("shop", name, node, Map.of("app", "checkout", "pod-template-hash", "5d8f"), ready, null);
        p.getMetadata().getOwnerReferences().add(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("apps/v1")
                .withKind("ReplicaSet").withName(owner).withUid(ownerUid).withController(true).build());
        return p;
    }

    private JournaledInjector injector() {
        KubernetesSettings settings = new KubernetesSettings(null, false, null, List.of("shop"), null);
        return new JournaledInjector(new KubernetesFaultInjector(client, new ClusterConnection(Path.of("/nonexistent/kubeconfig"), "ctx", false), settings,
                "run-n", new Random(7), events::add), new Journal(journalDir, "run-n"));
    }

    private static FaultSpec killNode(String node) {
        return new FaultSpec("nodes", FaultType.NODE_KILL, new Selector(Map.of(), Selector.Mode.ONE, 0,
                new Selector.Scope(null, Map.of(), List.of(node), null, null, null)), Duration.ofSeconds(10), null, null, ClusterOptions.DEFAULTS);
    }

    private List<String> details() {
        synchronized (events) {
            return events.stream().map(Event::detail).toList();
        }
    }

    @Test
    void replacementsOfTheEvictedPodsOwnerAndTheNodeBackGoOnTheTimeline() throws Exception {
        try (JournaledInjector inj = injector()) {
            InjectedFault f = inj.inject("lose-n3", killNode("n3"));
            assertEquals(List.of("node/n3"), f.targets());
            assertEquals(List.of("checkout-a", "checkout-b"), client.pods().inNamespace("shop").withLabel("app", "checkout").list().getItems()
                    .stream().map(p -> p.getMetadata().getName()).sorted().toList(), "the 2 checkout pods of n3 are gone");
            assertTrue(details().contains("pod shop/debug has no owner: nothing will replace it"), details().toString());

            // the ReplicaSet controller: 2 replacements on n4, pending; the kubelet starts them, then they pass readiness
            for (String name : List.of("checkout-e", "checkout-f")) {
                Pod pending = owned(name, "n4", false);
                pending.getStatus().getContainerStatuses().get(0).setStarted(true);
                client.pods().inNamespace("shop").resource(pending).create();
            }
            // same labels, another owner (say a Job's pod labelled alike): not a replacement, not counted
            client.pods().inNamespace("shop").resource(owned("other-app", "n4", true, "checkout-old", "rs-uid-2")).create();
            waitFor(() -> details().stream().filter(d -> d.contains(" started")).count() == 2);
            client.pods().inNamespace("shop").withName("checkout-e").edit(p -> ready(p));
            waitFor(() -> details().stream().anyMatch(d -> d.contains("checkout-e (Deployment checkout) Ready")));
            assertTrue(details().stream().noneMatch(d -> d.startsWith("server side:")), "3 of 4 Ready is not recovered yet: " + details());
            client.pods().inNamespace("shop").withName("checkout-f").edit(p -> ready(p));
            waitFor(() -> details().stream().anyMatch(d -> d.startsWith("server side:")));

            List<String> d = details();
            for (String name : List.of("checkout-e", "checkout-f")) {
                assertTrue(d.stream().anyMatch(x -> x.startsWith("replacement shop/" + name + " (Deployment checkout) scheduled on node n4 (+")), d.toString());
                assertTrue(d.stream().anyMatch(x -> x.startsWith("replacement shop/" + name + " (Deployment checkout) started (+")), d.toString());
                assertTrue(d.stream().anyMatch(x -> x.startsWith("replacement shop/" + name + " (Deployment checkout) Ready (+")), d.toString());
            }
            assertTrue(d.stream().anyMatch(x -> x.startsWith("server side: 4 of 4 pods of Deployment shop/checkout Ready again (+")), d.toString());
            assertTrue(d.stream().noneMatch(x -> x.contains("other-app")), "a pod of another owner is no replacement: " + d);

            inj.revert(f);
            List<String> after = details();
            assertTrue(after.get(after.size() - 1).startsWith("node n3 uncordoned: Ready and schedulable again (+"), after.toString());
            synchronized (events) {
                assertTrue(events.stream().allMatch(e -> e.subject().equals("lose-n3") && e.kind() == Event.Kind.NOTE),
                        "server-side steps are notes: RECOVERED stays the client-side recovery the reports show");
            }
        }
    }

    /** A ReplicaSet in shop controlled by Deployment {@code deployment}; returns the UID the mock gave it. */
    private static String replicaSet(String name, String deployment) {
        return client.apps().replicaSets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata().withName(name).withNamespace("shop").addNewOwnerReference().withApiVersion("apps/v1")
                .withKind("Deployment").withName(deployment).withUid(deployment + "-uid").withController(true).endOwnerReference().endMetadata()
                .build()).create().getMetadata().getUid();
    }

    /** A pod of ReplicaSet {@code rs} with the labels a Deployment's pods carry, its own pod-template-hash. */
    private static Pod ofReplicaSet(String name, String rs, String rsUid, String hash, boolean ready) {
        Pod p = MockCluster.pod("shop", name, "n4", Map.of("app", "checkout", "pod-template-hash", hash), ready, null);
        p.getMetadata().getOwnerReferences().add(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("apps/v1")
                .withKind("ReplicaSet").withName(rs).withUid(rsUid).withController(true).build());
        p.getStatus().getContainerStatuses().get(0).setStarted(true);
        return p;
    }

    @Test
    void aRolloutDuringTheFaultIsCountedForTheDeploymentAndNotAnotherDeploymentWithTheSameLabels() throws Exception {
        try (JournaledInjector inj = injector()) {
            inj.inject("lose-n3", killNode("n3"));
            assertEquals(2, client.pods().inNamespace("shop").withLabel("app", "checkout").list().getItems().size(), "checkout-c, -d evicted");

            // Deployment checkout rolled out meanwhile: its replacements come under a new ReplicaSet, other pod-template-hash
            String bbb = replicaSet("checkout-bbb", "checkout");
            // another Deployment whose pods carry the same labels, Ready at once: not checkout's, never counted
            String canary = replicaSet("checkout-canary-7f", "checkout-canary");
            for (String name : List.of("canary-1", "canary-2")) {
                client.pods().inNamespace("shop").resource(ofReplicaSet(name, "checkout-canary-7f", canary, "9b1e", true)).create();
            }
            for (String name : List.of("checkout-bbb-1", "checkout-bbb-2")) {
                client.pods().inNamespace("shop").resource(ofReplicaSet(name, "checkout-bbb", bbb, "9b1e", false)).create();
            }
            waitFor(() -> details().stream().filter(d -> d.contains("checkout-bbb-") && d.contains(" started")).count() == 2);
            client.pods().inNamespace("shop").withName("checkout-bbb-1").edit(p -> ready(p));
            waitFor(() -> details().stream().anyMatch(d -> d.startsWith("replacement shop/checkout-bbb-1 (Deployment checkout) Ready (+")));
            Thread.sleep(300); // a recovery counted from the other Deployment's pods would be noted by now
            assertTrue(details().stream().noneMatch(d -> d.startsWith("server side:")), "3 of 4 checkout pods Ready: " + details());
            client.pods().inNamespace("shop").withName("checkout-bbb-2").edit(p -> ready(p));
            waitFor(() -> details().stream().anyMatch(d -> d.startsWith("server side:")));

            List<String> d = details();
            assertTrue(d.stream().anyMatch(x -> x.startsWith("server side: 4 of 4 pods of Deployment shop/checkout Ready again (+")), d.toString());
            assertTrue(d.stream().anyMatch(x -> x.startsWith("replacement shop/checkout-bbb-2 (Deployment checkout) scheduled on node n4 (+")), d.toString());
            assertTrue(d.stream().noneMatch(x -> x.contains("canary")), "another Deployment's pods are no replacements: " + d);
            assertEquals(1, d.stream().filter(x -> x.startsWith("server side:")).count(), "one watch per Deployment: " + d);
        }
    }

    @Test
    void aNodeNotReadyAtRevertIsNotedWhenItComesBack() throws Exception {
        try (JournaledInjector inj = injector()) {
            InjectedFault f = inj.inject("lose-n3", killNode("n3"));
            client.nodes().withName("n3").editStatus(n -> { // the kubelet stopped reporting
                n.getStatus().getConditions().get(0).setStatus("Unknown");
                return n;
            });
            inj.revert(f);
            assertTrue(details().stream().anyMatch(x -> x.startsWith("node n3 uncordoned: not back yet (Ready=Unknown) (+")), details().toString());
            assertTrue(details().stream().noneMatch(x -> x.startsWith("node n3 Ready")), details().toString());
            client.nodes().withName("n3").editStatus(n -> {
                n.getStatus().getConditions().get(0).setStatus("True");
                return n;
            });
            waitFor(() -> details().stream().anyMatch(x -> x.startsWith("node n3 Ready and schedulable again (+")));
        }
    }

    private static Pod ready(Pod p) {
        p.getStatus().getConditions().get(0).setStatus("True");
        return p;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
