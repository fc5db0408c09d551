package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.report.Comparison.Change;
import dev.slogate.report.Comparison.Distribution;
import dev.slogate.report.Comparison.Row;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two synthetic runs with known histograms, compared: the arithmetic of every row and of the distributions. */
class ComparisonTest {
    static final long T0 = 1_800_000_000_000L;

    /** A 20 s run: seconds 0-9 answer at {@code steadyMs}, 10-19 (fault:kill) at {@code faultMs}, 100 requests a second. */
    static RunReport run(String id, String scenario, long start, int exitCode, double steadyMs, double faultMs, List<SloResult> results) {
        List<ClientSecond> client = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            Histogram h = LatencyHistograms.create();
            h.recordValueWithCount(Math.round((s < 10 ? steadyMs : faultMs) * 1000), 100);
            client.add(new ClientSecond(start / 1000 + s, 100, 100, Map.of(new SeriesKey("home", StatusClass.OK), h)));
        }
        List<dev.slogate.timeline.Window> windows = dev.slogate.timeline.Windows.of(start, start + 20_000,
                List.of(new dev.slogate.timeline.FaultSpan("kill", start + 10_000, start + 20_000)));
        return new RunReport(RunReport.SCHEMA_VERSION, id, scenario, "sandbox", start, start + 20_000, exitCode, "exit " + exitCode,
                List.of(), windows, results, client, List.of());
    }

    static SloResult result(String slo, String window, String objective, Double measured, String unit, Verdict v) {
        return new SloResult(slo, window, "client", objective, measured, unit, v, "m");
    }

    private static Row row(Comparison c, String slo, String window) {
        return c.rows().stream().filter(r -> r.slo().equals(slo) && r.window().equals(window)).findFirst().orElseThrow();
    }

    @Test
    void everySloByWindowGetsItsDeltaAndWhetherItGotWorseBeyondTheTolerance() {
        RunReport base = run("base", "checkout", T0, 0, 20, 100, List.of(
                result("p95", "run", "p95 < 200 ms", 0.100, "s", Verdict.PASS),
                result("p95", "steady", "p95 < 200 ms", 0.020, "s", Verdict.PASS),
                result("errors", "run", "error rate < 1 %", 0.002, "ratio", Verdict.PASS),
                result("avail", "run", "availability >= 99 %", 0.998, "ratio", Verdict.PASS),
                result("rto", "fault:kill", "RTO <= 20 s", 10.0, "s", Verdict.PASS),
                result("gone", "run", "p50 < 1 s", 0.01, "s", Verdict.PASS)));
        RunReport run = run("run", "checkout", T0 + 3_600_000, 0, 20, 130, List.of(
                result("p95", "run", "p95 < 200 ms", 0.130, "s", Verdict.PASS),        // +30 %: worse
                result("p95", "steady", "p95 < 200 ms", 0.0205, "s", Verdict.PASS),    // +2.5 %: same
                result("errors", "run", "error rate < 1 %", 0.0025, "ratio", Verdict.PASS), // +0.05 pp: same
                result("avail", "run", "availability >= 99 %", 0.9965, "ratio", Verdict.PASS), // -0.15 pp: worse
                result("rto", "fault:kill", "RTO <= 20 s", 7.0, "s", Verdict.PASS),     // -30 %: better
                result("new", "run", "p50 < 1 s", 0.01, "s", Verdict.PASS)));
        Comparison c = Comparison.of(base, run);

        Row p95 = row(c, "p95", "run");
        assertEquals(0.100, p95.base());
        assertEquals(0.130, p95.run());
        assertEquals(0.030, p95.delta(), 1e-12);
        assertEquals(30.0, p95.deltaPercent(), 1e-9);
        assertEquals(Change.WORSE, p95.change());
        assertEquals(Change.SAME, row(c, "p95", "steady").change());
        assertEquals(Change.SAME, row(c, "errors", "run").change());
        assertEquals(Change.WORSE, row(c, "avail", "run").change());
        assertEquals(-0.0015, row(c, "avail", "run").delta(), 1e-12);
        assertEquals(Change.BETTER, row(c, "rto", "fault:kill").change());
        assertEquals(Change.ONLY_BASE, row(c, "gone", "run").change());
        assertEquals(Change.ONLY_RUN, row(c, "new", "run").change());
        assertEquals(1, c.exitCode());
        assertTrue(c.outcome().startsWith("2 of 5 SLO results got worse than baseline base beyond 10 % (ratios 0.1 percentage points): "
                + "p95 over run 100 ms → 130 ms; avail over run 99.8 % → 99.65 %"), c.outcome());
        assertTrue(c.notes().contains("only in the baseline, not compared: gone over run"), c.notes().toString());

        // a looser tolerance lets both through
        Comparison loose = Comparison.of(base, run, 0.5, 0.002);
        assertEquals(0, loose.exitCode(), loose.outcome());
    }

    @Test
    void aVerdictThatTurnedToFailOrLostItsDataIsWorseWhateverTheTolerance() {
        RunReport base = run("base", "checkout", T0, 0, 20, 20, List.of(
                result("p95", "run", "p95 < 200 ms", 0.199, "s", Verdict.PASS),
                result("errors", "run", "error rate < 1 %", 0.001, "ratio", Verdict.PASS)));
        RunReport run = run("run", "checkout", T0 + 1000, 4, 20, 20, List.of(
                result("p95", "run", "p95 < 200 ms", 0.201, "s", Verdict.FAIL),
                result("errors", "run", "error rate < 1 %", null, null, Verdict.NO_DATA)));
        Comparison c = Comparison.of(base, run, 0.5, 0.5);
        assertEquals(Change.WORSE, row(c, "p95", "run").change());
        assertEquals(Change.WORSE, row(c, "errors", "run").change());
        assertNull(row(c, "errors", "run").delta());
        assertEquals(1, c.exitCode());
    }

    @Test
    void anotherScenarioOrNothingInCommonIsNotComparable() {
        List<SloResult> one = List.of(result("p95", "run", "p95 < 200 ms", 0.1, "s", Verdict.PASS));
        Comparison other = Comparison.of(run("a", "checkout", T0, 0, 20, 20, one), run("b", "search", T0, 0, 20, 20, one));
        assertEquals(4, other.exitCode());
        assertTrue(other.outcome().contains("the baseline ran scenario checkout and this run search"), other.outcome());

        Comparison none = Comparison.of(run("a", "checkout", T0, 0, 20, 20, one), run("b", "checkout", T0, 0, 20, 20,
                List.of(result("p99", "run", "p99 < 1 s", 0.1, "s", Verdict.PASS))));
        assertEquals(4, none.exitCode());
    }

    @Test
    void distributionsAreTheExactMergeOfEachWindowsSeconds() {
        List<SloResult> one = List.of(result("p95", "run", "p95 < 200 ms", 0.1, "s", Verdict.PASS));
        Comparison c = Comparison.of(run("a", "checkout", T0, 0, 20, 100, one), run("b", "checkout", T0 + 60_000, 0, 20, 300, one));

        assertEquals(List.of("run", "steady", "fault:kill", "recovery:kill"), c.distributions().stream().map(Distribution::window).toList());
        Distribution whole = c.distributions().get(0);
        assertEquals(2000, whole.baseCount());
        assertEquals(2000, whole.runCount());
        // half the requests at 20 ms, half at 100 (base) or 300 ms (run): p50 is 20 ms in both, p75 and the max differ
        Comparison.Point p50 = whole.points().stream().filter(p -> p.percentile() == 50).findFirst().orElseThrow();
        Comparison.Point p75 = whole.points().stream().filter(p -> p.percentile() == 75).findFirst().orElseThrow();
        // (HdrHistogram keeps 3 significant digits: a value reads back within 0.5 %)
        assertEquals(20, p50.baseMs(), 0.2);
        assertEquals(20, p50.runMs(), 0.2);
        assertEquals(100, p75.baseMs(), 1);
        assertEquals(300, p75.runMs(), 3);
        Distribution fault = c.distributions().get(2);
        assertEquals(1000, fault.runCount());
        assertTrue(fault.points().stream().allMatch(p -> Math.abs(p.runMs() - 300) < 3), fault.points().toString());
        Distribution recovery = c.distributions().get(3); // the 0 s recovery window holds no whole second
        assertEquals(0, recovery.runCount());
        assertNull(recovery.points().get(0).runMs());
    }

    @Test
    void theFilesSayTheSameAndCompareJsonReadsBack(@TempDir Path dir) throws Exception {
        RunReport base = run("base", "checkout", T0, 0, 20, 100, List.of(result("p95", "run", "p95 < 200 ms", 0.100, "s", Verdict.PASS)));
        RunReport run = run("run", "checkout", T0 + 1000, 0, 20, 130, List.of(result("p95", "run", "p95 < 200 ms", 0.130, "s", Verdict.PASS)));
        Comparison c = Comparison.of(base, run);
        ComparisonReport.write(c, dir);

        assertEquals(c, ComparisonReport.read(dir.resolve(ComparisonReport.JSON)));
        String md = java.nio.file.Files.readString(dir.resolve(ComparisonReport.MARKDOWN));
        assertTrue(md.contains("| p95 | run | client | p95 &lt; 200 ms | 100 ms | 130 ms | +30 ms (+30 %) | PASS → PASS | ❌ worse |"), md);
        String html = java.nio.file.Files.readString(dir.resolve(ComparisonReport.HTML));
        assertTrue(html.contains("<svg id=\"latency-fault-kill\""), "a distribution chart per window");
        assertTrue(html.contains(">p99.9</text>"), "the x axis counts nines");
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "no CDN, no script");
    }
}
