package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import dev.slogate.report.Reports;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that touch no infrastructure, run in-process as a user types them. */
class CliTest {
    @TempDir
    Path tmp;

    private static Result cli(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void validateNamesFileLineAndFixAndExitsTwo() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: slogate/v1
                kind: Fault
                metadata: {name: f}
                spec:
                  type: pod-kill
                  selector: {labels: {app: demo}, mode: one}
                  duraton: 10s
                """);
        Result r = cli("validate", bad.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains(bad + ":7:3"), r.out());
        assertTrue(r.out().contains("duration"), "did-you-mean: " + r.out());
    }

    @Test
    void everyShippedFileValidates() {
        Result r = cli("validate", "scenarios", "faults", "slo");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("0 with problems"), r.out());
        // the seed systems' SLO files and their scenarios are among the files checked, each one passing
        for (String dir : List.of("slo/examples", "scenarios/examples")) {
            try (var files = Files.list(Path.of(dir))) {
                List<String> names = files.map(f -> dir + "/" + f.getFileName()).filter(n -> n.endsWith(".yaml")).toList();
                assertTrue(names.size() >= 5, dir + " holds the five systems' files: " + names);
                names.forEach(n -> assertTrue(r.out().contains("ok     " + n), n + " validates:\n" + r.out()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void theSeedSystemsWithUserFlowsWalkJourneysFedFromTheirOwnData() {
        // file -> its journeys, its feeders' files and the selections its SLOs judge
        var expected = java.util.Map.of(
                "trading-platform", List.of("journey trader:", "journey watcher:", "step login: POST /shop/login",
                        "step cancel-order: DELETE /api/orders/${clientOrderId}", "data/trading-orders.csv",
                        "data/trading-watchlist.csv", "availability of journey trader", "availability of group orders"),
                "kgas", List.of("journey researcher:", "journey reader:", "step upload: POST /api/documents",
                        "data/kgas-documents.csv", "data/kgas-entities.csv", "error rate of request upload",
                        "error rate of request extract", "error rate of group graph"),
                "threat-detection", List.of("journey sensor:", "journey analyst:", "step ingest: POST /api/events",
                        "data/threat-events.jsonl", "data/threat-indicators.csv", "error rate of request ingest",
                        "p95 latency of group alerts"));
        expected.forEach((name, lines) -> {
            Result r = cli("plan", "--state-dir", tmp.resolve("state").toString(), "scenarios/examples/" + name + ".yaml");
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("users arrive at the stages' rate"), name + " is users, not single requests:\n" + r.out());
            lines.forEach(l -> assertTrue(r.out().contains(l), name + ": " + l + " in\n" + r.out()));
            lines.stream().filter(l -> l.startsWith("data/"))
                    .forEach(f -> assertTrue(Files.isRegularFile(Path.of("scenarios/examples", f)), f + " is shipped"));
        });
    }

    @Test
    void planPrintsTheTimelineAndTouchesNothing() {
        Result r = cli("plan", "--state-dir", tmp.resolve("state").toString(), "scenarios/demo-gameday.yaml");
        assertEquals(0, r.code(), r.out());
        for (String s : List.of("kill-one-pod", "kill-one-node", "region-b-outage", "recovery:region-b-outage", "p95-latency")) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
        assertTrue(r.out().contains("No sandbox is running"), r.out());
        assertTrue(Files.notExists(tmp.resolve("state").resolve("journal")), "plan journals nothing");
    }

    @Test
    void reportReRendersFromJsonAndExitsWithTheRunsCode() throws Exception {
        Path dir = tmp.resolve("run-1");
        long t = 1_700_000_000_000L;
        RunReport report = new RunReport(RunReport.SCHEMA_VERSION, "run-1", "s", "http://127.0.0.1:1", t, t + 10_000, 1,
                "1 of 1 SLO checks failed.", List.of(new Event(t, Event.Kind.RUN_START, "s", "")),
                List.of(new Window("run", t, t + 10_000)),
                List.of(new SloResult("p95", "run", "client", "p95 < 200 ms", 0.3, "s", Verdict.FAIL, "p95 latency 300 ms > 200 ms in run (client)")),
                List.of(), List.of());
        Reports.writeAll(report, dir);
        Files.delete(dir.resolve("report.html"));
        Files.delete(dir.resolve("junit.xml"));

        Result r = cli("report", dir.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(Files.exists(dir.resolve("report.html")) && Files.exists(dir.resolve("junit.xml")));
        assertTrue(Files.readString(dir.resolve("junit.xml")).contains("p95 latency 300 ms &gt; 200 ms"));
        assertEquals(2, cli("report", tmp.resolve("nothing-here").toString()).code());
    }

    @Test
    void anUnreachableTargetOrPrometheusIsExitTwoBeforeAnyLoad() throws Exception {
        Files.writeString(tmp.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 1%}}
                """);
        Path scenario = tmp.resolve("url.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: unreachable}
                spec:
                  target: {url: "http://127.0.0.1:1", prometheus: "http://127.0.0.1:2"}
                  load:
                    stages: [{hold: {rps: 10, duration: 5s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """);
        Result r = cli("run", "--state-dir", tmp.resolve("state").toString(), "--reports-dir", tmp.resolve("reports").toString(),
                scenario.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("target http://127.0.0.1:1 is unreachable"), r.out());
        assertTrue(r.out().contains("Prometheus at http://127.0.0.1:2 is unreachable"), r.out());
        // not run, but reported: a CI step that shows the report folder shows why
        try (var dirs = Files.list(tmp.resolve("reports"))) {
            Path dir = dirs.filter(Files::isDirectory).findFirst().orElseThrow(); // besides index.html
            String junit = Files.readString(dir.resolve("junit.xml"));
            assertTrue(junit.contains("errors=\"2\"") && junit.contains("127.0.0.1:1 is unreachable")
                    && junit.contains("127.0.0.1:2 is unreachable"), junit);
            assertTrue(Files.readString(dir.resolve("report.json")).contains("\"exitCode\" : 2"));
        }
    }

    @Test
    void badOptionsAreBadInput() {
        assertEquals(2, cli("run", "--no-such-option", "x.yaml").code());
        assertEquals(2, cli("run", "--reports-dir", tmp.resolve("reports").toString(), tmp.resolve("missing.yaml").toString()).code());
        assertEquals(2, cli("sandbox", "explode", "--state-dir", tmp.toString()).code());
    }
}
