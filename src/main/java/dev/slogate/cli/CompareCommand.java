package dev.slogate.cli;

import dev.slogate.report.Comparison;
import dev.slogate.report.ComparisonReport;
import dev.slogate.report.JsonReport;
import dev.slogate.report.ReportBaselines;
import dev.slogate.report.Reports;
import dev.slogate.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare a run with a baseline run: every SLO x window side by side with its change, and the client "
                + "latency distributions overlaid. Writes compare.md, compare.html and compare.json into RUN (or --out).",
                "Exit 0: nothing got worse beyond the tolerance; 1: something did; 2: RUN cannot be read or bad options; "
                        + "4: the baseline is missing, unreadable or not comparable (another scenario, no result in common)."},
        footerHeading = "%nExamples:%n",
        footer = {"  slogate compare reports/20261201-101500-checkout reports/20261202-101500-checkout",
                "  slogate compare 20261201-101500-checkout 20261202-101500-checkout --tolerance 5%% --out ci"})
final class CompareCommand implements Callable<Integer> {
    @Mixin
    Workspace workspace;

    @Parameters(index = "0", paramLabel = "BASE", description = "The baseline: a run's report folder, or its run id in the reports folder.")
    String base;

    @Parameters(index = "1", paramLabel = "RUN", description = "The run to judge: a report folder, or a run id in the reports folder.")
    String run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the comparison files go (default: the folder of RUN).")
    Path out;

    @Option(names = "--tolerance", paramLabel = "PCT", defaultValue = "10%",
            description = "How much worse a time or other value may get, as a share of the baseline's (default: ${DEFAULT-VALUE}).")
    String tolerance;

    @Option(names = "--ratio-tolerance", paramLabel = "PCT", defaultValue = "0.1%",
            description = "How much worse a ratio (error rate, availability) may get, in percentage points (default: ${DEFAULT-VALUE}).")
    String ratioTolerance;

    @Override
    public Integer call() {
        Double share = percent("--tolerance", tolerance);
        Double points = percent("--ratio-tolerance", ratioTolerance);
        if (share == null || points == null) {
            return 2;
        }
        Path runPath;
        RunReport after;
        try {
            runPath = ReportBaselines.locate(workspace.reportsDir, run);
            after = JsonReport.read(runPath);
        } catch (IOException e) {
            System.out.println("error: run " + run + ": " + Reports.reason(e));
            return 2;
        }
        RunReport before;
        try {
            before = JsonReport.read(ReportBaselines.locate(workspace.reportsDir, base));
        } catch (IOException e) {
            System.out.println("error: baseline " + base + ": " + Reports.reason(e) + "; nothing compared (exit 4, never a pass)");
            return 4;
        }
        Comparison c = Comparison.of(before, after, share, points);
        Path dir = out != null ? out : Files.isDirectory(runPath) ? runPath : runPath.toAbsolutePath().getParent();
        List<Path> files;
        try {
            files = ComparisonReport.write(c, dir);
        } catch (IOException e) {
            System.out.println(ComparisonReport.markdown(c));
            System.out.println("error: " + Reports.reason(e) + "; a comparison that could not be written is inconclusive (exit 4)");
            return 4;
        }
        System.out.println(ComparisonReport.markdown(c));
        System.out.println("Comparison: " + files.get(files.size() - 1).toAbsolutePath() + " (exit " + c.exitCode() + ")");
        return c.exitCode();
    }

    /** "10%" or "0.1" as a fraction; null after printing what is wrong. */
    private static Double percent(String option, String text) {
        String t = text.strip();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100 : Double.parseDouble(t);
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.out.println("error: " + option + " " + text + " is not a percentage; write e.g. " + option + " "
                + (option.contains("ratio") ? "0.1%" : "10%"));
        return null;
    }
}
