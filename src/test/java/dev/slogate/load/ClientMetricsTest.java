package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ClientMetricsTest {
    @Test
    void servesTheTimelineInPrometheusFormat() throws Exception {
        try (ClientTimeline timeline = new ClientTimeline(s -> 250);
             ClientMetrics metrics = new ClientMetrics(timeline, 0)) {
            CountDownLatch closed = new CountDownLatch(1);
            timeline.onSecond(s -> {
                if (s.completed() > 0) {
                    closed.countDown();
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                timeline.recordSent(t0);
                timeline.record("home", StatusClass.OK, t0, 4_000); // 4 ms
            }
            timeline.recordSent(t0);
            timeline.record("home", StatusClass.TIMEOUT, t0, 2_000_000);
            assertTrue(closed.await(3, TimeUnit.SECONDS)); // metrics listen first, so they are published by now

            String body = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("slogate_client_requests_total{request=\"home\",status=\"ok\"} 3.0"), body);
            assertTrue(body.contains("slogate_client_requests_total{request=\"home\",status=\"timeout\"} 1.0"), body);
            assertTrue(body.contains("slogate_client_request_duration_seconds_bucket{request=\"home\",status=\"ok\",le=\"0.005\"} 3"), body);
            assertTrue(body.contains("slogate_client_request_duration_seconds_bucket{request=\"home\",status=\"ok\",le=\"0.0025\"} 0"), body);
            assertTrue(body.contains("slogate_client_target_rps 250.0"), body);
            assertTrue(body.contains("slogate_client_achieved_rps 4.0"), body);
        }
    }
}
