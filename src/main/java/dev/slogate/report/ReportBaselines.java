package dev.slogate.report;

import dev.slogate.slo.BaselineRun;
import dev.slogate.slo.Baselines;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Earlier runs from their report.json, for objectives with a {@code baseline} and for {@code slogate compare}. A
 * reference is a report folder or a report.json (relative to the working directory), else a run id in the reports
 * folder.
 */
public final class ReportBaselines implements Baselines {
    private final Path reportsDir;

    public ReportBaselines(Path reportsDir) {
        this.reportsDir = reportsDir;
    }

    @Override
    public BaselineRun load(String ref) throws IOException {
        RunReport r = JsonReport.read(locate(reportsDir, ref));
        return new BaselineRun(r.runId(), r.scenario(), r.windows(), r.client(), faults(r.windows()));
    }

    /** The report.json or report folder {@code ref} names; throws saying where it looked. */
    public static Path locate(Path reportsDir, String ref) throws IOException {
        try {
            Path p = Path.of(ref);
            if (Files.exists(p)) {
                return p;
            }
            if (reportsDir != null && p.getNameCount() == 1 && Files.isDirectory(reportsDir.resolve(ref))) {
                return reportsDir.resolve(ref);
            }
        } catch (InvalidPathException e) {
            // not a path: said below
        }
        throw new IOException("no report folder '" + ref + "' here and no run '" + ref + "' in "
                + (reportsDir == null ? "the reports folder" : reportsDir.toAbsolutePath().normalize())
                + "; name the folder of an earlier run (reports/<run-id>) or its run id");
    }

    /** When each fault of a reported run was active: the spans of its fault windows. */
    static List<FaultSpan> faults(List<Window> windows) {
        List<FaultSpan> out = new ArrayList<>();
        for (Window w : windows) {
            String fault = Windows.faultOf(w.name());
            if (fault != null && !fault.isBlank()) {
                out.add(new FaultSpan(fault, w.startMillis(), w.endMillis(), w.cut()));
            }
        }
        return out;
    }
}
