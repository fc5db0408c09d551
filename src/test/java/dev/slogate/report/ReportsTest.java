package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @TempDir
    Path tmp;

    @Test
    void writesAllFourFilesIntoANewDirectory() throws Exception {
        Path dir = tmp.resolve("reports/run-1");
        List<Path> written = Reports.writeAll(SampleRuns.failed(), dir);
        assertEquals(List.of("report.json", "junit.xml", "report.html", "summary.md"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        for (Path p : written) {
            assertEquals(dir, p.getParent());
            assertTrue(Files.size(p) > 100, p + " has content");
        }
    }

    @Test
    void rerenderFromJsonGivesTheSameFiles() throws Exception {
        Path dir = tmp.resolve("run");
        Reports.writeAll(SampleRuns.failed(), dir);
        String html = Files.readString(dir.resolve("report.html"));
        String junit = Files.readString(dir.resolve("junit.xml"));
        String md = Files.readString(dir.resolve("summary.md"));
        Files.delete(dir.resolve("report.html"));
        Files.writeString(dir.resolve("summary.md"), "stale");

        List<Path> written = Reports.rerender(dir);
        assertEquals(3, written.size());
        assertEquals(html, Files.readString(dir.resolve("report.html")));
        assertEquals(junit, Files.readString(dir.resolve("junit.xml")));
        assertEquals(md, Files.readString(dir.resolve("summary.md")));
    }
}
