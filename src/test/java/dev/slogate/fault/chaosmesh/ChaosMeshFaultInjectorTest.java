package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

/** Pods come from the fabric8 CRUD mock (planning and caps); Chaos Mesh answers from MockWebServer with recorded statuses. */
@EnableKubernetesMockClient(crud = true)
class ChaosMeshFaultInjectorTest {
    static KubernetesClient kube;
    private MockWebServer chaos;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path journalDir;

    @BeforeEach
    void start() throws Exception {
        kube.pods().inAnyNamespace().delete();
        for (String p : List.of("db-0", "db-1")) {
            kube.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(p).withNamespace("shop").addToLabels("app", "db")
                    .endMetadata().build()).create();
        }
        chaos = new MockWebServer();
        chaos.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        chaos.close();
    }

    private JournaledInjector injector() {
        return new JournaledInjector(new ChaosMeshFaultInjector(ChaosMeshClient.builder(chaos.url("/").toString()).build(), kube,
                new ClusterConnection(Path.of("/k/config"), null, false), new KubernetesSettings(null, false, null, List.of("shop"), null), "run-1", Duration.ofSeconds(2), events::add),
                new Journal(journalDir, "run-1"));
    }

    private static FaultSpec delay(Selector.Mode mode, double value) {
        return new FaultSpec("slow-db", FaultType.NETWORK_DELAY, new Selector(Map.of("app", "db"), mode, value,
                new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(30), Duration.ofMillis(100), null, ClusterOptions.DEFAULTS);
    }

    private static String recorded(String name) throws Exception {
        try (InputStream in = ChaosMeshFaultInjectorTest.class.getResourceAsStream("/chaosmesh/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void answer(int code, String body) {
        chaos.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    private List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = chaos.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getUrl().encodedPath().replace("/apis/chaos-mesh.org/v1alpha1/namespaces/shop/", ""));
        }
        return out;
    }

    @Test
    void theFaultWindowIsWhatChaosMeshRecorded() throws Exception {
        JournaledInjector inj = injector();
        answer(201, "{}");
        answer(200, recorded("networkchaos-not-yet-injected.json"));
        answer(200, recorded("networkchaos-injected.json"));
        InjectedFault f = inj.inject("slow-db", delay(Selector.Mode.FIXED_PERCENT, 50));
        assertEquals(Instant.parse("2026-01-10T10:00:01Z").toEpochMilli(), f.injectedAtMillis(), "the first Apply, not the time of the POST");
        assertEquals(List.of("shop/db-0", "shop/db-1"), f.targets());
        assertEquals("chaos-mesh", f.injector());

        answer(200, recorded("networkchaos-injected.json"));
        answer(200, "{}");
        answer(200, recorded("networkchaos-recovered.json"));
        answer(200, "{}");
        inj.revert(f);
        assertEquals(OptionalLong.of(Instant.parse("2026-01-10T10:00:32Z").toEpochMilli()), inj.recoveredAtMillis(f), "the last Recover");
        List<String> sent = requests();
        String object = f.revertData().get(ChaosMeshFaultInjector.OBJECT);
        assertEquals(List.of("POST networkchaos", "GET networkchaos/" + object, "GET networkchaos/" + object, "GET networkchaos/" + object,
                "PATCH networkchaos/" + object, "GET networkchaos/" + object, "DELETE networkchaos/" + object), sent);
        assertTrue(dev.slogate.fault.Journal.unreverted(journalDir).isEmpty(), "journaled as reverted");
    }

    @Test
    void anInjectionChaosMeshNeverConfirmsIsANoteOnTheTimeline() throws Exception {
        answer(201, "{}");
        for (int i = 0; i < 30; i++) {
            answer(200, recorded("networkchaos-not-yet-injected.json"));
        }
        long before = System.currentTimeMillis();
        InjectedFault f = injector().inject("slow-db", delay(Selector.Mode.ONE, 0));
        assertTrue(f.injectedAtMillis() >= before && f.injectedAtMillis() <= System.currentTimeMillis());
        assertEquals(1, events.size());
        assertTrue(events.get(0).detail().startsWith("Chaos Mesh had not confirmed the injection of NetworkChaos shop/slogate-slow-db-"), events.get(0).detail());
        assertEquals(1, dev.slogate.fault.Journal.unreverted(journalDir).size(), "journaled before it was created");
    }

    @Test
    void aFailedRecoveryIsReportedAndTheExperimentKeptForCleanup() throws Exception {
        JournaledInjector inj = injector();
        String failed = recorded("stresschaos-recover-failed.json");
        InjectedFault f = new InjectedFault("id-1", "run-1", "burn", FaultType.CPU_STRESS, ChaosMeshFaultInjector.NAME, List.of("shop/checkout"), 0,
                Map.of(ChaosMeshFaultInjector.KIND, "StressChaos", ChaosMeshFaultInjector.NAMESPACE, "shop", ChaosMeshFaultInjector.OBJECT, "slogate-burn-9f8e7d6c"));
        answer(200, failed);
        answer(200, "{}");
        answer(200, failed);
        FaultException e = assertThrows(FaultException.class, () -> inj.revert(f));
        assertTrue(e.getMessage().startsWith("Chaos Mesh could not recover StressChaos shop/slogate-burn-9f8e7d6c: shop/checkout-7d9f-abcde/app: Recover failed: rpc error"),
                e.getMessage());
        assertTrue(e.getMessage().contains("slogate cleanup"));
        assertFalse(requests().stream().anyMatch(r -> r.startsWith("DELETE")), "kept for inspection");
    }

    @Test
    void targetsArePlannedAndCappedBeforeAnythingIsCreated() throws Exception {
        FaultException e = assertThrows(FaultException.class, () -> injector().inject("slow-db", delay(Selector.Mode.ALL, 0)));
        assertTrue(e.getMessage().contains("could hit 2 of 2 matching pods, above maxPercent 50%"), e.getMessage());
        FaultSpec none = new FaultSpec("x", FaultType.POD_FAILURE, new Selector(Map.of("app", "nope"), Selector.Mode.ONE, 0,
                new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(5), null, null, null);
        assertTrue(assertThrows(FaultException.class, () -> injector().plan(none)).getMessage().contains("labels: {app=nope}"));
        assertEquals(0, chaos.getRequestCount());
        assertEquals(List.of("shop/db-0", "shop/db-1"), injector().plan(delay(Selector.Mode.ONE, 0)));
    }

    @Test
    void theCreatedObjectIsLabelledWithTheRunAndFault() throws Exception {
        answer(201, "{}");
        answer(200, recorded("networkchaos-injected.json"));
        injector().inject("slow-db", delay(Selector.Mode.ONE, 0));
        RecordedRequest post = chaos.takeRequest(5, TimeUnit.SECONDS);
        var body = new ObjectMapper().readTree(post.getBody().utf8());
        assertEquals("run-1", body.at("/metadata/labels/slogate.io~1run-id").asText());
        assertEquals("slow-db", body.at("/metadata/labels/slogate.io~1fault").asText());
        assertEquals("shop", body.at("/metadata/namespace").asText());
    }
}
