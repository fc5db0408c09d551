package dev.slogate.cli;

import dev.slogate.report.JsonReport;
import dev.slogate.report.Reports;
import dev.slogate.report.RunIndex;
import dev.slogate.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Re-render report.html, junit.xml and summary.md of a run from its report.json; exits with the run's code.",
                "With --index, rebuild index.html of the reports folder instead (every run, newest first, with trends); "
                        + "every run rewrites it by itself."},
        footerHeading = "%nExamples:%n", footer = {"  slogate report reports/20261127-101500-demo-gameday",
                "  slogate report --index --reports-dir reports"})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    Workspace workspace;

    @Parameters(index = "0", paramLabel = "RUN_DIR", arity = "0..1")
    Path dir;

    @Option(names = "--index", description = "Rebuild index.html of the reports folder (--reports-dir).")
    boolean index;

    @Override
    public Integer call() throws IOException {
        if (index) {
            if (!Files.isDirectory(workspace.reportsDir)) {
                System.out.println("error: " + workspace.reportsDir + " is not a folder; give the reports folder with --reports-dir");
                return 2;
            }
            Path html = RunIndex.update(workspace.reportsDir);
            System.out.println("Index: " + html.toAbsolutePath() + " (" + RunIndex.scan(workspace.reportsDir).size() + " runs)");
            return 0;
        }
        if (dir == null) {
            System.out.println("error: give the folder of a run (reports/<run-id>), or --index to rebuild the reports folder's index");
            return 2;
        }
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
