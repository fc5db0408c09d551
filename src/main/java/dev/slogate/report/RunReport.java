package dev.slogate.report;

import dev.slogate.load.ClientSecond;
import dev.slogate.probe.ProbeResult;
import dev.slogate.slo.SloResult;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.util.List;

/**
 * Everything a run produced, the source of every report file. {@code exitCode} follows the CLI's codes
 * (0 met, 1 failed, 3 stopped, 4 inconclusive); {@code outcome} says why in one sentence. {@code probes}: the
 * write-integrity probes' results, empty without probes.
 */
public record RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                        int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                        List<ClientSecond> client, List<String> notes, List<ProbeResult> probes) {
    public static final int SCHEMA_VERSION = 1;

    /** A run without probes. */
    public RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                     int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                     List<ClientSecond> client, List<String> notes) {
        this(schemaVersion, runId, scenario, target, startMillis, endMillis, exitCode, outcome, events, windows, results,
                client, notes, List.of());
    }

    public RunReport {
        probes = probes == null ? List.of() : List.copyOf(probes);
        events = List.copyOf(events);
        windows = List.copyOf(windows);
        results = List.copyOf(results);
        client = List.copyOf(client);
        notes = List.copyOf(notes);
    }
}
