package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.KubernetesApi;
import dev.slogate.cluster.RunLabel;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class KubernetesFaultInjectorTest {
    // One mock server for the class (a server takes ~2 s to start); each test starts from a fresh cluster.
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path journalDir;

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final KubernetesSettings settings = new KubernetesSettings(null, false, null, List.of("shop", "kube-system"), null);

    @BeforeEach
    void cluster() {
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        MockCluster.populate(client);
    }

    private final List<JournaledInjector> made = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeWatches() {
        made.forEach(JournaledInjector::close);
    }

    private JournaledInjector injector(String runId) {
        return track(new JournaledInjector(new KubernetesFaultInjector(client, new ClusterConnection(Path.of("/nonexistent/kubeconfig"), "ctx", false), settings,
                runId, new Random(7), events::add), new Journal(journalDir, runId)));
    }

    private JournaledInjector track(JournaledInjector i) {
        made.add(i);
        return i;
    }

    private static FaultSpec podKill(Selector.Mode mode, double value, ClusterOptions options) {
        return new FaultSpec("kill", FaultType.POD_KILL, new Selector(Map.of("app", "checkout"), mode, value, shop()), Duration.ZERO, null,
                null, options);
    }

    private static Selector.Scope shop() {
        return new Selector.Scope("shop", Map.of(), List.of(), null, null, null);
    }

    private static ClusterOptions opts(double maxPercent, boolean force) {
        return new ClusterOptions(maxPercent, force);
    }

    private List<String> checkoutPods(String ns) {
        return client.pods().inNamespace(ns).withLabel("app", "checkout").list().getItems().stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private static FaultSpec nodeFault(FaultType type, Selector.Scope scope, Map<String, String> labels, Selector.Mode mode, ClusterOptions o) {
        return new FaultSpec("nodes", type, new Selector(labels, mode, 0, scope), Duration.ofSeconds(10), null, null, o);
    }

    private static Selector.Scope nodes(String... names) {
        return new Selector.Scope(null, Map.of(), List.of(names), null, null, null);
    }

    @Test
    void podKillDeletesAsManyMatchingPodsAsTheModeTakesAndJournalsFirst() throws Exception {
        InjectedFault one = injector("run-1").inject("kill", podKill(Selector.Mode.ONE, 0, ClusterOptions.DEFAULTS));
        assertEquals(1, one.targets().size());
        assertEquals(3, checkoutPods("shop").size());
        assertFalse(checkoutPods("shop").contains(one.targets().get(0).substring("shop/".length())));
        assertEquals(List.of("checkout-x"), checkoutPods("other"), "another namespace's pods with the same labels are never touched");
        String journal = Files.readString(journalDir.resolve("run-1.jsonl"));
        assertTrue(journal.contains(one.targets().get(0)) && journal.contains("\"injector\":\"kubernetes\""), journal);
        assertFalse(journal.contains("token"), "the journal keeps the kubeconfig path, never credentials");

        InjectedFault two = injector("run-1").inject("kill2", podKill(Selector.Mode.FIXED, 1, ClusterOptions.DEFAULTS));
        assertEquals(1, two.targets().size());
        InjectedFault half = injector("run-1").inject("kill3", podKill(Selector.Mode.FIXED_PERCENT, 50, ClusterOptions.DEFAULTS));
        assertEquals(1, half.targets().size(), "50 % of the 2 pods left");
        assertEquals(1, checkoutPods("shop").size());
    }

    @Test
    void theCapRefusesModesAboveMaxPercentAndTouchesNothing() {
        FaultException e = assertThrows(FaultException.class, () -> injector("r").inject("all", podKill(Selector.Mode.ALL, 0, ClusterOptions.DEFAULTS)));
        assertTrue(e.getMessage().contains("could hit 4 of 4 matching pods, above maxPercent 50% (at most 2)"), e.getMessage());
        assertThrows(FaultException.class, () -> injector("r").inject("three", podKill(Selector.Mode.FIXED, 3, ClusterOptions.DEFAULTS)));
        assertThrows(FaultException.class, () -> injector("r").inject("rmp", podKill(Selector.Mode.RANDOM_MAX_PERCENT, 75, ClusterOptions.DEFAULTS)));
        assertThrows(FaultException.class, () -> injector("r").inject("q", podKill(Selector.Mode.FIXED, 2, opts(25, false))));
        assertEquals(4, checkoutPods("shop").size(), "a refused fault deletes nothing");
        assertFalse(Files.exists(journalDir.resolve("r.jsonl")), "and journals nothing");

        assertEquals(3, injector("r").inject("ok", podKill(Selector.Mode.FIXED, 3, opts(75, false))).targets().size());
        assertEquals(1, injector("r").inject("forced", podKill(Selector.Mode.ALL, 0, opts(50, true))).targets().size());
        assertEquals(List.of(), checkoutPods("shop"));
    }

    @Test
    void aSelectorMatchingNothingFailsWithTheSelectorPrinted() {
        FaultSpec none = new FaultSpec("kill", FaultType.POD_KILL, new Selector(Map.of("app", "nope"), Selector.Mode.ONE, 0, shop()), Duration.ZERO, null, null, null);
        FaultException e = assertThrows(FaultException.class, () -> injector("r").plan(none));
        assertEquals("pod-kill: selector {namespace: shop, labels: {app=nope}, mode: one} matches no running pod in namespace shop; "
                + "check the labels with kubectl get pods -n shop --show-labels", e.getMessage());
        FaultSpec noNode = nodeFault(FaultType.NODE_KILL, Selector.Scope.NONE, Map.of("pool", "gpu"), Selector.Mode.ONE, ClusterOptions.DEFAULTS);
        assertTrue(assertThrows(FaultException.class, () -> injector("r").plan(noNode)).getMessage()
                .startsWith("node-kill: selector {labels: {pool=gpu}, mode: one} matches no node"));
    }

    @Test
    void namespacesOutsideTheAllowedListOrProtectedAreRefused() {
        FaultSpec other = new FaultSpec("k", FaultType.POD_KILL, new Selector(Map.of("app", "checkout"), Selector.Mode.ONE, 0,
                new Selector.Scope("other", Map.of(), List.of(), null, null, null)), Duration.ZERO, null, null, null);
        assertTrue(assertThrows(FaultException.class, () -> injector("r").inject("k", other)).getMessage().contains("not in spec.kubernetes.allowedNamespaces"));
        FaultSpec system = new FaultSpec("k", FaultType.POD_KILL, new Selector(Map.of("app", "coredns"), Selector.Mode.ONE, 0,
                new Selector.Scope("kube-system", Map.of(), List.of(), null, null, null)), Duration.ZERO, null, null, opts(100, false));
        assertTrue(assertThrows(FaultException.class, () -> injector("r").inject("k", system)).getMessage().contains("refused unless the fault has force: true"));
        assertEquals(List.of("checkout-x"), checkoutPods("other"));
        assertEquals(1, client.pods().inNamespace("kube-system").list().getItems().size());
    }

    @Test
    void nodeKillCordonsThenDeletesItsPodsAndRevertUncordons() {
        JournaledInjector inj = injector("run-n");
        InjectedFault f = inj.inject("n", nodeFault(FaultType.NODE_KILL, nodes("n1"), Map.of(), Selector.Mode.ONE, ClusterOptions.DEFAULTS));
        assertEquals(List.of("node/n1"), f.targets());
        Node n1 = client.nodes().withName("n1").get();
        assertEquals(Boolean.TRUE, n1.getSpec().getUnschedulable());
        assertEquals("run-n", n1.getMetadata().getLabels().get(RunLabel.KEY));
        assertEquals(f.id(), n1.getMetadata().getAnnotations().get(Cordons.CORDONED_BY));
        assertNull(client.pods().inNamespace("shop").withName("checkout-1").get(), "the allowed namespace's pod on n1 is deleted");
        assertNotNull(client.pods().inNamespace("shop").withName("checkout-2").get(), "pods on other nodes stay");
        assertNotNull(client.pods().inNamespace("shop").withName("agent-n1").get(), "DaemonSet pods stay");
        assertNotNull(client.pods().inNamespace("kube-system").withName("coredns-1").get(), "kube-system pods stay without force");
        assertNotNull(client.pods().inNamespace("other").withName("checkout-x").get(), "namespaces not allowed stay");

        inj.revert(f);
        Node back = client.nodes().withName("n1").get();
        assertNull(back.getSpec().getUnschedulable());
        assertFalse(back.getMetadata().getLabels().containsKey(RunLabel.KEY));
        assertFalse(back.getMetadata().getAnnotations().containsKey(Cordons.CORDONED_BY));
        inj.revert(f); // idempotent
    }

    @Test
    void nodeKillNeverTakesTheLastSchedulableNodeOfAZoneAndNeverUncordonsSomeoneElsesCordon() {
        client.nodes().withName("n2").edit(n -> { n.getSpec().setUnschedulable(true); return n; }); // an admin's cordon
        FaultSpec kill = nodeFault(FaultType.NODE_KILL, nodes("n1"), Map.of(), Selector.Mode.ONE, ClusterOptions.DEFAULTS);
        FaultException e = assertThrows(FaultException.class, () -> injector("r").inject("n", kill));
        assertTrue(e.getMessage().contains("every schedulable node of zone z1 [n1]"), e.getMessage());
        assertNull(client.nodes().withName("n1").get().getSpec().getUnschedulable());

        FaultSpec both = nodeFault(FaultType.NODE_KILL, nodes("n1", "n2"), Map.of(), Selector.Mode.ALL, opts(50, true));
        JournaledInjector inj = injector("r");
        InjectedFault f = inj.inject("n", both);
        assertEquals("n1", f.revertData().get(Cordons.CORDONED_NODES), "n2 was cordoned already: not ours to undo");
        inj.revert(f);
        assertNull(client.nodes().withName("n1").get().getSpec().getUnschedulable());
        assertEquals(Boolean.TRUE, client.nodes().withName("n2").get().getSpec().getUnschedulable(), "the admin's cordon stays");
    }

    @Test
    void zoneOutageTakesEveryNodeOfTheZoneWithinTheClusterCap() {
        FaultSpec z1 = nodeFault(FaultType.ZONE_OUTAGE, new Selector.Scope(null, Map.of(), List.of(), null, "z1", null), Map.of(), Selector.Mode.ALL,
                ClusterOptions.DEFAULTS);
        assertEquals(List.of("node/n1", "node/n2"), injector("r").plan(z1));
        InjectedFault f = injector("r").inject("z", z1);
        assertEquals(List.of("node/n1", "node/n2"), f.targets());
        assertEquals(Boolean.TRUE, client.nodes().withName("n2").get().getSpec().getUnschedulable());
        assertNull(client.nodes().withName("n3").get().getSpec().getUnschedulable());
        FaultSpec region = nodeFault(FaultType.REGION_OUTAGE, new Selector.Scope(null, Map.of(), List.of(), null, null, "r1"), Map.of(), Selector.Mode.ALL,
                ClusterOptions.DEFAULTS);
        assertTrue(assertThrows(FaultException.class, () -> injector("r").plan(region)).getMessage().contains("could hit 4 of 4 nodes of the cluster"));
    }

    @Test
    void nodeKillCanAimAtTheNodeRunningAPod() {
        Selector db = new Selector(Map.of("app", "db"), Selector.Mode.ALL, 0, shop());
        FaultSpec f = nodeFault(FaultType.NODE_KILL, new Selector.Scope(null, Map.of(), List.of(), db, null, null), Map.of(), Selector.Mode.ONE,
                ClusterOptions.DEFAULTS);
        assertEquals(List.of("node/n3"), injector("r").plan(f));
    }

    @Test
    void cleanupByLabelUncordonsTheNodesOfThatRunOnly() {
        injector("run-a").inject("a", nodeFault(FaultType.NODE_KILL, nodes("n1"), Map.of(), Selector.Mode.ONE, ClusterOptions.DEFAULTS));
        injector("run-b").inject("b", nodeFault(FaultType.NODE_KILL, nodes("n3"), Map.of(), Selector.Mode.ONE, ClusterOptions.DEFAULTS));
        client.nodes().withName("n4").edit(n -> { n.getSpec().setUnschedulable(true); return n; });

        List<String> done = Cordons.cleanupRun(client, "run-a");
        assertEquals(List.of("uncordoned node n1 (run run-a)"), done);
        assertNull(client.nodes().withName("n1").get().getSpec().getUnschedulable());
        assertEquals(Boolean.TRUE, client.nodes().withName("n3").get().getSpec().getUnschedulable(), "run-b's node stays cordoned");
        assertEquals(Boolean.TRUE, client.nodes().withName("n4").get().getSpec().getUnschedulable(), "a node slogate did not cordon stays");
    }

    @Test
    void replacementPodsScheduledStartedAndReadyGoOnTheTimeline() throws Exception {
        try (JournaledInjector inj = injector("run-w")) {
            InjectedFault f = inj.inject("kill", podKill(Selector.Mode.ONE, 0, ClusterOptions.DEFAULTS));
            String killed = f.targets().get(0).substring("shop/".length());
            // the ReplicaSet controller's part: a replacement, first pending, then Ready
            Pod pending = MockCluster.pod("shop", killed + "-new", "n2", Map.of("app", "checkout"), false, "ReplicaSet");
            pending.getStatus().getContainerStatuses().get(0).setStarted(true);
            client.pods().inNamespace("shop").resource(pending).create();
            waitFor(() -> events.stream().anyMatch(e -> e.detail().contains("started")));
            client.pods().inNamespace("shop").withName(killed + "-new").edit(p -> {
                p.getStatus().getConditions().get(0).setStatus("True");
                return p;
            });
            waitFor(() -> events.stream().anyMatch(e -> e.detail().startsWith("server side:")));
        }
        List<String> details = events.stream().map(Event::detail).toList();
        assertTrue(details.get(0).startsWith("replacement shop/") && details.get(0).contains("(ReplicaSet ") && details.get(0).contains("scheduled on node n2"), details.toString());
        assertTrue(details.get(1).contains("started"), details.toString());
        assertTrue(details.get(2).contains(" Ready"), details.toString());
        assertTrue(details.get(3).startsWith("server side: 4 of 4 pods {namespace: shop, labels: {app=checkout}, mode: one} Ready again"), details.toString());
        assertEquals(4, events.size(), details.toString());
        assertTrue(events.stream().allMatch(e -> e.subject().equals("kill") && e.kind() == Event.Kind.NOTE),
                "server-side steps are notes: RECOVERED stays the client-side recovery the reports show");
    }

    @Test
    void everyRequestTheInjectorSendsIsAnApiCallTheRbacListGrants() throws Exception {
        int before = server.getRequestCount();
        for (int i = 0; i < before; i++) {
            server.takeRequest(1, TimeUnit.SECONDS); // the fixture's own requests
        }
        JournaledInjector inj = injector("rbac");
        inj.inject("kill", podKill(Selector.Mode.ONE, 0, ClusterOptions.DEFAULTS));
        InjectedFault n = inj.inject("n", nodeFault(FaultType.NODE_KILL, nodes("n3"), Map.of(), Selector.Mode.ONE, ClusterOptions.DEFAULTS));
        inj.revert(n);
        Cordons.cleanupRun(client, "rbac");
        inj.close();
        List<KubernetesApi.Call> seen = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            seen.add(ApiCalls.of(r.getMethod(), r.getPath()));
        }
        assertTrue(seen.size() >= 8, seen.toString());
        for (KubernetesApi.Call c : seen) {
            assertTrue(KubernetesApi.CALLS.contains(c), "not in KubernetesApi.CALLS (nor k8s/rbac.yaml): " + c);
        }
        for (String verb : List.of("list", "watch", "delete")) {
            assertTrue(seen.contains(new KubernetesApi.Call("", "pods", verb)), verb);
        }
        for (String verb : List.of("get", "list", "patch")) {
            assertTrue(seen.contains(new KubernetesApi.Call("", "nodes", verb)), verb);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
