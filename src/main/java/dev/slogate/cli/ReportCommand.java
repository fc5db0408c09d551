package dev.slogate.cli;

import dev.slogate.report.JsonReport;
import dev.slogate.report.Reports;
import dev.slogate.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render report.html, junit.xml and summary.md of a run from its report.json; exits with the run's code.",
        footerHeading = "%nExample:%n", footer = "  slogate report reports/20261127-101500-demo-gameday")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path json = dir.resolve("report.json");
        if (!Files.exists(json)) {
            System.out.println("error: " + json + " does not exist; give the folder of a run (reports/<run-id>)");
            return 2;
        }
        RunReport report = JsonReport.read(json);
        Reports.rerender(dir);
        System.out.println(report.outcome() + " (exit " + report.exitCode() + ")");
        System.out.println("Report: " + dir.resolve("report.html").toAbsolutePath());
        return report.exitCode();
    }
}
