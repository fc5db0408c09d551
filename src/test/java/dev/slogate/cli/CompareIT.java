package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.report;
import static dev.slogate.cli.EndToEndIT.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slogate.cli.InProcessCli.Result;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate against a baseline, on the real sandbox: a run, a second run of the same scenario whose objectives are
 * relative to the first (judged from the first's report.json), then {@code slogate compare} of the two.
 */
class CompareIT {
    private static final Path E2E = Path.of("src/test/resources/e2e").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aSecondRunIsJudgedAgainstTheFirstAndComparedWithIt() throws Exception {
        // in this JVM (the second run finds Gatling warm), on one sandbox for both runs: half the time of two of their own
        Result sandbox = slogate("sandbox", "start", "--regions", "1", "--nodes", "1", "--pods", "1", "--service-time", "2ms");
        try {
            assertEquals(0, sandbox.code(), sandbox.out());
            runTwiceAndCompare();
        } finally {
            slogate("sandbox", "stop");
        }
    }

    private Result slogate(String command, String... args) {
        List<String> all = new ArrayList<>(command.equals("sandbox") ? List.of(command, args[0]) : List.of(command));
        all.addAll(List.of("--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString()));
        all.addAll(Arrays.asList(args).subList(command.equals("sandbox") ? 1 : 0, args.length));
        return InProcessCli.run(all.toArray(String[]::new));
    }

    private void runTwiceAndCompare() throws Exception {
        Result first = slogate("run", "--run-id", "compare-base", E2E.resolve("compare-base.yaml").toString());
        assertEquals(0, first.code(), first.out());
        Result second = slogate("run", "--run-id", "compare-run", E2E.resolve("compare-run.yaml").toString());
        assertEquals(0, second.code(), second.out());

        // the relative objectives were judged against the first run's histograms, and say so
        JsonNode run = report(work, "compare-run");
        JsonNode base = report(work, "compare-base");
        JsonNode p95 = result(run, "p95-vs-base", "run");
        assertEquals("PASS", p95.get("verdict").asText(), p95.toString());
        assertEquals("p95 <= baseline + 2 s", p95.get("objective").asText());
        assertTrue(p95.get("message").asText().contains("baseline run compare-base had "), p95.toString());
        assertEquals("PASS", result(run, "errors-vs-base", "run").get("verdict").asText());

        Path reports = work.resolve("reports");
        Result compared = slogate("compare", "compare-base", "compare-run");
        JsonNode c = JSON.readTree(reports.resolve("compare-run/compare.json").toFile());
        assertEquals(c.get("exitCode").asInt(), compared.code(), compared.out());
        boolean worse = false;
        for (JsonNode row : c.get("rows")) {
            worse |= row.get("change").asText().equals("WORSE");
        }
        assertEquals(worse ? 1 : 0, compared.code(), "exit 1 exactly when a row got worse: " + compared.out());
        JsonNode errors = row(c, "error-rate", "run");
        assertEquals(result(base, "error-rate", "run").get("measured").asDouble(), errors.get("base").asDouble());
        assertEquals(result(run, "error-rate", "run").get("measured").asDouble(), errors.get("run").asDouble());
        assertEquals("ONLY_RUN", row(c, "p95-vs-base", "run").get("change").asText());
        JsonNode whole = c.get("distributions").get(0);
        assertEquals("run", whole.get("window").asText());
        assertTrue(whole.get("baseCount").asLong() > 100 && whole.get("runCount").asLong() > 100, whole.toString());
        assertTrue(Files.readString(reports.resolve("compare-run/compare.html")).contains("<svg id=\"latency-run\""));
        assertTrue(compared.out().contains("| error-rate | run | client |"), compared.out());

        // every run rewrote the folder's index: both runs, newest first
        String index = Files.readString(reports.resolve("index.html"));
        assertTrue(index.indexOf("compare-run/report.html") >= 0
                && index.indexOf("compare-run/report.html") < index.indexOf("compare-base/report.html"), index);
        assertTrue(index.contains("<svg id=\"trend-0-p99\""), "a trend of the scenario's two runs");
    }

    private static JsonNode row(JsonNode comparison, String slo, String window) {
        for (JsonNode r : comparison.get("rows")) {
            if (r.get("slo").asText().equals(slo) && r.get("window").asText().equals(window)) {
                return r;
            }
        }
        throw new AssertionError("no row " + slo + " over " + window + ": " + comparison.get("rows"));
    }
}
