package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.report.JsonReport;
import dev.slogate.report.JunitReport;
import dev.slogate.report.MarkdownReport;
import dev.slogate.report.ReportWriter;
import dev.slogate.report.RunReport;
import dev.slogate.timeline.Window;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConclusionTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    /** Writes half of report.html, then fails as a full disk does. */
    static final class DiskFullHalfway implements ReportWriter {
        @Override
        public String fileName() {
            return "report.html";
        }

        @Override
        public void write(RunReport r, Path dir) throws IOException {
            Files.writeString(dir.resolve(fileName()), "<!DOCTYPE html>\n<html><body><h1>half a rep");
            throw new IOException("No space left on device");
        }
    }

    private static RunReport met() {
        long t = 1_700_000_000_000L;
        return new RunReport(RunReport.SCHEMA_VERSION, "gate-7", "checkout", "http://127.0.0.1:1", t, t + 5_000, 0,
                "Every SLO met (0 checks).", List.of(), List.of(new Window("run", t, t + 5_000)), List.of(), List.of(), List.of());
    }

    @Test
    void aReportFileThatCannotBeWrittenMakesAPassInconclusiveEverywhere() throws Exception {
        Conclusion c = Conclusion.write(met(), tmp, List.of(new JsonReport(), new JunitReport(), new DiskFullHalfway(),
                new MarkdownReport()), out);
        Path dir = tmp.resolve("gate-7");
        assertEquals(ExitCode.INCONCLUSIVE, c.exitCode());
        assertFalse(Files.exists(dir.resolve("report.html")), "no half file under the final name");
        try (var left = Files.list(dir)) {
            assertEquals(List.of("junit.xml", "report.json", "summary.md"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left either");
        }
        RunReport onDisk = JsonReport.read(dir);
        assertEquals(4, onDisk.exitCode(), "report.json says what the process returns");
        assertTrue(onDisk.outcome().contains("report.html: No space left on device"), onDisk.outcome());
        assertTrue(onDisk.outcome().contains("the run's own verdict, exit 0: Every SLO met"), "the run's own verdict is kept: " + onDisk.outcome());
        assertTrue(Files.readString(dir.resolve("junit.xml")).contains("slogate.exitCode\" value=\"4\""));
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("(exit 4)"));

        int printed = c.print(out);
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(4, printed);
        assertTrue(text.contains("error: could not write " + dir.resolve("report.html") + ": No space left on device"), text);
        assertTrue(text.contains("(exit 4)"), text);
        assertFalse(text.contains("Report: " + dir.resolve("report.html")), "no Report: line for a missing file:\n" + text);
        assertTrue(text.contains("Report: " + dir.resolve("summary.md")), text);
    }

    @Test
    void aReportsFolderThatIsAFileIsInconclusiveAndNamesWhy() throws Exception {
        Path file = tmp.resolve("reports");
        Files.writeString(file, "not a folder");
        Conclusion c = Conclusion.write(met(), file, out);
        assertEquals(4, c.exitCode());
        assertTrue(c.files().isEmpty());
        c.print(out);
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("error: could not write report.json: cannot use the reports folder " + file + ": " + file
                + " exists and is not a directory"), text);
        assertFalse(text.contains("Report:"), text);
    }

    @Test
    void aRunThatNeverStartedKeepsExitTwo() {
        Conclusion c = Conclusion.write(RunReport.notRun("bad-1", "s", "", 1L, List.of("s.yaml:3:1: unknown key")),
                tmp, List.of(new JsonReport(), new DiskFullHalfway()), out);
        assertEquals(2, c.exitCode());
        assertEquals(List.of(tmp.resolve("bad-1").resolve("report.json")), c.files().stream().map(p -> p.toAbsolutePath()).toList());
    }
}
