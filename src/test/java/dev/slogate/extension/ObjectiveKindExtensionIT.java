package dev.slogate.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cli.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the real sandbox judges the test-only objective kind ({@link ThroughputObjective}) next to a built-in one,
 * and every report carries its results: report.json with its numbers, junit.xml with a failure for the objective
 * that missed, the console with its verdicts. The CLI runs in this JVM, whose class path holds the kind.
 */
class ObjectiveKindExtensionIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aRunJudgesTheNewKindAndEveryReportShowsIt() throws Exception {
        Path scenario = ObjectiveKindExtensionTest.scenario(work, "10");
        Path reports = work.resolve("reports");
        InProcessCli.Result run = InProcessCli.run("run", "--run-id", "custom", "--state-dir", work.resolve("state").toString(),
                "--reports-dir", reports.toString(), scenario.toString());
        assertEquals(1, run.code(), "too-much (500 req/s) fails the gate: " + run.out());

        JsonNode report = JSON.readTree(reports.resolve("custom").resolve("report.json").toFile());
        for (String window : new String[] {"steady", "run"}) {
            JsonNode r = result(report, "steady-rate", window);
            assertEquals("PASS", r.get("verdict").asText(), r.toString());
            assertEquals("client", r.get("source").asText());
            assertEquals("throughput >= 10.0 req/s", r.get("objective").asText());
            assertEquals("rps", r.get("unit").asText());
            assertEquals(30, r.get("measured").asDouble(), 6, "30 requests per second were sent: " + r);
        }
        JsonNode missed = result(report, "too-much", "run");
        assertEquals("FAIL", missed.get("verdict").asText(), missed.toString());
        assertTrue(missed.get("message").asText().startsWith("throughput "), missed.toString());
        assertTrue(missed.get("message").asText().contains("< 500.0 req/s in run (client); "), missed.toString());
        assertEquals("PASS", result(report, "errors", "run").get("verdict").asText(), "the built-in kind beside it is judged as ever");

        String junit = Files.readString(reports.resolve("custom").resolve("junit.xml"));
        assertTrue(junit.contains("type=\"SLO_FAILED\""), junit);
        assertTrue(junit.contains("&lt; 500.0 req/s in run (client); "), junit);
        assertTrue(run.out().contains("FAIL  too-much: throughput"), run.out());
    }

    private static JsonNode result(JsonNode report, String slo, String window) {
        for (JsonNode r : report.get("results")) {
            if (r.get("slo").asText().equals(slo) && r.get("window").asText().equals(window)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + slo + " in " + window + ": " + report.get("results"));
    }
}
