package dev.slogate.report;

import java.io.IOException;
import java.nio.file.Path;

/** Renders a {@link RunReport} into one file of a report directory. */
public interface ReportWriter {
    /** Name of the file this writer produces inside the report directory, e.g. {@code report.json}. */
    String fileName();

    /** Writes {@code dir/fileName()}, replacing any previous version; {@code dir} must exist. */
    void write(RunReport r, Path dir) throws IOException;
}
