package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.report.Reports;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Windows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slogate compare}: its exit codes, as a pipeline reads them. */
class CompareCliTest {
    private static final long T0 = 1_800_000_000_000L;

    @TempDir
    Path tmp;

    private Path reports;

    private static RunReport run(String id, String scenario, long start, double p95) {
        List<ClientSecond> client = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            Histogram h = LatencyHistograms.create();
            h.recordValueWithCount(Math.round(p95 * 1e6), 10);
            client.add(new ClientSecond(start / 1000 + s, 10, 10, Map.of(new SeriesKey("home", StatusClass.OK), h)));
        }
        return new RunReport(RunReport.SCHEMA_VERSION, id, scenario, "sandbox", start, start + 5_000, 0, "ok", List.of(),
                Windows.of(start, start + 5_000, List.of()), List.of(new SloResult("p95", "run", "client", "p95 < 1 s", p95, "s",
                Verdict.PASS, "m")), client, List.of());
    }

    @BeforeEach
    void twoRuns() throws Exception {
        reports = tmp.resolve("reports");
        Reports.writeAll(run("base", "checkout", T0, 0.100), reports.resolve("base"));
        Reports.writeAll(run("same", "checkout", T0 + 60_000, 0.105), reports.resolve("same"));
        Reports.writeAll(run("slower", "checkout", T0 + 120_000, 0.150), reports.resolve("slower"));
        Reports.writeAll(run("other", "search", T0 + 180_000, 0.100), reports.resolve("other"));
    }

    private InProcessCli.Result compare(String... args) {
        List<String> all = new ArrayList<>(List.of("compare", "--reports-dir", reports.toString()));
        all.addAll(List.of(args));
        return InProcessCli.run(all.toArray(String[]::new));
    }

    @Test
    void exitZeroWhenNothingGotWorseOneWhenSomethingDid() {
        InProcessCli.Result same = compare("base", "same");
        assertEquals(0, same.code(), same.out());
        assertTrue(Files.exists(reports.resolve("same/compare.json")) && Files.exists(reports.resolve("same/compare.html"))
                && Files.exists(reports.resolve("same/compare.md")), same.out());
        InProcessCli.Result slower = compare(reports.resolve("base").toString(), "slower", "--out", tmp.resolve("ci").toString());
        assertEquals(1, slower.code(), slower.out());
        assertTrue(slower.out().contains("p95 over run 100 ms → 150 ms"), slower.out());
        assertTrue(Files.exists(tmp.resolve("ci/compare.json")), "--out");
        assertEquals(0, compare("base", "slower", "--tolerance", "60%").code(), "within a looser tolerance");
    }

    @Test
    void aMissingOrIncomparableBaselineIsFourAMissingRunOrBadOptionTwo() {
        InProcessCli.Result missing = compare("nope", "same");
        assertEquals(4, missing.code(), missing.out());
        assertTrue(missing.out().contains("no run 'nope' in"), missing.out());
        assertEquals(4, compare("base", "other").code(), "another scenario");
        assertEquals(2, compare("base", "nope").code());
        InProcessCli.Result bad = compare("base", "same", "--tolerance", "ten");
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("--tolerance ten is not a percentage"), bad.out());
    }

    @Test
    void planSaysWhichEarlierRunsTheObjectivesAreJudgedAgainst() throws Exception {
        Files.writeString(tmp.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: against-earlier-runs}
                spec:
                  objectives:
                    - {name: p95, latency: {percentile: 95, notWorseThan: 10%, baseline: base}}
                    - {name: errors, errorRate: {notWorseThan: 0.1%, baseline: gone}}
                """);
        Path scenario = Files.writeString(tmp.resolve("checkout.yaml"), """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: checkout}
                spec:
                  target: {sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1}}
                  load:
                    stages: [{hold: {rps: 10, duration: 5s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """);
        InProcessCli.Result plan = InProcessCli.run("plan", "--reports-dir", reports.toString(), "--state-dir",
                tmp.resolve("state").toString(), scenario.toString());
        assertEquals(0, plan.code(), plan.out());
        assertTrue(plan.out().contains("p95: p95 latency not worse than baseline base +10% (client)"), plan.out());
        assertTrue(plan.out().contains("  base: run base of checkout, "), plan.out());
        assertTrue(plan.out().contains("  warning: gone: no report folder 'gone' here and no run 'gone' in "), plan.out());
    }
}
