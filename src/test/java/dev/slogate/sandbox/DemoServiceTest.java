package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class DemoServiceTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(DemoService s, String path) throws Exception {
        return http.send(request(s, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(DemoService s, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void requestsBeyondTheConcurrencyLimitQueue() {
        try (DemoService s = DemoService.start(0, Duration.ofMillis(100), 0, 1)) {
            long start = System.nanoTime();
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                done.add(http.sendAsync(request(s, "/work"), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> {
                            assertEquals(200, r.statusCode());
                            assertEquals("ok", r.body().trim());
                            return (System.nanoTime() - start) / 1_000_000;
                        }));
            }
            List<Long> millis = done.stream().map(CompletableFuture::join).sorted().toList();
            // one at a time: the fifth waits for four others, 100 ms each
            assertTrue(millis.get(4) >= 450, "last of 5 answered after " + millis);
            assertTrue(millis.get(0) >= 95, "first answered after " + millis);
        }
    }

    @Test
    void healthBypassesTheQueue() throws Exception {
        try (DemoService s = DemoService.start(0, Duration.ofSeconds(2), 0, 1)) {
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request(s, "/"), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(100);
            long t0 = System.nanoTime();
            assertEquals(200, get(s, "/health").statusCode());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "/health took " + ms + " ms behind a busy worker");
            assertTrue(!slow.isDone(), "the slow request should still be in service");
        }
    }

    @Test
    void errorRatioOneAnswers500AndMetricsCountByStatus() throws Exception {
        try (DemoService s = DemoService.start(0, Duration.ofMillis(1), 1.0, 4)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(500, get(s, "/any/path").statusCode());
            }
            String metrics = get(s, "/metrics").body();
            assertTrue(metrics.contains("demo_requests_total{status=\"500\"} 3"), metrics);
            assertTrue(metrics.contains("demo_request_duration_seconds_count{status=\"500\"} 3"), metrics);
            assertTrue(metrics.contains("demo_request_duration_seconds_bucket{status=\"500\",le=\"0.005\"}"), metrics);
            assertTrue(metrics.contains("demo_requests_in_flight 0"), metrics);
            assertTrue(metrics.contains("demo_requests_received_total 3"), "counted on arrival too: " + metrics);
            assertTrue(!metrics.contains("status=\"200\""), "no request succeeded: " + metrics);
        }
    }

    @Test
    void errorRatioZeroAnswers200() throws Exception {
        try (DemoService s = DemoService.start(0, Duration.ofMillis(1), 0.0, 4)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(s, "/").statusCode());
            }
            assertTrue(get(s, "/metrics").body().contains("demo_requests_total{status=\"200\"} 3"));
        }
    }

    /**
     * A pod with a database serves /records from its very first request: were the route added after the server
     * started, a write arriving in between would get the catch-all's 200 and count as acknowledged without being stored.
     */
    @Test
    void theFirstWriteAfterStartIsNeverAcknowledgedWithoutTheDatabase(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path noPrimary = dir.resolve("primary.addr"); // no database known: every write must be refused
        for (int i = 0; i < 5; i++) {
            try (DemoService s = DemoService.start(0, Duration.ZERO, 0, 4, noPrimary)) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/records"))
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"seq\": 1, \"ts\": 1}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), r.body());
            }
        }
    }
}
