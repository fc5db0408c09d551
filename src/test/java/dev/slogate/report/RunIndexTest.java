package dev.slogate.report;

import static dev.slogate.report.ComparisonTest.T0;
import static dev.slogate.report.ComparisonTest.result;
import static dev.slogate.report.ComparisonTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.slo.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reports/index.html: every run of the folder, newest first, with its figures, and a trend per scenario. */
class RunIndexTest {
    @TempDir
    Path reports;

    private void write(RunReport r) throws Exception {
        Reports.writeAll(r, reports.resolve(r.runId()));
    }

    @Test
    void listsEveryRunNewestFirstWithItsFiguresAndLinksAndDrawsTheTrendOfEachScenario() throws Exception {
        List<dev.slogate.slo.SloResult> rto = List.of(result("rto", "fault:kill", "RTO <= 20 s", 4.0, "s", Verdict.PASS));
        write(run("old", "checkout", T0, 0, 20, 100, rto));
        write(run("new", "checkout", T0 + 3_600_000, 1, 20, 300, rto));
        write(run("other", "search", T0 + 60_000, 4, 20, 20, List.of()));
        Files.createDirectories(reports.resolve("broken"));
        Files.writeString(reports.resolve("broken/report.json"), "{not json");
        Files.createDirectories(reports.resolve("not-a-run"));

        Path html = RunIndex.update(reports);
        List<RunIndex.Entry> runs = RunIndex.scan(reports);

        assertEquals(List.of("new", "other", "old", "broken"), runs.stream().map(RunIndex.Entry::runId).toList());
        RunIndex.Entry newest = runs.get(0);
        assertEquals(1, newest.exitCode());
        assertEquals(300, newest.p99Ms(), 3);
        assertEquals(0.0, newest.errorPercent());
        assertEquals(4.0, newest.rtoSeconds().get("kill"));
        assertTrue(runs.get(3).problem() != null);
        String page = Files.readString(html);
        assertTrue(page.indexOf("href=\"new/report.html\"") < page.indexOf("href=\"other/report.html\"")
                && page.indexOf("href=\"other/report.html\"") < page.indexOf("href=\"old/report.html\""), "newest first");
        assertTrue(page.contains("FAILED</span> exit 1"), page);
        assertTrue(page.contains("<svg id=\"trend-0-p99\""), "p99 trend of checkout");
        assertTrue(page.contains("<svg id=\"trend-0-rto\""), "RTO trend of checkout");
        assertTrue(!page.contains("trend-1-"), "search has one run: no trend");
        assertTrue(!page.contains("<script") && !page.contains("http"), "works offline");
    }

    @Test
    void aRewriteReadsOnlyTheReportsThatChanged() throws Exception {
        write(run("a", "checkout", T0, 0, 20, 100, List.of()));
        RunIndex.update(reports);
        // index.json remembers a's figures with the size and time of its report.json: a forged figure survives a rewrite...
        Path json = reports.resolve(RunIndex.JSON);
        Files.writeString(json, Files.readString(json).replace("\"exitCode\" : 0", "\"exitCode\" : 3"));
        write(run("b", "checkout", T0 + 1000, 0, 20, 100, List.of()));
        RunIndex.update(reports);
        assertEquals(3, RunIndex.scan(reports).stream().filter(e -> e.runId().equals("a")).findFirst().orElseThrow().exitCode());
        // ...until a's report changes
        write(run("a", "checkout", T0, 1, 20, 100, List.of()));
        assertEquals(1, RunIndex.scan(reports).stream().filter(e -> e.runId().equals("a")).findFirst().orElseThrow().exitCode());
    }
}
