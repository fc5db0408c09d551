package dev.slogate.report;

import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * {@code summary.md}: sized for a CI job summary (append it to {@code $GITHUB_STEP_SUMMARY}): one headline whose mark
 * follows the exit code, the results with failures first, the key figures, and where to find report.html.
 */
public final class MarkdownReport implements ReportWriter {
    public static final String FILE_NAME = "summary.md";

    @Override
    public String fileName() {
        return FILE_NAME;
    }

    @Override
    public void write(RunReport r, Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE_NAME), render(r), StandardCharsets.UTF_8);
    }

    /** ✅ met, ❌ failed or stopped, ⚠️ inconclusive or not run. */
    public static String mark(int exitCode) {
        return switch (exitCode) {
            case 0 -> "✅";
            case 1, 3 -> "❌";
            default -> "⚠️";
        };
    }

    public static String render(RunReport r) {
        RunFigures f = RunFigures.of(r);
        long failed = r.results().stream().filter(res -> res.verdict() == Verdict.FAIL).count();
        long noData = r.results().stream().filter(res -> res.verdict() == Verdict.NO_DATA).count();
        StringBuilder b = new StringBuilder();
        b.append("## ").append(mark(r.exitCode())).append(' ').append(cell(r.scenario())).append(": ")
                .append(Format.exitMeaning(r.exitCode())).append(" (exit ").append(r.exitCode()).append(")\n\n");
        if (r.outcome() != null && !r.outcome().isBlank()) {
            b.append(cell(r.outcome())).append("\n\n");
        }
        if (!r.problems().isEmpty()) { // never started: nothing measured, only why
            b.append("Run `").append(code(r.runId())).append("` · ").append(Format.instant(r.startMillis()))
                    .append(" · fix these and run again:\n\n");
            for (String p : r.problems()) {
                List<String> lines = p.lines().toList();
                b.append("- ").append(cell(lines.isEmpty() ? "" : lines.get(0))).append('\n');
                lines.stream().skip(1).forEach(l -> b.append("  ").append(cell(l.strip())).append('\n'));
            }
            return b.toString();
        }
        b.append("Run `").append(code(r.runId())).append("` against `").append(code(r.target())).append("` · ")
                .append(Format.instant(r.startMillis())).append(" · ")
                .append(Format.seconds((r.endMillis() - r.startMillis()) / 1000.0)).append(" · ")
                .append(failed).append(" of ").append(r.results().size()).append(" SLO checks failed");
        if (noData > 0) {
            b.append(", ").append(noData).append(" without data");
        }
        b.append("\n\n");

        if (!r.results().isEmpty()) {
            b.append("| Verdict | SLO | Window | Source | Objective | Measured |\n|---|---|---|---|---|---|\n");
            for (SloResult res : failuresFirst(r.results())) {
                b.append("| ").append(verdict(res.verdict())).append(" | ").append(cell(res.slo())).append(" | ")
                        .append(cell(res.window())).append(" | ").append(cell(res.source())).append(" | ")
                        .append(cell(res.objective())).append(" | ").append(cell(Format.measured(res))).append(" |\n");
            }
            b.append('\n');
            List<SloResult> notPassed = failuresFirst(r.results()).stream().filter(res -> res.verdict() != Verdict.PASS)
                    .toList();
            for (SloResult res : notPassed) {
                b.append("- ").append(verdict(res.verdict())).append(' ').append(cell(Format.sentence(res))).append('\n');
            }
            if (!notPassed.isEmpty()) {
                b.append('\n');
            }
        }

        b.append("**Key figures**\n\n");
        b.append("- Achieved ").append(Format.rps(f.achievedRps())).append(" (target ").append(r.journeys().isEmpty() || f.targetRps() == null
                ? Format.rps(f.targetRps()) : Format.number(f.targetRps()) + " users/s walking journeys").append(")\n");
        r.journeys().forEach(j -> b.append("- ").append(cell(Format.journey(j))).append('\n'));
        b.append("- p99 latency ").append(Format.ms(f.p99Ms())).append(" (p50 ").append(Format.ms(f.p50Ms()))
                .append(", max ").append(Format.ms(f.maxMs())).append(")\n");
        b.append("- Errors ").append(Format.percent(f.errorPercent())).append(" (").append(f.failed()).append(" of ")
                .append(f.completed()).append(" requests)\n");
        for (RunFigures.Recovery rec : f.recoveries()) {
            b.append("- RTO ").append(cell(rec.fault())).append(": ").append(cell(rec.shown()));
            if (rec.verdict() != null) {
                b.append(' ').append(verdict(rec.verdict()));
            }
            b.append('\n');
        }
        for (ProbeSummary.Probe p : ProbeSummary.of(r)) {
            b.append("- ").append(cell(p.headline())).append('\n');
            p.faults().forEach(x -> b.append("  - ").append(cell(x)).append('\n'));
        }
        b.append("\nCharts and the full timeline: `report.html` in this run's report directory "
                + "(upload the directory as a CI artifact to open it).\n");
        return b.toString();
    }

    /** FAIL, then NO_DATA, then PASS; the order within each group is kept. */
    static List<SloResult> failuresFirst(List<SloResult> results) {
        return results.stream().sorted(Comparator.comparingInt(res -> switch (res.verdict()) {
            case FAIL -> 0;
            case NO_DATA -> 1;
            case PASS -> 2;
        })).toList();
    }

    private static String verdict(Verdict v) {
        return switch (v) {
            case PASS -> "✅ PASS";
            case FAIL -> "❌ FAIL";
            case NO_DATA -> "⚠️ NO DATA";
        };
    }

    /** Text that can sit in a table cell without breaking it or being read as markup. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\n', '\r' -> b.append(' ');
                case '|', '\\', '`', '*', '_', '[', ']' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String code(String s) {
        return s == null ? "" : s.replace('`', '\'').replace('\n', ' ');
    }
}
