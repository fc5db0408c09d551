package dev.slogate.load;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The client timeline on a Prometheus {@code /metrics} endpoint (127.0.0.1), updated each time a second closes, so a
 * Prometheus scraping the injector sees what the clients saw next to the server's own metrics.
 */
public final class ClientMetrics implements AutoCloseable {
    private static final double[] BUCKETS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Counter requests;
    private final Histogram duration;
    private final Gauge targetRps;
    private final Gauge achievedRps;
    private final PrometheusRegistry registry;
    private final HTTPServer server;
    private volatile boolean closed;

    /** Serves on 127.0.0.1:{@code port} (0 picks a free port, see {@link #port()}). */
    public ClientMetrics(ClientTimeline timeline, int port) {
        registry = new PrometheusRegistry();
        requests = Counter.builder().name("slogate_client_requests_total")
                .help("Requests completed by the load injector, by request name and how they ended")
                .labelNames("request", "status").register(registry);
        duration = Histogram.builder().name("slogate_client_request_duration_seconds")
                .help("Client-side latency from the intended send time, by request name and how it ended")
                .labelNames("request", "status").classicOnly().classicUpperBounds(BUCKETS_SECONDS).register(registry);
        targetRps = Gauge.builder().name("slogate_client_target_rps")
                .help("Requests per second the load profile asks for").register(registry);
        achievedRps = Gauge.builder().name("slogate_client_achieved_rps")
                .help("Requests per second the injector sent in the last closed second").register(registry);
        try {
            server = HTTPServer.builder().hostname("127.0.0.1").port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve client metrics on 127.0.0.1:" + port
                    + " (" + e.getMessage() + "); pick another port or 0 for any free one", e);
        }
        timeline.onSecond(this::publish);
    }

    public int port() {
        return server.getPort();
    }

    /** What this endpoint serves: others register their own metrics here (the run's faults and SLO statuses). */
    public PrometheusRegistry registry() {
        return registry;
    }

    private void publish(ClientSecond second) {
        if (closed) {
            return;
        }
        targetRps.set(second.targetRps());
        achievedRps.set(second.sent());
        second.latency().forEach((key, histogram) -> {
            String status = key.status().id();
            requests.labelValues(key.request(), status).inc(histogram.getTotalCount());
            var series = duration.labelValues(key.request(), status);
            // one observation per recorded sample, at the HdrHistogram bucket's representative value
            for (HistogramIterationValue v : histogram.recordedValues()) {
                double seconds = histogram.highestEquivalentValue(v.getValueIteratedTo()) / 1e6;
                for (long i = 0; i < v.getCountAtValueIteratedTo(); i++) {
                    series.observe(seconds);
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        server.close();
    }
}
