package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.ends;
import static dev.slogate.cli.EndToEndIT.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cluster.ClusterTargets;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate run} as a child process with load on a 1x1x1 local sandbox and Chaos Mesh faults on fabric8's CRUD
 * mock (nodes n1, n2 in zone z1, n3, n4 in z2, pods shop/web-1..4 one per node). The CRUD mock stores chaos-mesh.org
 * objects at the API server's own URL like any resource, so the run talks to one server, as it would on a cluster;
 * {@link FakeChaosMesh} plays Chaos Mesh's controller (status and Apply/Recover events) and {@link FakeChaosDashboard}
 * the Chaos Dashboard's API. slogate's own Chaos Mesh requests are told apart from the fake controller's by their
 * client (OkHttp's user agent; the controller and slogate's pod/node calls go through fabric8).
 */
@EnableKubernetesMockClient(crud = true)
class ChaosMeshRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK_CHAOS = "/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos";
    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path work;

    private Path kubeconfig;

    @BeforeEach
    void cluster() throws Exception {
        for (int i = 1; i <= 4; i++) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n" + i)
                    .addToLabels(ClusterTargets.ZONE_LABEL, i <= 2 ? "z1" : "z2").endMetadata().withNewSpec().endSpec().build()).create();
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("shop")
                    .addToLabels("app", "web").endMetadata().withNewSpec().withNodeName("n" + i).endSpec()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
        }
        kubeconfig = MockKubeconfig.write(work.resolve("kubeconfig"), client, "shop");
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: chaos}
                spec:
                  objectives:
                    - {name: error-rate, errorRate: {below: 5%}, windows: [run]}
                """);
    }

    private Path scenario(String name, String kubernetesExtra, String seconds, String faults) throws Exception {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: %s}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1, serviceTime: 2ms, concurrency: 8, restartDelay: 1s}
                  kubernetes:
                    kubeconfig: %s
                    allowedNamespaces: [shop]%s
                  load:
                    stages: [{hold: {rps: 20, duration: %s}}]
                    requests: [{name: home, path: /}]
                  faults:
                %s
                  slos: [slo.yaml]
                """.formatted(name, kubeconfig, kubernetesExtra, seconds, faults));
        return file;
    }

    /** slogate's own requests to Chaos Mesh resources on the API server, in order (drains what the mock recorded). */
    private List<RecordedRequest> slogateChaosRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (r.getPath().startsWith("/apis/chaos-mesh.org/") && agent != null && !agent.startsWith("fabric8")) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<String> lines(List<RecordedRequest> rs) {
        return rs.stream().map(r -> r.getMethod() + " " + r.getPath().replaceAll("\\?.*", "")).toList();
    }

    private static JsonNode window(JsonNode report, String name) {
        for (JsonNode w : report.get("windows")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no window " + name + " in " + report.get("windows"));
    }

    private static List<String> timeline(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("events").forEach(e -> out.add(e.get("kind").asText() + " " + e.get("subject").asText() + ": " + e.get("detail").asText()));
        return out;
    }

    private static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aZonePartitionRunTakesItsWindowFromChaosMeshsEventsAndDeletesTheExperiment() throws Exception {
        Path scenario = scenario("zone-partition", "", "12s", """
                    - name: zone-a-dark
                      at: 3s
                      backend: chaos-mesh
                      fault: {type: zone-outage, mechanism: partition, selector: {zone: z1, mode: all}, duration: 5s}
                """);
        Path dir = work.resolve("zone");
        try (FakeChaosMesh chaosMesh = new FakeChaosMesh(client, "shop")) {
            Process run = cli(dir, "run", "--run-id", "zone", "--state-dir", "state", "--reports-dir", "reports", scenario.toString());
            assertTrue(ends(run, 100), "run finished:\n" + output(dir));
            assertEquals(0, run.exitValue(), output(dir));

            assertEquals(1, chaosMesh.seen().size(), "one NetworkChaos: " + chaosMesh.seen());
            String object = chaosMesh.seen().get(0);
            assertTrue(object.startsWith("slogate-zone-a-dark-"), object);
            assertTrue(chaosMesh.stored().isEmpty(), "the experiment is deleted at the end");
            FakeChaosMesh.Stamps stamps = chaosMesh.stamps(object);
            assertNotEquals(0, stamps.recoveredAt(), "slogate paused it, so Chaos Mesh recovered it");

            List<RecordedRequest> sent = slogateChaosRequests();
            List<String> calls = lines(sent);
            assertEquals("POST " + NETWORK_CHAOS, calls.get(0), calls.toString());
            assertEquals("DELETE " + NETWORK_CHAOS + "/" + object, calls.get(calls.size() - 1), calls.toString());
            int patch = calls.indexOf("PATCH " + NETWORK_CHAOS + "/" + object);
            assertTrue(patch > 0 && calls.subList(1, calls.size() - 1).stream().allMatch(c -> c.equals("GET " + NETWORK_CHAOS + "/" + object)
                    || c.equals("PATCH " + NETWORK_CHAOS + "/" + object)), "create, reads, pause, reads, delete: " + calls);
            // the mock's dispatcher consumes request bodies: what they carried is read from the stored object instead
            assertEquals(Map.of("experiment.chaos-mesh.org/pause", "true"), chaosMesh.pausedWith(object), "paused by annotation");
            for (RecordedRequest r : sent) {
                assertEquals("Bearer not-a-real-token", r.getHeader("Authorization"), "the kubeconfig's credentials: " + r.getPath());
            }
            JsonNode body = JSON.valueToTree(chaosMesh.created(object));
            assertEquals("NetworkChaos", body.path("kind").asText());
            assertEquals("zone", body.at("/metadata/labels/slogate.io~1run-id").asText());
            assertEquals("zone-a-dark", body.at("/metadata/labels/slogate.io~1fault").asText());
            assertEquals("partition", body.at("/spec/action").asText());
            assertEquals("all", body.at("/spec/mode").asText());
            assertEquals("both", body.at("/spec/direction").asText());
            assertEquals("z1", body.at("/spec/selector/nodeSelectors/topology.kubernetes.io~1zone").asText());
            assertEquals("[\"shop\"]", body.at("/spec/selector/namespaces").toString());
            assertEquals("[\"n3\",\"n4\"]", body.at("/spec/target/selector/nodes").toString());
            assertEquals("5s", body.at("/spec/duration").asText());

            JsonNode report = JSON.readTree(dir.resolve("reports/zone/report.json").toFile());
            JsonNode w = window(report, "fault:zone-a-dark");
            assertEquals(stamps.appliedAt(), w.get("startMillis").asLong(), "the window starts at Chaos Mesh's Apply event");
            assertEquals(stamps.recoveredAt(), w.get("endMillis").asLong(), "and ends at its Recover event");
            List<String> t = timeline(report);
            assertTrue(t.contains("FAULT_INJECTED zone-a-dark: zone-outage on shop/web-1, shop/web-2, "
                    + "partitioned (both directions) from 2 pods on nodes n3, n4"),
                    t.toString());
            assertTrue(t.stream().anyMatch(e -> e.startsWith("FAULT_REVERTED zone-a-dark")), t.toString());
            assertFalse(Files.readString(dir.resolve("reports/zone/report.json")).contains("not-a-real-token"));
            assertFalse(output(dir).contains("not-a-real-token"));
        }
    }

    @Test
    void aRunThroughTheChaosDashboardInjectsAndCleansUpThereWithTheTokenOnlyOnTheWire() throws Exception {
        String token = "dash-secret-4711";
        FakeChaosDashboard dashboard = new FakeChaosDashboard(token);
        try (MockWebServer web = new MockWebServer()) {
            web.setDispatcher(dashboard);
            web.start(InetAddress.getByName("127.0.0.1"), 0);
            String url = web.url("/").toString();
            Path scenario = scenario("dashboard", "\n    chaosMesh: {dashboardUrl: \"" + url + "\", tokenEnv: CHAOS_TOKEN}", "12s", """
                        - name: web-down
                          at: 3s
                          backend: chaos-mesh
                          fault: {type: pod-failure, selector: {namespace: shop, labels: {app: web}, mode: one}, duration: 4s}
                    """);
            Path dir = work.resolve("dash");
            Process run = cli(dir, Map.of("CHAOS_TOKEN", token), "run", "--run-id", "dash", "--state-dir", "state", "--reports-dir", "reports",
                    scenario.toString());
            assertTrue(ends(run, 100), "run finished:\n" + output(dir));
            assertEquals(0, run.exitValue(), output(dir));

            List<String> calls = dashboard.requests.stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
            for (mockwebserver3.RecordedRequest r : dashboard.requests) {
                assertEquals("Bearer " + token, r.getHeaders().get("Authorization"), "bearer token on " + r.getRequestLine());
            }
            assertEquals(1, calls.stream().filter(c -> c.equals("POST /api/experiments")).count(), calls.toString());
            assertEquals(1, dashboard.deleted.size(), "deleted once: " + calls);
            String uid = dashboard.deleted.get(0);
            assertEquals("POST /api/experiments", calls.get(0), calls.toString());
            assertEquals("DELETE /api/experiments/" + uid, calls.get(calls.size() - 1), calls.toString());
            int pause = calls.indexOf("PUT /api/experiments/pause/" + uid);
            assertTrue(pause > 0, "paused through the dashboard before the delete: " + calls);
            assertTrue(dashboard.experiments.isEmpty(), "nothing left on the dashboard");
            assertTrue(slogateChaosRequests().isEmpty(), "no Chaos Mesh request went to the API server");

            JsonNode body = JSON.readTree(dashboard.requests.get(0).getBody().utf8());
            assertEquals("PodChaos", body.path("kind").asText());
            assertEquals("shop", body.at("/metadata/namespace").asText());
            assertEquals("dash", body.at("/metadata/labels/slogate.io~1run-id").asText());
            assertEquals("pod-failure", body.at("/spec/action").asText());
            assertEquals("one", body.at("/spec/mode").asText());
            assertEquals("[\"shop\"]", body.at("/spec/selector/namespaces").toString());
            assertEquals("web", body.at("/spec/selector/labelSelectors/app").asText());
            assertEquals("4s", body.at("/spec/duration").asText());

            // the dashboard has no Apply/Recover records: the window runs from the first "running" to the first "paused" read
            JsonNode report = JSON.readTree(dir.resolve("reports/dash/report.json").toFile());
            JsonNode w = window(report, "fault:web-down");
            FakeChaosDashboard.Stored s = dashboard.history.get(uid);
            // slogate stamps a status read when it sends it, the fake when it answers: allow those few ms
            assertTrue(w.get("startMillis").asLong() >= s.createdAt() + 450, "starts once the dashboard said running: " + w + " created " + s.createdAt());
            assertTrue(w.get("startMillis").asLong() <= s.createdAt() + 3000, "within a few polls of it: " + w + " created " + s.createdAt());
            assertTrue(w.get("endMillis").asLong() >= s.pausedAt() + 450, "ends once it said paused: " + w + " paused " + s.pausedAt());
            assertTrue(w.get("endMillis").asLong() <= s.pausedAt() + 3000, "within a few polls of it: " + w + " paused " + s.pausedAt());
            assertTrue(timeline(report).stream().anyMatch(e -> e.startsWith("FAULT_INJECTED web-down: pod-failure on shop/web-")), timeline(report).toString());

            String journal = Files.readString(dir.resolve("state/journal/dash.jsonl"));
            assertTrue(journal.contains("CHAOS_TOKEN"), "the journal names the variable, so cleanup can read it: " + journal);
            assertFalse(journal.contains(token), "the token is not journaled");
            assertFalse(Files.readString(dir.resolve("reports/dash/report.json")).contains(token), "the token is not in report.json");
            assertFalse(output(dir).contains(token), "the token is not in the run's output");
        }
    }

    @Test
    void ctrlCMidFaultPausesAndDeletesTheExperimentAndUncordonsTheNodeBeforeExiting() throws Exception {
        Path scenario = scenario("ctrlc", "", "60s", """
                    - name: zone-a-dark
                      at: 2s
                      backend: chaos-mesh
                      fault: {type: zone-outage, mechanism: partition, selector: {zone: z1, mode: all}, duration: 50s}
                    - name: lose-n4
                      at: 2s
                      backend: kubernetes
                      fault: {type: node-kill, selector: {nodes: [n4], mode: all}, duration: 50s}
                """);
        Path dir = work.resolve("ctrlc");
        try (FakeChaosMesh chaosMesh = new FakeChaosMesh(client, "shop")) {
            Process run = cli(dir, "run", "--run-id", "ctrlc", "--state-dir", "state", "--reports-dir", "reports", scenario.toString());
            try {
                await("both faults injected:\n" + output(dir), Duration.ofSeconds(60), () -> !chaosMesh.seen().isEmpty()
                        && chaosMesh.stamps(chaosMesh.seen().get(0)).appliedAt() != 0 && Boolean.TRUE.equals(node("n4").getSpec().getUnschedulable())
                        && output(dir).contains("lose-n4"));
                Thread.sleep(1000);
                assertEquals("ctrlc", node("n4").getMetadata().getLabels().get("slogate.io/run-id"), "n4 cordoned by this run");
                new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
                assertTrue(ends(run, 60), "the harness ends after Ctrl-C:\n" + output(dir));
            } finally {
                if (run.isAlive()) {
                    run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            String object = chaosMesh.seen().get(0);
            assertEquals(Map.of("experiment.chaos-mesh.org/pause", "true"), chaosMesh.pausedWith(object), "paused before exit");
            assertTrue(chaosMesh.stored().isEmpty(), "the NetworkChaos was deleted before exit");
            List<String> calls = lines(slogateChaosRequests());
            assertTrue(calls.indexOf("PATCH " + NETWORK_CHAOS + "/" + object) < calls.indexOf("DELETE " + NETWORK_CHAOS + "/" + object)
                    && calls.contains("PATCH " + NETWORK_CHAOS + "/" + object), "pause, then delete: " + calls);
            Node n4 = node("n4");
            assertNotEquals(Boolean.TRUE, n4.getSpec().getUnschedulable(), "n4 uncordoned before exit");
            assertFalse(n4.getMetadata().getLabels() != null && n4.getMetadata().getLabels().containsKey("slogate.io/run-id"), "label dropped");
            assertTrue(output(dir).contains("slogate: interrupted; every fault was reverted (exit 3)."), output(dir));

            JsonNode report = JSON.readTree(dir.resolve("reports/ctrlc/report.json").toFile());
            assertTrue(report.get("outcome").asText().contains("interrupted"), report.get("outcome").toString());
            List<String> t = timeline(report);
            assertTrue(t.stream().anyMatch(e -> e.startsWith("FAULT_REVERTED zone-a-dark")), t.toString());
            assertTrue(t.stream().anyMatch(e -> e.startsWith("FAULT_REVERTED lose-n4")), t.toString());
            assertEquals(chaosMesh.stamps(object).recoveredAt(), window(report, "fault:zone-a-dark").get("endMillis").asLong(),
                    "the interrupted window still ends at Chaos Mesh's Recover event");

            Process cleanup = cli(dir, "cleanup", "--state-dir", "state");
            assertTrue(ends(cleanup, 60));
            assertEquals(0, cleanup.exitValue(), output(dir));
            assertTrue(output(dir).strip().endsWith("Nothing to clean up."), "cleanup finds nothing left:\n" + output(dir));
            assertTrue(chaosMesh.stored().isEmpty());
        }
    }

    private Node node(String name) {
        return client.nodes().withName(name).get();
    }
}
