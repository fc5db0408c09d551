package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.NetworkPeer;
import dev.slogate.experiment.PodRemoval;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.types.ContainerKill;
import dev.slogate.fault.types.CpuStress;
import dev.slogate.fault.types.MemoryStress;
import dev.slogate.fault.types.NetworkBandwidth;
import dev.slogate.fault.types.NetworkDelay;
import dev.slogate.fault.types.NetworkLoss;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact requests ChaosMeshClient sends (paths, methods, headers, bodies) and how it reads the answers. */
class ChaosMeshClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MockWebServer server;
    private ChaosMeshClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
        client = ChaosMeshClient.builder(server.url("/").toString()).bearerToken("s3cret-token").timeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Selector.Scope ns(String ns) {
        return new Selector.Scope(ns, Map.of(), List.of(), null, null, null);
    }

    private static final ClusterOptions D = ClusterOptions.DEFAULTS;

    private JsonNode created(FaultSpec spec) throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
        client.create(ChaosExperiments.of(spec, "slogate-f-12345678", "run-1", "f"));
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", r.getMethod());
        assertEquals("Bearer s3cret-token", r.getHeaders().get("Authorization"));
        assertTrue(r.getHeaders().get("Content-Type").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.getBody().utf8());
        assertEquals("/apis/chaos-mesh.org/v1alpha1/namespaces/shop/" + ChaosKind.of(spec.type()).plural(), r.getUrl().encodedPath());
        return body;
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void podFailureIsAPodChaosWithTheRunLabelsSelectorAndDuration() throws Exception {
        FaultSpec f = new FaultSpec("f", FaultType.POD_FAILURE, new Selector(Map.of("app", "checkout", "tier", "web"), Selector.Mode.FIXED_PERCENT, 30,
                new Selector.Scope("shop", Map.of("status.phase", "Running"), List.of(), null, null, null)), Duration.ofSeconds(90), null, null, D);
        assertEquals(json("""
                {'apiVersion': 'chaos-mesh.org/v1alpha1', 'kind': 'PodChaos',
                 'metadata': {'name': 'slogate-f-12345678', 'namespace': 'shop', 'labels': {'slogate.io/run-id': 'run-1', 'slogate.io/fault': 'f'}},
                 'spec': {'action': 'pod-failure', 'mode': 'fixed-percent', 'value': '30',
                          'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'checkout', 'tier': 'web'}, 'fieldSelectors': {'status.phase': 'Running'}},
                          'duration': '1m30s'}}"""), created(f));
    }

    @Test
    void podKillAndContainerKillAreOneShot() throws Exception {
        FaultSpec kill = new FaultSpec("f", FaultType.POD_KILL, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(10), null, null,
                D, new PodRemoval(Duration.ofSeconds(5), PodRemoval.DELETE));
        assertEquals(json("{'action': 'pod-kill', 'gracePeriod': 5, 'mode': 'one', 'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'a'}}}"),
                created(kill).get("spec"));
        FaultSpec ck = new FaultSpec("f", FaultType.CONTAINER_KILL, new Selector(Map.of("app", "a"), Selector.Mode.FIXED, 2, ns("shop")), Duration.ZERO, null, null,
                D, new ContainerKill.Options(List.of("app", "sidecar")));
        assertEquals(json("{'action': 'container-kill', 'containerNames': ['app', 'sidecar'], 'mode': 'fixed', 'value': '2',"
                + " 'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'a'}}}"), created(ck).get("spec"));
    }

    @Test
    void networkFaultsCarryDirectionTargetAndTheirAction() throws Exception {
        Selector db = new Selector(Map.of("app", "db"), Selector.Mode.ALL, 0, ns("shop"));
        FaultSpec delay = new FaultSpec("f", FaultType.NETWORK_DELAY, new Selector(Map.of("app", "a"), Selector.Mode.ALL, 0, ns("shop")), Duration.ofSeconds(30),
                Duration.ofMillis(100), null, D, new NetworkDelay.Options(new NetworkPeer("both", db), Duration.ofMillis(10)));
        assertEquals(json("""
                {'action': 'delay', 'delay': {'latency': '100ms', 'jitter': '10ms'}, 'mode': 'all',
                 'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'a'}}, 'direction': 'both',
                 'target': {'mode': 'all', 'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'db'}}}, 'duration': '30s'}"""),
                created(delay).get("spec"));
        FaultSpec partition = new FaultSpec("f", FaultType.NETWORK_PARTITION, new Selector(Map.of("app", "a"), Selector.Mode.ALL, 0, ns("shop")),
                Duration.ofMinutes(2), null, null, D, new NetworkPeer("to", db));
        JsonNode p = created(partition).get("spec");
        assertEquals("partition", p.get("action").asText());
        assertEquals("to", p.get("direction").asText());
        assertEquals("2m", p.get("duration").asText());
        assertEquals(json("{'namespaces': ['shop'], 'labelSelectors': {'app': 'db'}}"), p.get("target").get("selector"));
        FaultSpec loss = new FaultSpec("f", FaultType.NETWORK_LOSS, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(5),
                null, null, D, new NetworkLoss.Options(new NetworkPeer("to", null), 25));
        JsonNode l = created(loss).get("spec");
        assertEquals(json("{'loss': '25'}"), l.get("loss"));
        assertFalse(l.has("target"));
        FaultSpec bw = new FaultSpec("f", FaultType.NETWORK_BANDWIDTH, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(5),
                null, null, D, new NetworkBandwidth.Options(new NetworkPeer("to", null), "1mbps")); // from/both need a target
        assertEquals(json("{'rate': '1mbps', 'limit': 20971520, 'buffer': 10000}"), created(bw).get("spec").get("bandwidth"));
    }

    @Test
    void stressFaultsAreStressChaosWithTheirStressor() throws Exception {
        FaultSpec cpu = new FaultSpec("f", FaultType.CPU_STRESS, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(20),
                null, null, D, new CpuStress.Options(2, 80));
        JsonNode c = created(cpu);
        assertEquals("StressChaos", c.get("kind").asText());
        assertEquals(json("{'mode': 'one', 'selector': {'namespaces': ['shop'], 'labelSelectors': {'app': 'a'}}, 'stressors': {'cpu': {'workers': 2, 'load': 80}}, 'duration': '20s'}"),
                c.get("spec"));
        FaultSpec mem = new FaultSpec("f", FaultType.MEMORY_STRESS, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(20),
                null, null, D, new MemoryStress.Options(1, "256MB"));
        assertEquals(json("{'memory': {'workers': 1, 'size': '256MB'}}"), created(mem).get("spec").get("stressors"));
    }

    @Test
    void pauseIsAMergePatchOfTheAnnotationAndDeleteToleratesAMissingObject() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        client.pause(ChaosKind.NETWORK_CHAOS, "shop", "x");
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("PATCH", r.getMethod());
        assertEquals("/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos/x", r.getUrl().encodedPath());
        assertTrue(r.getHeaders().get("Content-Type").startsWith("application/merge-patch+json"));
        assertEquals(json("{'metadata': {'annotations': {'experiment.chaos-mesh.org/pause': 'true'}}}"), JSON.readTree(r.getBody().utf8()));

        server.enqueue(new MockResponse.Builder().code(404).body("{\"kind\":\"Status\",\"reason\":\"NotFound\",\"message\":\"podchaos.chaos-mesh.org \\\"x\\\" not found\"}").build());
        client.delete(ChaosKind.POD_CHAOS, "shop", "x");
        assertEquals("DELETE", server.takeRequest(5, TimeUnit.SECONDS).getMethod());
    }

    @Test
    void errorsSayWhatToDoAndNeverCarryTheToken() {
        server.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"podchaos.chaos-mesh.org is forbidden: User \\\"system:serviceaccount:slogate:slogate\\\" cannot create\"}").build());
        ChaosMeshException e = assertThrows(ChaosMeshException.class, () -> client.create(ChaosExperiments.of(
                new FaultSpec("f", FaultType.POD_FAILURE, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, ns("shop")), Duration.ofSeconds(5), null, null, D),
                "o", "r", "f")));
        assertEquals(403, e.code());
        assertTrue(e.getMessage().contains("apply k8s/rbac.yaml"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
        server.enqueue(new MockResponse.Builder().code(404).body("{\"kind\":\"Status\",\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\"}").build());
        assertTrue(assertThrows(ChaosMeshException.class, () -> client.get(ChaosKind.POD_CHAOS, "shop", "x")).getMessage().contains("install Chaos Mesh"));
    }

    @Test
    void deleteLabelledListsEveryKindByTheRunLabelAndDeletesWhatItFinds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"items\": [{\"metadata\": {\"name\": \"slogate-a-1\"}}]}").build());
        server.enqueue(new MockResponse.Builder().code(200).body("{\"items\": []}").build());
        server.enqueue(new MockResponse.Builder().code(200).body("{\"items\": [{\"metadata\": {\"name\": \"slogate-b-2\"}}]}").build());
        for (int i = 0; i < 3; i++) { // awschaos, gcpchaos, azurechaos
            server.enqueue(new MockResponse.Builder().code(200).body("{\"items\": []}").build());
        }
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        assertEquals(List.of("PodChaos shop/slogate-a-1", "StressChaos shop/slogate-b-2"), client.deleteLabelled("shop", "slogate.io/run-id", "run-1"));
        RecordedRequest list = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos?labelSelector=slogate.io%2Frun-id%3Drun-1", list.getTarget());
        for (int i = 0; i < 5; i++) {
            server.takeRequest(5, TimeUnit.SECONDS);
        }
        assertEquals("DELETE /apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos/slogate-a-1",
                server.takeRequest(5, TimeUnit.SECONDS).getRequestLine().replace(" HTTP/1.1", ""));
        assertEquals("DELETE /apis/chaos-mesh.org/v1alpha1/namespaces/shop/stresschaos/slogate-b-2",
                server.takeRequest(5, TimeUnit.SECONDS).getRequestLine().replace(" HTTP/1.1", ""));
    }

    @Test
    void objectNamesAreDns1123AndGoDurationsMatchChaosMesh() {
        assertEquals("slogate-kill-one-pod-1a2b3c4d", ChaosExperiments.objectName("Kill_One POD", "1a2b3c4d-0000-0000-0000-000000000000"));
        assertTrue(ChaosExperiments.objectName("x".repeat(100), "1a2b3c4d-0").length() <= 63);
        assertEquals("250ms", ChaosExperiments.goDuration(Duration.ofMillis(250)));
        assertEquals("1h1m1s", ChaosExperiments.goDuration(Duration.ofSeconds(3661)));
        assertEquals("0s", ChaosExperiments.goDuration(Duration.ZERO));
    }
}
