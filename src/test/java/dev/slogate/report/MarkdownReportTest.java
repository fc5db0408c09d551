package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.load.JourneySummary;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    void headlineMarkFollowsTheExitCode() {
        RunReport r = SampleRuns.failed();
        assertTrue(headline(MarkdownReport.render(r)).startsWith("## ❌ demo-gameday: an SLO failed (exit 1)"));
        assertTrue(headline(MarkdownReport.render(SampleRuns.withExit(r, 0, SampleRuns.allPassing())))
                .startsWith("## ✅ demo-gameday: all SLOs met (exit 0)"));
        assertTrue(headline(MarkdownReport.render(SampleRuns.withExit(r, 3, SampleRuns.allPassing())))
                .startsWith("## ❌ demo-gameday: aborted by a stop condition (exit 3)"));
        assertTrue(headline(MarkdownReport.render(SampleRuns.withExit(r, 4, r.results())))
                .startsWith("## ⚠️ demo-gameday: inconclusive"));
        assertEquals(1, MarkdownReport.render(r).lines().filter(l -> l.startsWith("#")).count(), "one headline");
    }

    @Test
    void journeysGetALineEachAndTheTargetIsInUsers() {
        RunReport p = SampleRuns.failed();
        RunReport r = new RunReport(p.schemaVersion(), p.runId(), p.scenario(), p.target(), p.startMillis(), p.endMillis(), p.exitCode(),
                p.outcome(), p.events(), p.windows(), p.results(), p.client(), p.notes(), p.probes(), p.problems(),
                List.of(new JourneySummary("buyer", 40, 37, 2, 1, new JourneySummary.Durations(1210.0, 1180.0, 1650.0, 1900.0, 2004.0),
                        new JourneySummary.Durations(35.0, 30.0, 70.0, 95.0, 120.0))));
        String md = MarkdownReport.render(r);
        assertTrue(md.contains("- journey buyer: 37 of 40 users completed it, p95 1650 ms (70 ms without think time);"
                + " 2 ended by a failed step; 1 found no feeder row\n"), md);
        assertTrue(md.contains(" users/s walking journeys)"), md);
        assertTrue(HtmlReport.render(r).contains("<h2>Journeys</h2>"));
    }

    @Test
    void listsFailuresFirstThenNoDataThenPasses() {
        List<String> rows = rows(MarkdownReport.render(SampleRuns.failed()));
        assertEquals(SampleRuns.results().size(), rows.size());
        assertTrue(rows.get(0).startsWith("| ❌ FAIL | p95-latency | fault:kill-one-pod |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| ❌ FAIL |"), rows.get(1));
        assertTrue(rows.get(2).startsWith("| ⚠️ NO DATA | server-errors |"), rows.get(2));
        for (String row : rows.subList(3, rows.size())) {
            assertTrue(row.startsWith("| ✅ PASS |"), row);
        }
    }

    @Test
    void tableCellsCannotBreakTheTable() {
        List<SloResult> results = new ArrayList<>(SampleRuns.results());
        results.add(new SloResult("a|b\nc", "run", "client", "x | y", 1.0, "s", Verdict.FAIL, "m"));
        List<String> rows = rows(MarkdownReport.render(SampleRuns.withExit(SampleRuns.failed(), 1, results)));
        assertEquals(results.size(), rows.size(), "a newline in a name must not split the row");
        for (String row : rows) {
            assertEquals(7, row.replace("\\|", "").chars().filter(c -> c == '|').count(), row);
        }
        assertTrue(rows.stream().anyMatch(row -> row.contains("&lt;script&gt;")), "no raw HTML in the summary");
    }

    @Test
    void keyFiguresIncludeRatesLatencyErrorsAndRtoPerFault() {
        String md = MarkdownReport.render(SampleRuns.failed());
        RunFigures f = RunFigures.of(SampleRuns.failed());
        assertTrue(md.contains("- Achieved " + Format.rps(f.achievedRps()) + " (target 50 rps)"), md);
        assertTrue(md.contains("- p99 latency " + Format.ms(f.p99Ms())), md);
        assertTrue(md.contains("(" + f.failed() + " of " + f.completed() + " requests)"), md);
        assertTrue(f.failed() > 0 && f.completed() > f.failed());
        assertTrue(md.contains("- RTO kill-one-pod: 4.5 s ✅ PASS"), "from the rto result");
        assertTrue(md.contains("- RTO pause-region-a: not measured"), md);
        assertTrue(md.contains("report.html"));
    }

    @Test
    void rtoFallsBackToTheRecoveredEvent() {
        RunReport r = SampleRuns.failed();
        List<SloResult> noRto = r.results().stream().filter(res -> !res.slo().equals("rto")).toList();
        String md = MarkdownReport.render(SampleRuns.withExit(r, 1, noRto));
        // injected at +5 s, RECOVERED at +9.5 s
        assertTrue(md.contains("- RTO kill-one-pod: 4.5 s\n"), md);
    }

    private static String headline(String md) {
        return md.lines().findFirst().orElseThrow();
    }

    private static List<String> rows(String md) {
        return md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Verdict")).toList();
    }
}
