package dev.slogate.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cli.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox with a known capacity: one pod serving at most 4 requests at once, 20 ms each = 200 rps. Below it the
 * open model's evenly spaced arrivals never queue; above it the queue grows every second. The search must find it.
 */
@Timeout(180)
class CapacityIT {
    static final double KNOWN_CAPACITY = 4 / 0.020;

    @TempDir
    Path tmp;

    @Test
    void findsTheSandboxCapacityWithin15Percent() throws Exception {
        Files.writeString(tmp.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: capacity}
                spec:
                  objectives:
                    - {name: p95-latency, latency: {percentile: 95, below: 100ms}}
                    - {name: error-rate, errorRate: {below: 1%}}
                """);
        Path scenario = tmp.resolve("capacity.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: known-capacity}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1, serviceTime: 20ms, errorRatio: 0, concurrency: 4, restartDelay: 1s}
                  load:
                    requestTimeout: 3s
                    stages:
                      - hold: {rps: 60, duration: 10s}
                    requests:
                      - {name: home, method: GET, path: /}
                  slos: [slo.yaml]
                """);
        long began = System.currentTimeMillis();
        InProcessCli.Result result = InProcessCli.run("capacity", "--from", "60", "--factor", "1.8", "--precision", "8", "--settle", "2s",
                    "--judge", "4s", "--max-steps", "8", "--run-id", "cap", "--state-dir", tmp.resolve("state").toString(),
                    "--reports-dir", tmp.resolve("reports").toString(), scenario.toString());
        int code = result.code();
        String out = result.out();
        System.out.println(out);
        System.out.println("capacity search took " + (System.currentTimeMillis() - began) / 1000 + " s");
        assertEquals(0, code, out);
        JsonNode r = new ObjectMapper().readTree(tmp.resolve("reports/cap/capacity.json").toFile());
        double found = r.get("maxSustainableRps").asDouble();
        assertTrue(Math.abs(found - KNOWN_CAPACITY) <= 0.15 * KNOWN_CAPACITY,
                "found " + found + " rps, known capacity " + KNOWN_CAPACITY + " rps\n" + out);
        assertNotNull(r.get("firstBroken").get(0), "names the SLO that broke above the knee");
        assertTrue(r.get("firstBroken").get(0).asText().startsWith("p95-latency"), out);
        String html = Files.readString(tmp.resolve("reports/cap/capacity.html"));
        assertTrue(html.contains("<svg id=\"capacity-latency\"") && html.contains("maximum sustainable"), "chart and table");
    }
}
