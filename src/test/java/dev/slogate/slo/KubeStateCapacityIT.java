package dev.slogate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.SloDef;
import dev.slogate.sandbox.PrometheusServer;
import dev.slogate.sandbox.PrometheusServer.ScrapeJob;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity time on Kubernetes: a real Prometheus scrapes a tiny exporter that plays kube-state-metrics for two
 * deployments. shop/api is scaled from 2 to 6 replicas, which become ready 2 s and 4 s later; the time read back
 * through {@link KubeStateCapacity} must match within the 1 s scrape and query resolution.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubeStateCapacityIT {
    private static final SloDef.Rto CRITERIA = new SloDef.Rto(0.01, 95, 0.2, 1, 5);

    @TempDir
    Path dir;

    @Test
    void desiredAndReadyReplicasFromKubeStateMetricsGiveTheCapacityTime() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge spec = Gauge.builder().name("kube_deployment_spec_replicas").labelNames("namespace", "deployment").register(registry);
        Gauge ready = Gauge.builder().name("kube_deployment_status_replicas_ready").labelNames("namespace", "deployment").register(registry);
        spec.labelValues("shop", "api").set(2);
        ready.labelValues("shop", "api").set(2);
        spec.labelValues("shop", "other").set(9); // another deployment the selector must leave out
        ready.labelValues("shop", "other").set(1);
        try (HTTPServer exporter = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();
             PrometheusServer server = PrometheusServer.start(dir.resolve("prometheus"),
                     List.of(new ScrapeJob("kube-state-metrics", List.of("127.0.0.1:" + exporter.getPort()), "/metrics")))) {
            PrometheusClient prometheus = PrometheusClient.builder(server.url()).timeout(Duration.ofSeconds(5)).build();
            awaitSeries(prometheus, Duration.ofSeconds(30));
            Thread.sleep(2000);

            long step = System.currentTimeMillis();
            Thread.sleep(1000);
            spec.labelValues("shop", "api").set(6);     // the HPA reacts 1 s into the step
            Thread.sleep(2000);
            ready.labelValues("shop", "api").set(4);
            Thread.sleep(2000);
            ready.labelValues("shop", "api").set(6);    // all 6 ready 5 s into the step
            long allReady = System.currentTimeMillis();
            Thread.sleep(3000);
            long end = System.currentTimeMillis();

            KubeStateCapacity kube = new KubeStateCapacity(prometheus);
            CapacityHistory.Reading r = kube.read(new SloDef.Scaling(CRITERIA, true, "namespace=\"shop\",deployment=\"api\""), step, end);
            assertNull(r.problem(), r.problem());
            ScalingResponse.Capacity c = ScalingResponse.capacity(r.samples(), step, end);
            assertEquals(2, c.from(), r.samples().toString());
            assertEquals(6, c.peakDesired(), r.samples().toString());
            double expected = (allReady - step) / 1000.0;
            assertEquals(expected, c.seconds(step), 2.0, "scrape every 1 s, query step 1 s: " + r.samples());
            assertTrue(c.seconds(step) >= expected - 0.5, "never before the replicas were ready: " + c.seconds(step) + " s");

            CapacityHistory.Reading none = kube.read(new SloDef.Scaling(CRITERIA, true, "namespace=\"shop\",deployment=\"nope\""), step, end);
            assertTrue(none.problem() != null && none.problem().contains(KubeStateCapacity.desiredQuery("namespace=\"shop\",deployment=\"nope\"")),
                    String.valueOf(none.problem()));
            CapacityHistory.Reading unnamed = kube.read(new SloDef.Scaling(CRITERIA, true, null), step, end);
            assertTrue(unnamed.problem().contains("write deployment:"), unnamed.problem());
        }
    }

    private static void awaitSeries(PrometheusClient prometheus, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.query("kube_deployment_status_replicas_ready", Instant.now()).isEmpty()) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("Prometheus never scraped the exporter");
    }
}
