package dev.slogate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import static dev.slogate.timeline.Sleep.sleep;

/**
 * A real Prometheus process (the Debian {@code prometheus} binary) on a loopback port, with its data in a directory of
 * its own, scraping the given targets every second. Used by the sandbox and by the integration tests.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final Path dir;

    private PrometheusServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * A scrape job: its name and {@code host:port} targets, each with an optional label set ({@code targetLabels}
     * maps a target to the labels Prometheus attaches to its series; targets without an entry get none).
     */
    public record ScrapeJob(String name, List<String> targets, String metricsPath,
                            Map<String, Map<String, String>> targetLabels) {
        public ScrapeJob {
            targets = List.copyOf(targets);
            targetLabels = Map.copyOf(targetLabels);
        }

        public ScrapeJob(String name, List<String> targets, String metricsPath) {
            this(name, targets, metricsPath, Map.of());
        }

        /** A job whose targets each carry their own labels (e.g. region/node/pod of a sandbox pod). */
        public static ScrapeJob labelled(String name, String metricsPath, Map<String, Map<String, String>> targetLabels) {
            return new ScrapeJob(name, List.copyOf(new TreeSet<>(targetLabels.keySet())), metricsPath, targetLabels);
        }
    }

    public static String binary() {
        return System.getenv().getOrDefault("SLOGATE_PROMETHEUS", "prometheus");
    }

    public static PrometheusServer start(Path dir, List<ScrapeJob> jobs) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, config(jobs));
            int port = FreePorts.next();
            Process p = new ProcessBuilder(binary(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle",
                    "--storage.tsdb.retention.time=1d")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(p, port, dir);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Prometheus (" + binary() + "): " + e.getMessage()
                    + "; install it with: apt-get install -y prometheus", e);
        }
    }

    static String config(List<ScrapeJob> jobs) {
        StringBuilder b = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                scrape_configs:
                """);
        for (ScrapeJob j : jobs) {
            b.append("  - job_name: '").append(j.name()).append("'\n")
                    .append("    metrics_path: '").append(j.metricsPath()).append("'\n")
                    .append("    static_configs:\n");
            List<String> plain = j.targets().stream().filter(t -> !j.targetLabels().containsKey(t)).toList();
            if (!plain.isEmpty()) {
                b.append("      - targets: [")
                        .append(plain.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")))
                        .append("]\n");
            }
            j.targets().stream().filter(j.targetLabels()::containsKey).forEach(t -> {
                b.append("      - targets: ['").append(t).append("']\n        labels: {")
                        .append(new TreeMap<>(j.targetLabels().get(t)).entrySet().stream()
                                .map(e -> e.getKey() + ": '" + e.getValue() + "'").collect(Collectors.joining(", ")))
                        .append("}\n");
            });
        }
        return b.toString();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + process.exitValue() + "; see " + dir.resolve("prometheus.log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Prometheus", e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("Prometheus did not become ready within " + timeout.toSeconds() + " s; see " + dir.resolve("prometheus.log"));
    }

    /**
     * Each series' value of the instant query {@code query}, keyed by its label {@code label} (e.g. {@code sum by (pod)}
     * per pod); null when Prometheus did not answer with 200 (the caller skips this reading).
     */
    Map<String, Double> valuesBy(String label, String query) {
        try {
            String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query=" + q)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            if (r.statusCode() != 200) {
                return null;
            }
            Map<String, Double> out = new HashMap<>();
            result.forEach(x -> out.put(x.path("metric").path(label).asText(), Double.parseDouble(x.path("value").get(1).asText())));
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
