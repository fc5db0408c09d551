package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.cluster.ClusterConnection;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chaos Mesh injector over the dashboard's /api/experiments (MockWebServer): inject, pause, read, delete, cleanup; the token stays out of journals and messages. */
@EnableKubernetesMockClient(crud = true)
class ChaosDashboardTransportTest {
    private static final String TOKEN = "dash-t0ken-very-secret";
    static KubernetesClient kube;
    private MockWebServer dashboard;

    @TempDir
    Path journalDir;

    @BeforeEach
    void start() throws Exception {
        kube.pods().inAnyNamespace().delete();
        for (String p : List.of("db-0", "db-1")) {
            kube.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(p).withNamespace("shop").addToLabels("app", "db")
                    .endMetadata().build()).create();
        }
        dashboard = new MockWebServer();
        dashboard.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private ChaosDashboardTransport transport() {
        return ChaosDashboardTransport.connect(dashboard.url("/").toString(), "CHAOS_TOKEN", name -> name.equals("CHAOS_TOKEN") ? TOKEN : null);
    }

    private JournaledInjector injector() {
        return new JournaledInjector(new ChaosMeshFaultInjector(transport(), kube, new ClusterConnection(Path.of("/k/config"), null, false),
                new KubernetesSettings(null, false, null, List.of("shop"), null), "run-1", Duration.ofSeconds(2), e -> { }),
                new Journal(journalDir, "run-1"));
    }

    private void answer(String body) {
        dashboard.enqueue(new MockResponse.Builder().code(200).body(body).build());
    }

    private static String row(String name, String status) {
        return "[{\"uid\": \"u-7\", \"kind\": \"NetworkChaos\", \"namespace\": \"shop\", \"name\": \"" + name + "\", \"status\": \"" + status + "\"}]";
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = dashboard.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    @Test
    void aFaultIsInjectedPausedAndDeletedThroughTheDashboard() throws Exception {
        FaultSpec spec = new FaultSpec("slow-db", FaultType.NETWORK_DELAY, new Selector(Map.of("app", "db"), Selector.Mode.ONE, 0,
                new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(30), Duration.ofMillis(100), null, ClusterOptions.DEFAULTS);
        JournaledInjector inj = injector();
        long before = System.currentTimeMillis();
        answer("{}"); // the POST; the name is random, so the find is answered once the POST shows it (the queue waits)
        var result = new java.util.concurrent.atomic.AtomicReference<InjectedFault>();
        Thread t = new Thread(() -> result.set(inj.inject("slow-db", spec)));
        t.start();
        RecordedRequest post = dashboard.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST /api/experiments", post.getMethod() + " " + post.getUrl().encodedPath());
        String object = new com.fasterxml.jackson.databind.ObjectMapper().readTree(post.getBody().utf8()).at("/metadata/name").asText();
        assertEquals("run-1", new com.fasterxml.jackson.databind.ObjectMapper().readTree(post.getBody().utf8()).at("/metadata/labels/slogate.io~1run-id").asText());
        answer(row(object, "running"));
        t.join(5000);
        InjectedFault f = result.get();
        assertTrue(f.injectedAtMillis() >= before, "the window starts when the dashboard said running");
        assertEquals(List.of("shop/db-0", "shop/db-1"), f.targets());

        answer(row(object, "running"));  // status before pausing
        answer(row(object, "running"));  // uid for pause
        answer("{\"status\": \"success\"}");
        answer(row(object, "paused"));   // recovered
        answer(row(object, "paused"));   // uid for delete
        answer("{\"status\": \"success\"}");
        inj.revert(f);
        assertTrue(inj.recoveredAtMillis(f).isPresent());
        List<RecordedRequest> sent = requests();
        List<String> lines = sent.stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
        assertTrue(lines.contains("PUT /api/experiments/pause/u-7"), lines.toString());
        assertEquals("DELETE /api/experiments/u-7", lines.get(lines.size() - 1));
        RecordedRequest find = sent.stream().filter(r -> r.getMethod().equals("GET")).findFirst().orElseThrow();
        assertEquals("shop", find.getUrl().queryParameter("namespace"));
        assertEquals("NetworkChaos", find.getUrl().queryParameter("kind"));
        assertEquals(object, find.getUrl().queryParameter("name"));
        assertTrue(sent.stream().allMatch(r -> ("Bearer " + TOKEN).equals(r.getHeaders().get("Authorization"))));
        String journal = Files.readString(journalDir.resolve("run-1.jsonl"));
        assertTrue(journal.contains("CHAOS_TOKEN") && journal.contains(dashboard.url("/").toString()), journal);
        assertFalse(journal.contains(TOKEN), "the journal holds the variable's name, never the token");
        assertTrue(Journal.unreverted(journalDir).isEmpty());
    }

    @Test
    void cleanupDeletesOnlyThisRunsExperimentsAndAMissingTokenSaysWhichVariable() throws Exception {
        ChaosDashboardTransport t = transport();
        answer("[{\"uid\": \"u-1\", \"kind\": \"PodChaos\", \"namespace\": \"shop\", \"name\": \"slogate-a-11111111\", \"status\": \"running\"},"
                + " {\"uid\": \"u-2\", \"kind\": \"PodChaos\", \"namespace\": \"shop\", \"name\": \"slogate-b-22222222\", \"status\": \"running\"},"
                + " {\"uid\": \"u-3\", \"kind\": \"PodChaos\", \"namespace\": \"shop\", \"name\": \"someone-elses\", \"status\": \"running\"}]");
        answer("{\"kube_object\": {\"metadata\": {\"labels\": {\"slogate.io/run-id\": \"run-1\"}}}}");
        answer("{\"status\": \"success\"}");
        answer("{\"kube_object\": {\"metadata\": {\"labels\": {\"slogate.io/run-id\": \"run-2\"}}}}");
        assertEquals(List.of("PodChaos shop/slogate-a-11111111"), t.deleteLabelled("shop", "slogate.io/run-id", "run-1"));
        List<String> lines = requests().stream().map(r -> r.getMethod() + " " + r.getUrl().encodedPath()).toList();
        assertEquals(List.of("GET /api/experiments", "GET /api/experiments/u-1", "DELETE /api/experiments/u-1", "GET /api/experiments/u-2"), lines);

        FaultException e = assertThrows(FaultException.class,
                () -> ChaosDashboardTransport.connect(dashboard.url("/").toString(), "CHAOS_TOKEN", name -> null));
        assertTrue(e.getMessage().contains("$CHAOS_TOKEN"), e.getMessage());
    }
}
