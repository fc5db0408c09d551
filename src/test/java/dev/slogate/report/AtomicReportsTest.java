package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report files appear complete under their final names or not at all, and only inside the reports folder. */
class AtomicReportsTest {
    @TempDir
    Path tmp;

    private Path base;

    @BeforeEach
    void realBase() throws IOException {
        base = tmp.toRealPath();
    }

    /** Writes the start of its file and fails midway. */
    private static final class Breaks implements ReportWriter {
        @Override
        public String fileName() {
            return HtmlReport.FILE_NAME;
        }

        @Override
        public void write(RunReport r, Path dir) throws IOException {
            Files.writeString(dir.resolve(fileName()), HtmlReport.render(r).substring(0, 4096));
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aWriterThatFailsMidwayLeavesNoFileUnderItsNameAndTheOthersAreWritten() throws Exception {
        Path dir = base.resolve("run-1");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.html"), "an older run's page"); // same run id used before
        List<Boolean> halfPageGone = new java.util.ArrayList<>();
        ReportWriter next = new ReportWriter() {
            @Override
            public String fileName() {
                return MarkdownReport.FILE_NAME;
            }

            @Override
            public void write(RunReport r, Path staging) throws IOException {
                halfPageGone.add(Files.notExists(staging.resolve("report.html"))); // on a full disk, the next file needs its space
                new MarkdownReport().write(r, staging);
            }
        };
        Reports.Written w = Reports.write(SampleRuns.failed(), dir, List.of(new JsonReport(), new Breaks(), next));
        assertEquals(List.of(true), halfPageGone);
        assertFalse(w.complete());
        assertEquals(java.util.Map.of("report.html", "No space left on device"), w.failures());
        assertEquals(List.of(dir.resolve("report.json"), dir.resolve("summary.md")), w.files());
        assertFalse(Files.exists(dir.resolve("report.html")), "neither the half page nor the older one passes for this run's");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("report.json", "summary.md"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
        IOException all = assertThrows(IOException.class, () -> Reports.writeAll(SampleRuns.failed(), base.resolve("x").resolve("..")
                .resolve("run-1").resolve("report.json")));
        assertTrue(all.getMessage().contains("report.json") && all.getMessage().contains("is not a directory"), all.getMessage());
    }

    @Test
    void aReportsFolderThatIsAFileIsNamedWithTheReason() throws Exception {
        Path file = base.resolve("reports");
        Files.writeString(file, "x");
        Reports.Written w = Reports.write(SampleRuns.failed(), file.resolve("run-1"), Reports.writers());
        assertEquals(List.of("report.json", "junit.xml", "report.html", "summary.md"), List.copyOf(w.failures().keySet()));
        w.failures().values().forEach(why -> assertEquals(file + " is a file, not a directory", why));
        IOException e = assertThrows(IOException.class, () -> Reports.directory(file, "run-1"));
        assertTrue(e.getMessage().contains("cannot use the reports folder " + file), e.getMessage());
    }

    @Test
    void theReportDirectoryLiesDirectlyInsideTheReportsFolder() throws Exception {
        Path reports = base.resolve("reports");
        assertEquals(reports.resolve("gate-7"), Reports.directory(reports, "gate-7"));
        assertEquals(reports.resolve("gate-7"), Reports.directory(base.resolve("other/../reports/."), "gate-7"), "normalized");
        for (String id : List.of("..", ".", "../elsewhere", "a/b", "/etc", "")) {
            IOException e = assertThrows(IOException.class, () -> Reports.directory(reports, id), id);
            assertTrue(e.getMessage().contains("inside"), e.getMessage());
        }
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.createSymbolicLink(reports.resolve("linked"), outside);
        IOException link = assertThrows(IOException.class, () -> Reports.directory(reports, "linked"));
        assertTrue(link.getMessage().contains("outside the reports folder"), link.getMessage());

        Path viaLink = Files.createSymbolicLink(base.resolve("reports-link"), reports);
        assertEquals(reports.resolve("gate-8"), Reports.directory(viaLink, "gate-8"), "a linked reports folder is its real path");
    }

    @Test
    void aRunThatNeverStartedRendersItsProblemsInEveryFile() throws Exception {
        RunReport r = RunReport.notRun("bad-1", "checkout", "", SampleRuns.START, List.of(
                "scenarios/checkout.yaml:7:3: unknown key 'duraton'\n  hint: did you mean 'duration'?",
                "target http://127.0.0.1:1 is unreachable <connection refused>"));
        Path dir = base.resolve("bad-1");
        Reports.writeAll(r, dir);

        RunReport read = JsonReport.read(dir);
        assertEquals(2, read.exitCode());
        assertEquals(r.problems(), read.problems());
        assertTrue(read.outcome().startsWith("Not run: 2 problems"), read.outcome());

        String junit = Files.readString(dir.resolve("junit.xml"));
        assertTrue(junit.contains("tests=\"2\"") && junit.contains("errors=\"2\""), junit);
        assertTrue(junit.contains("name=\"problem 1\"") && junit.contains("message=\"scenarios/checkout.yaml:7:3: unknown key &apos;duraton&apos;\"")
                || junit.contains("message=\"scenarios/checkout.yaml:7:3: unknown key 'duraton'\""), junit);
        assertTrue(junit.contains("name=\"problem 2\"") && junit.contains("&lt;connection refused&gt;"), junit);
        assertFalse(junit.contains(JunitReport.RUN_CASE), "the problems explain the exit code: " + junit);

        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("(exit 2)") && md.contains("unknown key 'duraton'") && md.contains("did you mean"), md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<h2>Problems</h2>") && html.contains("&lt;connection refused&gt;"), html);

        List<Path> again = Reports.rerender(dir); // slogate report re-renders a not-run report too
        assertEquals(3, again.size());
        assertEquals(md, Files.readString(dir.resolve("summary.md")));
    }
}
