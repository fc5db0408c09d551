package dev.slogate.run;

import dev.slogate.report.HtmlReport;
import dev.slogate.report.ReportWriter;
import dev.slogate.report.Reports;
import dev.slogate.report.RunIndex;
import dev.slogate.report.RunReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of every run: its report files are written and the exit code is made to agree with them. A run whose report
 * could not be written completely is inconclusive (exit 4; a run that never started keeps its 2): the files that could
 * be written are written again with that code, so the console, report.json and the process exit code say the same.
 *
 * @param report the report as it is on disk (with the code the process returns)
 * @param files the report files that exist, complete
 */
public record Conclusion(RunReport report, List<Path> files) {

    public Conclusion {
        files = List.copyOf(files);
    }

    public int exitCode() {
        return report.exitCode();
    }

    /**
     * Writes the four report files of {@code report} into {@code reportsDir/<run-id>/} and updates the folder's
     * index.html; problems are printed to {@code out}. The index is not part of the run's report: a failure to update it
     * is a warning and leaves the exit code alone.
     */
    public static Conclusion write(RunReport report, Path reportsDir, PrintStream out) {
        Conclusion done = write(report, reportsDir, Reports.writers(), out);
        if (!done.files().isEmpty()) { // no run folder, no index: nothing is written where the run could not write
            try {
                RunIndex.update(reportsDir);
            } catch (IOException | RuntimeException e) {
                out.println("warning: could not update " + reportsDir.resolve(RunIndex.HTML) + ": " + Reports.reason(e));
            }
        }
        return done;
    }

    static Conclusion write(RunReport report, Path reportsDir, List<ReportWriter> writers, PrintStream out) {
        Reports.Written written = writeInto(report, reportsDir, writers);
        if (written.complete()) {
            return new Conclusion(report, written.files());
        }
        written.failures().forEach((file, why) -> out.println("error: could not write " + (written.dir() == null ? file
                : written.dir().resolve(file)) + ": " + why));
        if (report.exitCode() == ExitCode.INVALID) {
            return new Conclusion(report, written.files());
        }
        List<String> failed = new ArrayList<>();
        written.failures().forEach((file, why) -> failed.add(file + ": " + why));
        RunReport inconclusive = report.withOutcome(ExitCode.INCONCLUSIVE, "Inconclusive: the report could not be written"
                + " completely (" + String.join("; ", failed) + "); the run's own verdict, exit " + report.exitCode() + ": "
                + report.outcome());
        if (written.dir() == null) { // no folder to write into
            return new Conclusion(inconclusive, List.of());
        }
        // the same files again, now saying 4; one that fails this time is removed rather than left saying the old code
        Reports.Written again = Reports.write(inconclusive, written.dir(), writers);
        return new Conclusion(inconclusive, again.files());
    }

    private static Reports.Written writeInto(RunReport report, Path reportsDir, List<ReportWriter> writers) {
        Path dir;
        try {
            dir = Reports.directory(reportsDir, report.runId());
        } catch (IOException e) {
            Map<String, String> failures = new LinkedHashMap<>();
            writers.forEach(w -> failures.put(w.fileName(), e.getMessage()));
            return new Reports.Written(null, List.of(), failures);
        }
        return Reports.write(report, dir, writers);
    }

    /**
     * Prints the outcome with its exit code and where the report is (only files that exist: report.html, or each file
     * written when it is missing); returns the exit code.
     */
    public int print(PrintStream out) {
        out.println(report.outcome() + " (exit " + exitCode() + ")");
        Path html = files.stream().filter(f -> f.getFileName().toString().equals(HtmlReport.FILE_NAME)).findFirst().orElse(null);
        if (html != null) {
            out.println("Report: " + html.toAbsolutePath());
        } else {
            files.forEach(f -> out.println("Report: " + f.toAbsolutePath()));
        }
        out.flush();
        return exitCode();
    }
}
