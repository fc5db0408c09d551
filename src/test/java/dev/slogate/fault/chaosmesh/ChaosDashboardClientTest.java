package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class ChaosDashboardClientTest {
    @Test
    void listCreatePauseDeleteWithTheBearerToken() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            ChaosDashboardClient c = new ChaosDashboardClient(server.url("/").toString(), "s3cr3t-dash", Duration.ofSeconds(5));
            server.enqueue(new MockResponse.Builder().code(200).body("""
                    [{"uid": "u-1", "kind": "NetworkChaos", "namespace": "shop", "name": "slogate-slow-db-1a2b3c4d", "created": "2026-01-10T10:00:00Z", "status": "running"}]
                    """).build());
            assertEquals(List.of(new ChaosDashboardClient.Experiment("u-1", "NetworkChaos", "shop", "slogate-slow-db-1a2b3c4d", "running")), c.list("shop"));
            RecordedRequest list = server.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("GET /api/experiments?namespace=shop", list.getMethod() + " " + list.getTarget());
            assertEquals("Bearer s3cr3t-dash", list.getHeaders().get("Authorization"));

            server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
            var exp = ChaosExperiments.of(new FaultSpec("f", FaultType.POD_FAILURE, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0,
                    new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(5), null, null, ClusterOptions.DEFAULTS), "o", "r", "f");
            c.create(exp);
            RecordedRequest post = server.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("POST /api/experiments", post.getMethod() + " " + post.getTarget());
            assertEquals(exp, new ObjectMapper().readTree(post.getBody().utf8()), "the body is the Kubernetes object itself");

            server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"success\"}").build());
            c.pause("u-1");
            RecordedRequest pause = server.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("PUT /api/experiments/pause/u-1", pause.getMethod() + " " + pause.getTarget());

            server.enqueue(new MockResponse.Builder().code(401).body("{\"code\":401,\"type\":\"error.api.unauthorized\",\"message\":\"Unauthorized\"}").build());
            ChaosMeshException e = assertThrows(ChaosMeshException.class, () -> c.delete("u-1"));
            assertEquals("DELETE /api/experiments/u-1", server.takeRequest(5, TimeUnit.SECONDS).getRequestLine().replace(" HTTP/1.1", ""));
            assertTrue(e.getMessage().contains("SLOGATE_CHAOS_MESH_TOKEN"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"));
        }
    }
}
