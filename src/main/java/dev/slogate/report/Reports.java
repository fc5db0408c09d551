package dev.slogate.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The four report files of a run, written together into its report directory. */
public final class Reports {
    private Reports() {
    }

    /** JSON first: if a later writer fails, the data to re-render everything is already on disk. */
    public static List<ReportWriter> writers() {
        return List.of(new JsonReport(), new JunitReport(), new HtmlReport(), new MarkdownReport());
    }

    /** Creates {@code dir} if needed and writes report.json, junit.xml, report.html and summary.md; returns their paths. */
    public static List<Path> writeAll(RunReport r, Path dir) throws IOException {
        return write(r, dir, writers());
    }

    /**
     * Re-renders junit.xml, report.html and summary.md of a report directory from its report.json, e.g. after
     * merging injectors or upgrading slogate; returns the paths written.
     */
    public static List<Path> rerender(Path dir) throws IOException {
        RunReport r = JsonReport.read(dir);
        return write(r, dir, writers().stream().filter(w -> !(w instanceof JsonReport)).toList());
    }

    private static List<Path> write(RunReport r, Path dir, List<ReportWriter> writers) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (ReportWriter w : writers) {
            w.write(r, dir);
            written.add(dir.resolve(w.fileName()));
        }
        return List.copyOf(written);
    }
}
