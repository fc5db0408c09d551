package dev.slogate.report;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.JourneySummary;
import dev.slogate.probe.ProbeResult;
import dev.slogate.slo.SloResult;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.util.List;

/**
 * Everything a run produced, the source of every report file. {@code exitCode} follows the CLI's codes
 * (0 met, 1 failed, 2 not run, 3 stopped, 4 inconclusive); {@code outcome} says why in one sentence. {@code probes}:
 * the write-integrity probes' results, empty without probes. {@code problems}: why a run with exit 2 never started
 * (invalid input, unreachable infrastructure), one entry per problem; empty for a run that ran.
 */
public record RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                        int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                        List<ClientSecond> client, List<String> notes, List<ProbeResult> probes, List<String> problems,
                        List<JourneySummary> journeys) {
    public static final int SCHEMA_VERSION = 1;

    /** A run without journeys. */
    public RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                     int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                     List<ClientSecond> client, List<String> notes, List<ProbeResult> probes, List<String> problems) {
        this(schemaVersion, runId, scenario, target, startMillis, endMillis, exitCode, outcome, events, windows, results,
                client, notes, probes, problems, List.of());
    }

    /** A run that ran (no problems before the start). */
    public RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                     int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                     List<ClientSecond> client, List<String> notes, List<ProbeResult> probes) {
        this(schemaVersion, runId, scenario, target, startMillis, endMillis, exitCode, outcome, events, windows, results,
                client, notes, probes, List.of());
    }

    /** A run without probes. */
    public RunReport(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                     int exitCode, String outcome, List<Event> events, List<Window> windows, List<SloResult> results,
                     List<ClientSecond> client, List<String> notes) {
        this(schemaVersion, runId, scenario, target, startMillis, endMillis, exitCode, outcome, events, windows, results,
                client, notes, List.of());
    }

    public RunReport {
        probes = probes == null ? List.of() : List.copyOf(probes);
        problems = problems == null ? List.of() : List.copyOf(problems);
        journeys = journeys == null ? List.of() : List.copyOf(journeys);
        events = List.copyOf(events);
        windows = List.copyOf(windows);
        results = List.copyOf(results);
        client = List.copyOf(client);
        notes = List.copyOf(notes);
    }

    /**
     * A run that never started (exit 2): no load, no verdicts, only the problems that stopped it, so the report
     * directory a CI step reads still says why.
     */
    public static RunReport notRun(String runId, String scenario, String target, long atMillis, List<String> problems) {
        int n = problems.size();
        String outcome = "Not run: " + n + (n == 1 ? " problem" : " problems")
                + " with the input or the infrastructure before the load started; nothing was injected.";
        return new RunReport(SCHEMA_VERSION, runId, scenario, target, atMillis, atMillis, 2, outcome, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), problems);
    }

    /** This report with another exit code and outcome, e.g. inconclusive because a report file could not be written. */
    public RunReport withOutcome(int newExitCode, String newOutcome) {
        return new RunReport(schemaVersion, runId, scenario, target, startMillis, endMillis, newExitCode, newOutcome, events,
                windows, results, client, notes, probes, problems, journeys);
    }
}
