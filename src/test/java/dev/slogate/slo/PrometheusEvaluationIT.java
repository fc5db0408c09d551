package dev.slogate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.experiment.SloDef.Threshold;
import dev.slogate.load.ClientSecond;
import dev.slogate.sandbox.FreePorts;
import dev.slogate.sandbox.PrometheusServer;
import dev.slogate.sandbox.PrometheusServer.ScrapeJob;
import dev.slogate.timeline.Window;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a tiny exporter fed at known rates: 90 ok and 10 failed requests a second, and of every 20
 * observed latencies 18 take 30 ms and 2 take 300 ms. The evaluator must read those figures back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusEvaluationIT {
    private static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.2, 0.5, 1};

    @TempDir
    static Path dir;

    private static HTTPServer exporter;
    private static PrometheusServer prometheusServer;
    private static ScheduledExecutorService feeder;
    private static PrometheusClient prometheus;

    @BeforeAll
    static void start() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter requests = Counter.builder().name("it_requests_total").labelNames("outcome").register(registry);
        Histogram latency = Histogram.builder().name("it_request_duration_seconds").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        // registered, never observed: every bucket stays at 0
        Histogram.builder().name("it_idle_duration_seconds").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        exporter = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry).buildAndStart();

        CounterDataPoint ok = requests.labelValues("ok");
        CounterDataPoint failed = requests.labelValues("error");
        feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(() -> {
            ok.inc(9);
            failed.inc(1);
            for (int i = 0; i < 20; i++) {
                latency.observe(i < 18 ? 0.030 : 0.300);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        prometheusServer = PrometheusServer.start(dir.resolve("prometheus"),
                List.of(new ScrapeJob("it", List.of("127.0.0.1:" + exporter.getPort()), "/metrics")));
        prometheus = PrometheusClient.builder(prometheusServer.url()).timeout(Duration.ofSeconds(5)).build();
        awaitScrapes(8, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (feeder != null) {
            feeder.shutdownNow();
        }
        if (prometheusServer != null) {
            prometheusServer.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private static void awaitScrapes(int samples, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String query = "count_over_time(it_requests_total{outcome=\"ok\"}[1m])";
        while (System.nanoTime() < deadline) {
            QueryResult r = prometheus.query(query, Instant.now());
            if (!r.isEmpty() && r.samples().get(0).value() >= samples) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Prometheus did not scrape the exporter " + samples + " times within " + timeout.toSeconds()
                + " s; see " + dir.resolve("prometheus/prometheus.log"));
    }

    /** The last 6 s before the latest complete scrape. */
    private static Window recentWindow() {
        long end = System.currentTimeMillis() - 1_500;
        return new Window("run", end - 6_000, end);
    }

    private static SloDef slo(String name, SloDef.Indicator indicator, Op op, double target) {
        return new SloDef(name, "", indicator, op, target, List.of("run"), null, 1);
    }

    /** Client seconds with the exporter's latency mix: 180 requests at 30 ms and 20 at 300 ms each second. */
    private static List<ClientSecond> clientSeconds(Window w) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = w.startMillis() / 1000; s <= w.endMillis() / 1000; s++) {
            out.add(Traffic.at(s - Traffic.T0).ok(180, 30).ok(20, 300).build());
        }
        return out;
    }

    @Test
    void readsTheErrorRateOfCountersBack() {
        Window w = recentWindow();
        List<SloResult> rs = new SloEvaluator(prometheus).evaluate(List.of(
                        slo("errors", new Ratio(Source.PROMETHEUS, null, "it_requests_total{outcome=\"error\"}", "it_requests_total", true), Op.LT, 0.05),
                        slo("availability", new Ratio(Source.PROMETHEUS, "sum(it_requests_total{outcome=\"ok\"})", null, "sum(it_requests_total)", true), Op.GTE, 0.85),
                        slo("throughput", new Threshold("sum(rate(it_requests_total[$window]))"), Op.GT, 50),
                        slo("missing", new Ratio(Source.PROMETHEUS, null, "it_no_such_metric_total", "it_requests_total", true), Op.LT, 0.05)),
                List.of(w), List.of(), List.of());
        rs.forEach(r -> System.out.println(r.verdict() + " " + r.message()));

        SloResult errors = rs.get(0);
        assertEquals(0.10, errors.measured(), 0.01, errors.message());
        assertEquals(Verdict.FAIL, errors.verdict());
        assertTrue(errors.message().startsWith("error rate 10"), errors.message());
        assertTrue(errors.message().contains("> 5 % in run (prometheus)"), errors.message());

        SloResult availability = rs.get(1); // not plain selectors: read through a 1 s subquery
        assertEquals(0.90, availability.measured(), 0.01, availability.message());
        assertEquals(Verdict.PASS, availability.verdict());

        SloResult throughput = rs.get(2);
        assertEquals(100, throughput.measured(), 15, throughput.message());
        assertEquals(Verdict.PASS, throughput.verdict());

        SloResult missing = rs.get(3);
        assertEquals(Verdict.NO_DATA, missing.verdict());
        assertTrue(missing.message().contains("Prometheus returned nothing for 'sum(increase(it_no_such_metric_total[6s]))'"), missing.message());
    }

    @Test
    void judgesTimeSlicesFromARangeQuery() throws InterruptedException {
        awaitScrapes(14, Duration.ofSeconds(40));
        long end = System.currentTimeMillis() - 1_500;
        Window w = new Window("run", end - 10_000, end); // three 3 s slices and a last second too short for Prometheus
        SloDef.TimeSlices slices = new SloDef.TimeSlices(Duration.ofSeconds(3), 0.99);
        Ratio availability = new Ratio(Source.PROMETHEUS, "it_requests_total{outcome=\"ok\"}", null, "it_requests_total", true);
        List<SloResult> rs = new SloEvaluator(prometheus).evaluate(List.of(
                        new SloDef("good-slices", "", availability, Op.GTE, 0.85, List.of("run"), null, 1, slices),
                        new SloDef("strict-slices", "", availability, Op.GTE, 0.95, List.of("run"), null, 1, slices),
                        new SloDef("average", "", availability, Op.GTE, 0.85, List.of("run"), null, 1, new SloDef.TimeSlices(Duration.ofSeconds(3), null)),
                        new SloDef("throughput-slices", "", new Threshold("sum(rate(it_requests_total[$window]))"), Op.GT, 50, List.of("run"), null, 1, slices)),
                List.of(w), List.of(), List.of());
        rs.forEach(r -> System.out.println(r.verdict() + " " + r.message()));

        assertEquals(Verdict.PASS, rs.get(0).verdict(), rs.get(0).message());
        assertTrue(rs.get(0).message().startsWith("3 of 3 slices of 3s good (availability >= 85 % in each): 100 % > 99 % in run (prometheus)"), rs.get(0).message());
        assertTrue(rs.get(0).message().endsWith("; the last 1 s, too short to read from Prometheus, is not judged"), rs.get(0).message());
        assertEquals(Verdict.FAIL, rs.get(1).verdict(), "90 % good in every slice misses 95 %: " + rs.get(1).message());
        assertEquals(0, rs.get(1).measured());
        assertEquals(0.90, rs.get(2).measured(), 0.02, rs.get(2).message());
        assertEquals(Verdict.PASS, rs.get(2).verdict());
        assertEquals(Verdict.PASS, rs.get(3).verdict(), rs.get(3).message());
        assertEquals(1.0, rs.get(3).measured());
    }

    @Test
    void readsTheLatencyPercentileFromTheHistogramAndTheClient() {
        Window w = recentWindow();
        List<SloResult> rs = new SloEvaluator(prometheus).evaluate(List.of(
                        slo("p95", new Latency(95, "it_request_duration_seconds", "job=\"it\""), Op.LT, 0.4)),
                List.of(w), clientSeconds(w), List.of());
        rs.forEach(r -> System.out.println(r.verdict() + " " + r.message()));

        assertEquals(List.of("client", "prometheus"), rs.stream().map(SloResult::source).toList());
        SloResult client = rs.get(0);
        SloResult server = rs.get(1);
        // client: the 95th percentile falls on the 300 ms requests (the histograms keep 2 digits: within 1 %)
        assertEquals(0.300, client.measured(), 0.003, client.message());
        // server: the 90-100 % ranks lie in the (0.2, 0.5] bucket; rank 95 % interpolates to its middle, 0.35 s
        assertEquals(0.350, server.measured(), 0.01, server.message());
        assertEquals(Verdict.PASS, client.verdict());
        assertEquals(Verdict.PASS, server.verdict());
        assertFalse(client.message().contains("apart"), client.message());
        assertTrue(server.message().startsWith("p95 latency 35"), server.message());
    }

    @Test
    void flagsClientAndServerLatencyThatDisagree() {
        Window w = recentWindow();
        List<ClientSecond> slowClient = new ArrayList<>();
        for (long s = w.startMillis() / 1000; s <= w.endMillis() / 1000; s++) {
            slowClient.add(Traffic.at(s - Traffic.T0).ok(200, 900).build());
        }
        List<SloResult> rs = new SloEvaluator(prometheus).evaluate(List.of(
                slo("p95", new Latency(95, "it_request_duration_seconds", null), Op.LT, 0.4)), List.of(w), slowClient, List.of());
        rs.forEach(r -> System.out.println(r.verdict() + " " + r.message()));
        assertEquals(Verdict.FAIL, rs.get(0).verdict());
        assertTrue(rs.get(0).message().contains("server-side p95 latency is 35"), rs.get(0).message());
        assertTrue(rs.get(0).message().contains("more than 2x apart"), rs.get(0).message());
    }

    @Test
    void aHistogramWithoutObservationsIsNoData() {
        Window w = recentWindow();
        List<SloResult> rs = new SloEvaluator(prometheus).evaluate(List.of(
                slo("idle", new Latency(99, "it_idle_duration_seconds", null), Op.LT, 0.4)), List.of(w), clientSeconds(w), List.of());
        rs.forEach(r -> System.out.println(r.verdict() + " " + r.message()));
        assertEquals(Verdict.PASS, rs.get(0).verdict());
        assertEquals(Verdict.NO_DATA, rs.get(1).verdict());
        assertTrue(rs.get(1).message().startsWith("no data: no request was observed in it_idle_duration_seconds during run: "
                + "'histogram_quantile(0.99, sum by (le) (increase(it_idle_duration_seconds_bucket[6s])))' is NaN"), rs.get(1).message());
    }

    @Test
    void checkSyntaxReturnsPrometheusesOwnMessage() {
        Optional<String> bad = prometheus.checkSyntax("sum(rate(x[5m])");
        assertTrue(bad.isPresent());
        assertTrue(bad.get().contains("unclosed left parenthesis"), bad.get());
        assertEquals(Optional.empty(), prometheus.checkSyntax("sum(rate(x[5m]))"));
        assertTrue(prometheus.ready());
    }

    @Test
    void anUnreachablePrometheusGivesNoDataWithTheReason() {
        String url = "http://127.0.0.1:" + FreePorts.next();
        PrometheusClient nowhere = PrometheusClient.builder(url).timeout(Duration.ofSeconds(2)).build();
        Window w = recentWindow();
        List<SloResult> rs = new SloEvaluator(nowhere).evaluate(List.of(
                        slo("errors", new Ratio(Source.PROMETHEUS, null, "it_requests_total{outcome=\"error\"}", "it_requests_total", true), Op.LT, 0.05),
                        slo("throughput", new Threshold("sum(rate(it_requests_total[$window]))"), Op.GT, 50)),
                List.of(w), List.of(), List.of());
        for (SloResult r : rs) {
            assertEquals(Verdict.NO_DATA, r.verdict());
            assertTrue(r.message().startsWith("no data: Prometheus at " + url + " is unreachable: "), r.message());
            assertTrue(r.message().endsWith("is it running? check target.prometheus"), r.message());
        }
        assertFalse(nowhere.ready());
    }

    @Test
    void aWindowTooShortForScrapesIsNoData() {
        long end = System.currentTimeMillis() - 1_500;
        Window shortWindow = new Window("fault:blip", end - 2_000, end);
        SloResult r = new SloEvaluator(prometheus).evaluate(List.of(new SloDef("errors", "",
                        new Ratio(Source.PROMETHEUS, null, "it_requests_total{outcome=\"error\"}", "it_requests_total", true),
                        Op.LT, 0.05, List.of("fault:blip"), null, 1)),
                List.of(shortWindow), List.of(), List.of()).get(0);
        assertEquals(Verdict.NO_DATA, r.verdict());
        assertTrue(r.message().contains("fault:blip lasted 2 s"), r.message());
    }
}
