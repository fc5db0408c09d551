package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cli.InProcessCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slogate run} ends that touch no infrastructure: bad run ids, invalid scenarios, bad options; each exit 2 is reported. */
class RunExitCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path sandboxScenario() throws Exception {
        Files.writeString(tmp.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: e}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 1%}}
                """);
        Path s = tmp.resolve("sandboxed.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: sandboxed}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1}
                  load:
                    stages: [{hold: {rps: 5, duration: 2s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """);
        return s;
    }

    private Result run(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("run", "--state-dir", tmp.resolve("state").toString(),
                "--reports-dir", tmp.resolve("reports").toString()));
        all.addAll(List.of(args));
        return InProcessCli.run(all.toArray(String[]::new));
    }

    @Test
    void aRunIdThatIsAPathIsRefusedBeforeAnythingStarts() throws Exception {
        Path scenario = sandboxScenario();
        for (String id : List.of("..", ".", "../../etc", "-x", "a/b", "x".repeat(64))) {
            Result r = run("--run-id", id, scenario.toString());
            assertEquals(2, r.code(), r.out());
            assertTrue(r.out().contains("error: --run-id '" + id + "'"), r.out());
            assertFalse(r.out().contains("Starting the sandbox"), r.out());
        }
        assertFalse(Files.exists(tmp.resolve("state")), "no sandbox, journal or Gatling folder");
        assertFalse(Files.exists(tmp.resolve("reports")), "nothing written, least of all into the folder above reports/");
        try (Stream<Path> here = Files.list(tmp)) {
            assertEquals(List.of("sandboxed.yaml", "slo.yaml"), here.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void capacityRefusesABadRunIdBeforeAnythingStarts() throws Exception {
        Result r = InProcessCli.run("capacity", "--state-dir", tmp.resolve("state").toString(), "--reports-dir",
                tmp.resolve("reports").toString(), "--run-id", "..", sandboxScenario().toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("error: --run-id '..' must start with a letter or digit"), r.out());
        assertFalse(Files.exists(tmp.resolve("state")) || Files.exists(tmp.resolve("reports")), r.out());
    }

    @Test
    void anInvalidScenarioExitsTwoWithAReportThatSaysWhy() throws Exception {
        Path bad = tmp.resolve("checkout.yaml");
        Files.writeString(bad, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: checkout}
                spec:
                  target: {url: "http://127.0.0.1:1"}
                  load:
                    stages: [{hold: {rps: 5, duraton: 2s}}]
                    requests: [{path: /}]
                """);
        Result r = run("--run-id", "ci-123", bad.toString());
        assertEquals(2, r.code(), r.out());
        Path dir = tmp.resolve("reports/ci-123");
        for (String f : List.of("report.json", "summary.md", "junit.xml", "report.html")) {
            assertTrue(Files.exists(dir.resolve(f)), f + " written:\n" + r.out());
        }
        JsonNode json = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(2, json.get("exitCode").asInt());
        assertTrue(json.get("outcome").asText().startsWith("Not run"), json.toString());
        assertTrue(json.get("problems").size() >= 1, json.toString());
        assertTrue(json.get("problems").toString().contains(bad + ":7:"), json.get("problems").toString());
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("(exit 2)") && summary.contains("duraton"), summary);
        String junit = Files.readString(dir.resolve("junit.xml"));
        assertTrue(junit.contains("<error") && junit.contains("duraton"), junit);
        assertTrue(r.out().contains("(exit 2)") && r.out().contains("Report: " + dir.toRealPath().resolve("report.html")), r.out());

        Result rerender = InProcessCli.run("report", dir.toString());
        assertEquals(2, rerender.code(), rerender.out());
        assertTrue(rerender.out().contains("Not run"), rerender.out());
    }

    @Test
    void theDefaultRunIdOfAnInvalidScenarioComesFromItsFileName() throws Exception {
        Path bad = tmp.resolve("my scenario.yaml");
        Files.writeString(bad, "kind: Nonsense\n");
        Result r = run(bad.toString());
        assertEquals(2, r.code(), r.out());
        try (Stream<Path> dirs = Files.list(tmp.resolve("reports"))) {
            List<String> ids = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList(); // besides index.html
            assertEquals(1, ids.size(), ids.toString());
            assertTrue(ids.get(0).matches("\\d{8}-\\d{6}-my_scenario"), ids.toString());
        }
    }

    @Test
    void badOptionsAreReportedUnderTheRunIdGiven() throws Exception {
        Path scenario = sandboxScenario();
        Result negative = run("--run-id", "neg", "--injectors", "-1", scenario.toString());
        assertEquals(2, negative.code(), negative.out());
        assertTrue(Files.readString(tmp.resolve("reports/neg/summary.md")).contains("--injectors must be 0"));

        Result unknown = run("--run-id", "typo", "--injector", "3", scenario.toString());
        assertEquals(2, unknown.code(), unknown.out());
        JsonNode json = JSON.readTree(tmp.resolve("reports/typo/report.json").toFile());
        assertTrue(json.get("problems").toString().contains("--injector"), json.toString());
        assertFalse(Files.exists(tmp.resolve("state")), "nothing started");
    }

    @Test
    void aReportsFolderThatIsAFileDoesNotHideAnInvalidScenario() throws Exception {
        Path file = tmp.resolve("reports-file");
        Files.writeString(file, "x");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "kind: Nonsense\n");
        Result r = InProcessCli.run("run", "--reports-dir", file.toString(), "--run-id", "r1", bad.toString());
        assertEquals(2, r.code(), "invalid input stays 2: " + r.out());
        assertTrue(r.out().contains("error: could not write report.json: cannot use the reports folder " + file), r.out());
        assertFalse(r.out().contains("Report:"), r.out());
    }
}
