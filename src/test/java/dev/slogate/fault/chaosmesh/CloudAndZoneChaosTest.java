package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cluster.ClusterTargets;
import dev.slogate.experiment.CloudInstance;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.PodRemoval;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.types.NodeOutage;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.KubernetesApi;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud node stops (AWSChaos, GCPChaos, AzureChaos) and zone outages by network partition: the exact objects sent to
 * Chaos Mesh (MockWebServer), the fault window from the recorded status, cleanup, and what a zone partition would cut
 * (nodes and pods from fabric8's CRUD mock: n1, n2 in zone z1; n3 in z2).
 */
@EnableKubernetesMockClient(crud = true)
class CloudAndZoneChaosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static KubernetesClient kube;
    private MockWebServer chaos;

    @TempDir
    Path journalDir;

    @BeforeEach
    void start() throws Exception {
        kube.pods().inAnyNamespace().delete();
        kube.nodes().delete();
        for (String[] n : new String[][] {{"n1", "z1"}, {"n2", "z1"}, {"n3", "z2"}, {"n4", "z2"}}) {
            kube.nodes().resource(new NodeBuilder().withNewMetadata().withName(n[0]).addToLabels(ClusterTargets.ZONE_LABEL, n[1])
                    .addToLabels("pool", "web").endMetadata().build()).create();
        }
        pod("shop", "web-1", "n1");
        pod("shop", "web-2", "n3");
        pod("shop", "db-0", "n2");
        pod("pay", "pay-1", "n4");
        pod("other", "x-1", "n1"); // not an allowed namespace: neither side
        chaos = new MockWebServer();
        chaos.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    }

    private static void pod(String ns, String name, String node) {
        kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", name)
                .endMetadata().withNewSpec().withNodeName(node).endSpec().build()).create();
    }

    @AfterEach
    void stop() {
        chaos.close();
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    private static FaultSpec cloud(FaultType type, Map<String, String> location) {
        CloudInstance c = new CloudInstance("ops", "cloud-creds", new LinkedHashMap<>(location));
        return new FaultSpec("stop-node", type, new Selector(Map.of(), Selector.Mode.ONE, 0,
                new Selector.Scope("ops", Map.of(), List.of(), null, null, null)), Duration.ofMinutes(2), null, null, ClusterOptions.DEFAULTS, c);
    }

    @Test
    void cloudStopsAreTheRealCrdFieldsAndNothingElse() throws Exception {
        Map<String, String> aws = new LinkedHashMap<>();
        aws.put("awsRegion", "eu-west-1");
        aws.put("ec2Instance", "i-0abc123");
        Map<String, String> gcp = new LinkedHashMap<>();
        gcp.put("project", "acme-prod");
        gcp.put("zone", "europe-west1-b");
        gcp.put("instance", "gke-pool-1-abcd");
        Map<String, String> azure = new LinkedHashMap<>();
        azure.put("subscriptionID", "0000-1111");
        azure.put("resourceGroupName", "rg-prod");
        azure.put("vmName", "aks-node-3");
        String meta = "'metadata': {'name': 'o', 'namespace': 'ops', 'labels': {'slogate.io/run-id': 'run-1', 'slogate.io/fault': 'stop-node'}}";
        assertEquals(json("{'apiVersion': 'chaos-mesh.org/v1alpha1', 'kind': 'AWSChaos', " + meta + ", 'spec': {'action': 'ec2-stop',"
                        + " 'secretName': 'cloud-creds', 'awsRegion': 'eu-west-1', 'ec2Instance': 'i-0abc123', 'duration': '2m'}}"),
                ChaosExperiments.of(cloud(FaultType.AWS_EC2_STOP, aws), "o", "run-1", "stop-node"));
        assertEquals(json("{'apiVersion': 'chaos-mesh.org/v1alpha1', 'kind': 'GCPChaos', " + meta + ", 'spec': {'action': 'node-stop',"
                        + " 'secretName': 'cloud-creds', 'project': 'acme-prod', 'zone': 'europe-west1-b', 'instance': 'gke-pool-1-abcd', 'duration': '2m'}}"),
                ChaosExperiments.of(cloud(FaultType.GCP_NODE_STOP, gcp), "o", "run-1", "stop-node"));
        assertEquals(json("{'apiVersion': 'chaos-mesh.org/v1alpha1', 'kind': 'AzureChaos', " + meta + ", 'spec': {'action': 'vm-stop',"
                        + " 'secretName': 'cloud-creds', 'subscriptionID': '0000-1111', 'resourceGroupName': 'rg-prod', 'vmName': 'aks-node-3', 'duration': '2m'}}"),
                ChaosExperiments.of(cloud(FaultType.AZURE_VM_STOP, azure), "o", "run-1", "stop-node"));
    }

    private JournaledInjector injector(ChaosTransport t, List<String> allowed) {
        return new JournaledInjector(new ChaosMeshFaultInjector(t, kube, new ClusterConnection(Path.of("/k/config"), null, false),
                new KubernetesSettings(null, false, null, allowed, null, true), "run-1", Duration.ofSeconds(2), e -> { }),
                new Journal(journalDir, "run-1"));
    }

    private static String recorded(String name) throws Exception {
        try (InputStream in = CloudAndZoneChaosTest.class.getResourceAsStream("/chaosmesh/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void answer(int code, String body) {
        chaos.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = chaos.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    /** Every request went to a resource and verb k8s/rbac.yaml grants. */
    private static void granted(List<RecordedRequest> sent) {
        for (RecordedRequest r : sent) {
            String[] path = r.getUrl().encodedPath().split("/");
            String verb = switch (r.getMethod()) {
                case "POST" -> "create";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> path.length > 7 ? "get" : "list";
            };
            assertTrue(KubernetesApi.CALLS.contains(new KubernetesApi.Call("chaos-mesh.org", path[6], verb)), r.getMethod() + " " + r.getUrl());
        }
    }

    @Test
    void anEc2StopIsInjectedPausedReadAndDeletedWithTheWindowChaosMeshRecorded() throws Exception {
        Map<String, String> aws = new LinkedHashMap<>();
        aws.put("awsRegion", "eu-west-1");
        aws.put("ec2Instance", "i-0abc123");
        FaultSpec spec = cloud(FaultType.AWS_EC2_STOP, aws);
        JournaledInjector inj = injector(ChaosMeshClient.builder(chaos.url("/").toString()).build(), List.of("ops"));
        assertEquals(List.of("aws-ec2 i-0abc123 (awsRegion=eu-west-1, secret ops/cloud-creds)"), inj.plan(spec));
        assertEquals(0, chaos.getRequestCount(), "planning a cloud fault touches nothing");

        answer(201, "{}");
        answer(200, recorded("awschaos-injected.json"));
        InjectedFault f = inj.inject("stop-node", spec);
        assertEquals(Instant.parse("2026-01-10T11:00:03Z").toEpochMilli(), f.injectedAtMillis());
        assertEquals(List.of("aws-ec2 i-0abc123 (awsRegion=eu-west-1, secret ops/cloud-creds)"), f.targets());
        answer(200, recorded("awschaos-injected.json"));
        answer(200, "{}");
        answer(200, recorded("awschaos-recovered.json"));
        answer(200, "{}");
        inj.revert(f);
        assertEquals(OptionalLong.of(Instant.parse("2026-01-10T11:01:10Z").toEpochMilli()), inj.recoveredAtMillis(f));
        List<RecordedRequest> sent = requests();
        String object = f.revertData().get(ChaosMeshFaultInjector.OBJECT);
        List<String> lines = sent.stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
        String base = "/apis/chaos-mesh.org/v1alpha1/namespaces/ops/awschaos";
        assertEquals(List.of("POST " + base, "GET " + base + "/" + object, "GET " + base + "/" + object, "PATCH " + base + "/" + object,
                "GET " + base + "/" + object, "DELETE " + base + "/" + object), lines);
        JsonNode body = JSON.readTree(sent.get(0).getBody().utf8());
        assertEquals("run-1", body.at("/metadata/labels/slogate.io~1run-id").asText());
        assertEquals("ec2-stop", body.at("/spec/action").asText());
        granted(sent);
        assertTrue(Journal.unreverted(journalDir).isEmpty());
    }

    @Test
    void cleanupByRunLabelAlsoSweepsCloudKindsAndSkipsKindsAnOlderChaosMeshLacks() throws Exception {
        ChaosMeshClient client = ChaosMeshClient.builder(chaos.url("/").toString()).build();
        answer(200, "{\"items\": []}"); // podchaos
        answer(200, "{\"items\": []}"); // networkchaos
        answer(200, "{\"items\": []}"); // stresschaos
        answer(200, "{\"items\": [{\"metadata\": {\"name\": \"slogate-stop-node-1a2b3c4d\"}}]}"); // awschaos
        answer(200, "{\"items\": []}"); // gcpchaos
        answer(404, "{\"message\": \"the server could not find the requested resource\"}"); // azurechaos: not installed
        answer(200, "{}"); // delete
        assertEquals(List.of("AWSChaos ops/slogate-stop-node-1a2b3c4d"), client.deleteLabelled("ops", "slogate.io/run-id", "run-1"));
        List<RecordedRequest> sent = requests();
        assertEquals("DELETE /apis/chaos-mesh.org/v1alpha1/namespaces/ops/awschaos/slogate-stop-node-1a2b3c4d",
                sent.get(6).getMethod() + " " + sent.get(6).getUrl().encodedPath());
        assertEquals("slogate.io/run-id=run-1", sent.get(3).getUrl().queryParameter("labelSelector"));
        granted(sent);
    }

    private static FaultSpec zonePartition(String zone, double maxPercent) {
        return new FaultSpec("zone-a-dark", FaultType.ZONE_OUTAGE, new Selector(Map.of(), Selector.Mode.ALL, 0,
                new Selector.Scope(null, Map.of(), List.of(), null, zone, null)), Duration.ofSeconds(45), null, null,
                new ClusterOptions(maxPercent, false), new NodeOutage(PodRemoval.DEFAULT, NodeOutage.PARTITION));
    }

    @Test
    void aZonePartitionCutsThePodsOnTheZonesNodesFromTheOtherZones() throws Exception {
        JournaledInjector inj = injector(ChaosMeshClient.builder(chaos.url("/").toString()).build(), List.of("shop", "pay"));
        List<String> plan = inj.plan(zonePartition("z1", 50));
        assertEquals(List.of("shop/web-1", "shop/db-0", "partitioned (both directions) from 2 pods on nodes n3, n4"), plan);
        assertEquals(0, chaos.getRequestCount(), "plan touches nothing");

        answer(201, "{}");
        answer(200, recorded("networkchaos-injected.json"));
        InjectedFault f = inj.inject("zone-a-dark", zonePartition("z1", 50));
        assertEquals(plan, f.targets());
        assertEquals(Instant.parse("2026-01-10T10:00:01Z").toEpochMilli(), f.injectedAtMillis(), "the window starts at the first Apply");
        RecordedRequest post = chaos.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos", post.getUrl().encodedPath());
        String object = f.revertData().get(ChaosMeshFaultInjector.OBJECT);
        assertEquals(json("{'apiVersion': 'chaos-mesh.org/v1alpha1', 'kind': 'NetworkChaos', 'metadata': {'name': '" + object + "', 'namespace': 'shop',"
                + " 'labels': {'slogate.io/run-id': 'run-1', 'slogate.io/fault': 'zone-a-dark'}}, 'spec': {'action': 'partition', 'mode': 'all',"
                + " 'selector': {'namespaces': ['shop', 'pay'], 'nodeSelectors': {'topology.kubernetes.io/zone': 'z1'}}, 'direction': 'both',"
                + " 'target': {'mode': 'all', 'selector': {'namespaces': ['shop', 'pay'], 'nodes': ['n3', 'n4']}}, 'duration': '45s'}}"),
                JSON.readTree(post.getBody().utf8()));
    }

    @Test
    void aZonePartitionThatMatchesNothingOrTooMuchIsRefusedBeforeAnythingIsCreated() {
        JournaledInjector inj = injector(ChaosMeshClient.builder(chaos.url("/").toString()).build(), List.of("shop"));
        FaultException none = assertThrows(FaultException.class, () -> inj.plan(zonePartition("z9", 50)));
        assertTrue(none.getMessage().startsWith("zone-outage topology.kubernetes.io/zone=z9 matches no node; nodes are [n1 z1, n2 z1, n3 z2, n4 z2]"),
                none.getMessage());
        FaultException cap = assertThrows(FaultException.class, () -> inj.inject("z", zonePartition("z1", 25)));
        assertTrue(cap.getMessage().contains("would cut off 2 of 4 nodes, above maxPercent 25% (at most 1)"), cap.getMessage());
        kube.pods().inNamespace("pay").delete();
        FaultException empty = assertThrows(FaultException.class,
                () -> injector(ChaosMeshClient.builder(chaos.url("/").toString()).build(), List.of("pay")).plan(zonePartition("z1", 50)));
        assertTrue(empty.getMessage().contains("no pod of [pay] runs on its nodes [n1, n2]"), empty.getMessage());
        assertEquals(0, chaos.getRequestCount());
    }
}
