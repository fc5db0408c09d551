package dev.slogate.slo;

import java.io.IOException;

/**
 * Where the earlier runs named by objectives' {@code baseline} come from (the reports folder, read by
 * {@code report.ReportBaselines}). The evaluation asks once per name and keeps the answer for the run.
 */
public interface Baselines {
    /** The run {@code ref} names (a report folder, a report.json or a run id); throws saying why it cannot be read. */
    BaselineRun load(String ref) throws IOException;

    /** No earlier runs at all: every objective with a baseline has no data. */
    Baselines NONE = ref -> {
        throw new IOException("this evaluation reads no earlier runs");
    };
}
