package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.ends;
import static dev.slogate.cli.EndToEndIT.output;
import static dev.slogate.cli.EndToEndIT.report;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run with a pod kill, watched from the team's side: its sandbox's Prometheus (which scrapes the injector)
 * sees {@code slogate_fault_active} at 1 while the pod is down, {@code slogate_run_info} and {@code slogate_slo_status};
 * a fake Grafana receives a region for the run and one for the fault, ended at the times the report gives.
 */
class GrafanaRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "glsa_e2eT0kenNeverPrinted";

    @TempDir
    Path work;

    @Test
    void theFaultIsOnTheMetricsAndInGrafanaWhileItIsOn() throws Exception {
        List<RecordedRequest> received = new CopyOnWriteArrayList<>();
        AtomicLong ids = new AtomicLong(100);
        try (MockWebServer grafana = new MockWebServer()) {
            grafana.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    received.add(r);
                    return r.getMethod().equals("POST")
                            ? new MockResponse.Builder().code(200).body("{\"message\":\"Annotation added\",\"id\":" + ids.incrementAndGet() + "}").build()
                            : new MockResponse.Builder().code(200).body("{\"message\":\"Annotation patched\"}").build();
                }
            });
            grafana.start(InetAddress.getByName("127.0.0.1"), 0);
            Path dir = work.resolve("run");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("slo.yaml"), """
                    apiVersion: slogate/v1
                    kind: Objectives
                    metadata: {name: grafana-e2e}
                    spec:
                      objectives:
                        - {name: p99, latency: {percentile: 99, below: 2s}, windows: [run, fault:kill-one]}
                    """);
            Path scenario = dir.resolve("scenario.yaml");
            Files.writeString(scenario, """
                    apiVersion: slogate/v1
                    kind: Scenario
                    metadata: {name: grafana-e2e}
                    spec:
                      target:
                        sandbox: {regions: 1, nodesPerRegion: 2, podsPerNode: 1, serviceTime: 2ms, restartDelay: 2s}
                      load:
                        requestTimeout: 3s
                        stages:
                          - hold: {rps: 30, duration: 16s}
                        requests:
                          - {name: home, method: GET, path: /}
                      faults:
                        - name: kill-one
                          at: 4s
                          fault: {type: pod-kill, selector: {labels: {app: demo}, mode: one}, duration: 7s}
                      slos: [slo.yaml]
                      grafana: {url: %s, tokenEnv: GRAFANA_TOKEN, dashboardUid: slogate-gameday, tags: [e2e]}
                    """.formatted(grafana.url("/").toString()));

            Process run = cli(dir, Map.of("GRAFANA_TOKEN", TOKEN), "run", "--run-id", "grafana-e2e", scenario.toString());
            Set<String> seen = watchPrometheus(dir, run);
            assertTrue(ends(run, 300), "run finished");
            assertEquals(0, run.exitValue(), output(dir));
            assertTrue(seen.contains("fault_active=1"), "Prometheus saw the fault on: " + seen + "\n" + output(dir));
            assertTrue(seen.contains("run_info"), seen.toString());
            assertTrue(seen.contains("slo_status"), seen.toString());

            JsonNode report = report(dir, "grafana-e2e");
            assertFalse(report.get("notes").toString().contains("grafana"), "no Grafana failure: " + report.get("notes"));
            long injected = at(report, "FAULT_INJECTED");
            long reverted = at(report, "FAULT_REVERTED");
            long runEnd = at(report, "RUN_END");
            List<String> lines = received.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList();
            assertEquals(List.of("POST /api/annotations", "POST /api/annotations", "PATCH /api/annotations/102", "PATCH /api/annotations/101"),
                    lines, "the run's region, the fault's, its end, the run's end");
            for (RecordedRequest r : received) {
                assertEquals("Bearer " + TOKEN, r.getHeaders().get("Authorization"));
            }
            JsonNode fault = JSON.readTree(received.get(1).getBody().utf8());
            assertEquals(injected, fault.get("time").asLong());
            assertEquals("slogate-gameday", fault.get("dashboardUID").asText());
            assertTrue(fault.get("tags").toString().contains("\"fault:kill-one\"") && fault.get("tags").toString().contains("\"pod-kill\"")
                    && fault.get("tags").toString().contains("\"e2e\""), fault.toString());
            assertEquals(reverted, JSON.readTree(received.get(2).getBody().utf8()).get("timeEnd").asLong());
            assertEquals(runEnd, JSON.readTree(received.get(3).getBody().utf8()).get("timeEnd").asLong());
            assertFalse(output(dir).contains(TOKEN), "the token is never printed");
        }
    }

    private static long at(JsonNode report, String kind) {
        for (JsonNode e : report.get("events")) {
            if (e.get("kind").asText().equals(kind)) {
                return e.get("atMillis").asLong();
            }
        }
        throw new AssertionError("no " + kind + " event in " + report.get("events"));
    }

    /** Polls the run's sandbox Prometheus until the run ends: which of slogate's run metrics it has seen, and how. */
    private static Set<String> watchPrometheus(Path dir, Process run) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Path state = dir.resolve(".slogate/sandbox/sandbox.json");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (run.isAlive() && System.nanoTime() < deadline && !seen.containsAll(List.of("fault_active=1", "run_info", "slo_status"))) {
            Thread.sleep(500);
            JsonNode s;
            try {
                s = Files.exists(state) ? JSON.readTree(state.toFile()) : null;
            } catch (java.io.IOException partlyWritten) {
                continue;
            }
            if (s == null || !s.path("ready").asBoolean() || s.path("prometheusUrl").isMissingNode()) {
                continue;
            }
            String prometheus = s.get("prometheusUrl").asText();
            for (String q : List.of("slogate_fault_active{fault=\"kill-one\",type=\"pod-kill\"}", "slogate_run_info{run_id=\"grafana-e2e\"}",
                    "slogate_slo_status{slo=\"p99\",window=\"run\"}")) {
                try {
                    String body = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    for (JsonNode r : JSON.readTree(body).path("data").path("result")) {
                        String name = r.path("metric").path("__name__").asText().replace("slogate_", "");
                        seen.add(name.equals("fault_active") ? "fault_active=" + r.path("value").path(1).asText() : name);
                    }
                } catch (java.io.IOException notYet) {
                    // Prometheus is starting or already stopped
                }
            }
        }
        return seen;
    }
}
