package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.KubernetesApi;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.PodRemoval;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podRemoval: evict against the mock server. Its CRUD mode does not implement the Eviction API (a POST to
 * pods/{name}/eviction is stored as an object named like the pod: 409 "Eviction 'p1' already exists", the pod stays, no
 * PodDisruptionBudget is consulted), so the eviction endpoint answers from expectations as a real API server does:
 * 201 with a Success Status when allowed, 429 with the budget named in the Status' causes when a PDB refuses.
 */
@EnableKubernetesMockClient(crud = true)
class PodEvictionTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path journalDir;

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<JournaledInjector> made = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void cluster() throws InterruptedException {
        server.clearExpectations();
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        MockCluster.populate(client);
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // drop the fixture's requests: the tests read only the injector's
        }
    }

    @AfterEach
    void close() {
        made.forEach(JournaledInjector::close);
    }

    private JournaledInjector injector() {
        JournaledInjector i = new JournaledInjector(new KubernetesFaultInjector(client, new ClusterConnection(Path.of("/nonexistent/kubeconfig"), "ctx", false),
                new KubernetesSettings(null, false, null, List.of("shop"), null), "run-e", new Random(7), events::add),
                new Journal(journalDir, "run-e"));
        made.add(i);
        return i;
    }

    private static PodRemoval evict(Duration grace) {
        return new PodRemoval(grace, PodRemoval.EVICT);
    }

    private static FaultSpec killNode(String node, Duration duration, Duration grace) {
        return new FaultSpec("lose-node", FaultType.NODE_KILL, new Selector(Map.of(), Selector.Mode.ONE, 0,
                new Selector.Scope(null, Map.of(), List.of(node), null, null, null)), duration, null, null, ClusterOptions.DEFAULTS, evict(grace));
    }

    private static String path(String pod) {
        return MockEvictions.path("shop", pod);
    }

    private static void allow(String pod) {
        server.expect().post().withPath(path(pod)).andReturn(201, MockEvictions.SUCCESS).always();
    }

    private static String refusal(String pdb) {
        return MockEvictions.refusal(pdb);
    }

    /** Every eviction the injector posted, as parsed JSON with the pod name from the path. */
    private static List<JsonNode> evictions() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            assertTrue(KubernetesApi.CALLS.contains(ApiCalls.of(r.getMethod(), r.getPath())), "not granted by k8s/rbac.yaml: " + r.getMethod() + " " + r.getPath());
            assertFalse(r.getMethod().equals("DELETE") && r.getPath().contains("/pods/"), "evict must not delete pods: " + r.getPath());
            if (r.getPath().endsWith("/eviction")) {
                JsonNode body = JSON.readTree(r.getUtf8Body());
                assertEquals(r.getPath(), path(body.path("metadata").path("name").asText()), "the body names the pod of the path");
                out.add(body);
            }
        }
        return out;
    }

    private List<String> details() {
        synchronized (events) {
            return events.stream().map(Event::detail).toList();
        }
    }

    @Test
    void aNodeKillEvictsItsPodsAndRetriesRefusalsUntilTheDurationRunsOut() throws Exception {
        // checkout-3 is under a budget that never allows; db-0's budget refuses twice, then allows
        server.expect().post().withPath(path("checkout-3")).andReturn(429, refusal("checkout-pdb")).always();
        server.expect().post().withPath(path("db-0")).andReturn(429, refusal("db-pdb")).times(2);
        allow("db-0");
        JournaledInjector inj = injector();
        long start = System.currentTimeMillis();
        InjectedFault f = inj.inject("lose-node", killNode("n3", Duration.ofSeconds(3), Duration.ofSeconds(5)));
        assertEquals(List.of("node/n3"), f.targets());
        assertEquals(Boolean.TRUE, client.nodes().withName("n3").get().getSpec().getUnschedulable(), "cordoned first");

        waitFor(() -> details().stream().anyMatch(d -> d.startsWith("shop/checkout-3: eviction refused")), 8_000);
        long noted = System.currentTimeMillis() - start;
        assertTrue(noted >= 2_900 && noted < 5_000, "the refusal is noted when the 3 s duration runs out, not before: " + noted + " ms");
        List<String> d = details();
        assertTrue(d.stream().anyMatch(x -> x.matches("shop/checkout-3: eviction refused by PodDisruptionBudget checkout-pdb for [34] s \\(\\+[34]\\.\\d s\\)")), d.toString());
        // "for N s" rounds: on a busy machine the second retry lands late, and +2.6 s reads as 3 s
        assertTrue(d.stream().anyMatch(x -> x.matches("shop/db-0: evicted after PodDisruptionBudget db-pdb for [23] s \\(\\+2\\.\\d s\\)")), d.toString());

        List<JsonNode> posted = evictions();
        for (JsonNode e : posted) {
            assertEquals("policy/v1", e.path("apiVersion").asText());
            assertEquals("Eviction", e.path("kind").asText());
            assertEquals("shop", e.path("metadata").path("namespace").asText());
            assertEquals(5, e.path("deleteOptions").path("gracePeriodSeconds").asInt(), e.toString());
        }
        long checkout = posted.stream().filter(e -> e.path("metadata").path("name").asText().equals("checkout-3")).count();
        long db = posted.stream().filter(e -> e.path("metadata").path("name").asText().equals("db-0")).count();
        assertTrue(checkout >= 3 && checkout <= 5, "once, then every second for 3 s: " + checkout);
        assertEquals(3, db, "refused, refused, evicted: no further attempt");
        assertTrue(posted.stream().noneMatch(e -> e.path("metadata").path("name").asText().startsWith("checkout-1")), "only the pods of n3");

        Thread.sleep(1_500);
        assertEquals(List.of(), evictions(), "no retry after the duration ran out");
        inj.revert(f);
        assertFalse(Boolean.TRUE.equals(client.nodes().withName("n3").get().getSpec().getUnschedulable()), "uncordoned");
        assertEquals(1, details().stream().filter(x -> x.startsWith("shop/checkout-3: eviction refused")).count(), "noted once");
    }

    @Test
    void aRevertBeforeTheDeadlineStopsTheRetriesAndNamesThePodsNeverEvicted() throws Exception {
        server.expect().post().withPath(path("checkout-3")).andReturn(429, refusal("checkout-pdb")).always();
        allow("db-0");
        JournaledInjector inj = injector();
        InjectedFault f = inj.inject("lose-node", killNode("n3", Duration.ofSeconds(60), Duration.ZERO));
        Thread.sleep(1_300);
        inj.revert(f);
        assertTrue(details().stream().anyMatch(x -> x.matches("shop/checkout-3: eviction refused by PodDisruptionBudget checkout-pdb for 1 s \\(\\+1\\.\\d s\\)")),
                details().toString());
        assertTrue(details().stream().noneMatch(x -> x.startsWith("shop/db-0")), "evicted at once: nothing to note " + details());
        List<JsonNode> posted = evictions();
        assertEquals(0, posted.get(0).path("deleteOptions").path("gracePeriodSeconds").asInt(-1), "gracePeriod 0 unless written");
        Thread.sleep(1_300);
        assertEquals(List.of(), evictions(), "no retry after revert");
    }

    @Test
    void aPodKillCanEvictAndAForbiddenEvictionFailsTheFaultWithWhatToDo() throws Exception {
        allow("checkout-1");
        allow("checkout-2");
        server.expect().post().withPath(path("checkout-3")).andReturn(403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"pods \\\"checkout-3\\\" is forbidden: User cannot create resource \\\"pods/eviction\\\"\",\"reason\":\"Forbidden\",\"code\":403}").always();
        allow("checkout-4");
        JournaledInjector inj = injector();
        Selector checkout = new Selector(Map.of("app", "checkout"), Selector.Mode.ALL, 0, new Selector.Scope("shop", Map.of(), List.of(), null, null, null));
        ClusterOptions forced = new ClusterOptions(100, false);
        FaultException e = assertThrows(FaultException.class, () -> inj.inject("kill", new FaultSpec("kill", FaultType.POD_KILL, checkout,
                Duration.ofSeconds(5), null, null, forced, evict(Duration.ofSeconds(2)))));
        assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("pods/eviction create: apply k8s/rbac.yaml"), e.getMessage());
        List<String> evicted = evictions().stream().map(x -> x.path("metadata").path("name").asText()).toList();
        assertTrue(evicted.contains("checkout-3") && evicted.stream().allMatch(n -> n.startsWith("checkout-")), evicted.toString());
        assertEquals(4, client.pods().inNamespace("shop").withLabel("app", "checkout").list().getItems().size(), "nothing deleted");
    }

    @Test
    void theBudgetIsReadFromTheStatusOrTheMessage() {
        var withCause = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(refusal("web-pdb"), io.fabric8.kubernetes.api.model.Status.class);
        assertEquals("PodDisruptionBudget web-pdb", PodEvictions.refusedBy(withCause, withCause.getMessage()));
        assertEquals("the API server (429: slow down)", PodEvictions.refusedBy(null, "slow down"));
    }

    private static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
