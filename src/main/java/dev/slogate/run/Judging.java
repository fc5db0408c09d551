package dev.slogate.run;

import dev.slogate.experiment.Scenario;
import dev.slogate.fault.kubernetes.ClusterCapacity;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadResult;
import dev.slogate.probe.ProbeResult;
import dev.slogate.report.ReportBaselines;
import dev.slogate.report.RunReport;
import dev.slogate.sandbox.DatabaseState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.slo.CapacityHistory;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.slo.SloEvaluator;
import dev.slogate.slo.SloResult;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The end of a run that ran: what the target saw besides the client (the sandbox database's failovers, the capacity
 * history), every SLO judged over every window, the outcome, and the report that says it all.
 *
 * @param sandbox  the sandbox in use, or null
 * @param prometheus the target's Prometheus, or null
 * @param replicas replica watches of scaling objectives that read the Kubernetes API, or null
 * @param reportsDir where earlier runs are, for objectives relative to a baseline
 */
record Judging(Scenario scenario, String runId, RunLog log, SandboxClient sandbox, PrometheusClient prometheus,
               ClusterCapacity replicas, Path reportsDir) {

    /** The sandbox database's failovers and rejoins, on the timeline. */
    void failoverEvents() {
        try {
            DatabaseState db = sandbox == null ? null : sandbox.state().database();
            if (db != null) {
                db.failovers().forEach(f -> log.record(new Event(f.promotedMillis(), Event.Kind.FAILOVER, "database", f.to()
                        + " promoted to primary " + (f.promotedMillis() - f.primaryLostMillis()) + " ms after " + f.from() + " was lost")));
                db.rejoins().forEach(r -> log.record(new Event(r.endedMillis(), Event.Kind.NOTE, "database", r.failure() == null
                        ? r.server() + " rejoined as the standby of " + r.primary() + " (rebuilt and streaming in "
                                + (r.endedMillis() - r.startedMillis()) + " ms)"
                        : "rejoining " + r.server() + " as the standby of " + r.primary() + " failed: " + r.failure()
                                + "; a later outage of " + r.primary() + "'s region cannot fail over")));
            }
        } catch (RuntimeException e) {
            log.note("could not read the sandbox's failovers: " + e.getMessage());
        }
    }

    /**
     * Judges the run from {@code start} to {@code end} (epoch ms) and assembles its report; {@code loadNotes} are the
     * load driver's, {@code stopReason} the stop condition or interruption that ended it early (or null).
     */
    RunReport judge(String baseUrl, long start, long end, ClientTimeline timeline, LoadResult load, List<String> loadNotes,
                    List<FaultSpan> spans, List<ProbeResult> probeResults, String stopReason) {
        List<Window> windows = Windows.of(start, end, spans, ScalingTimeline.steps(scenario, start));
        CapacityHistory capacity = ScalingTimeline.capacity(scenario, sandbox, prometheus, log.events, log.notes);
        if (replicas != null) {
            capacity = replicas.history(capacity);
            log.notes.addAll(replicas.notes(start, end));
        }
        SloEvaluator.Evaluation evaluation = new SloEvaluator(prometheus, capacity).withProbes(probeResults)
                .withBaselines(new ReportBaselines(reportsDir))
                .evaluateWithRecoveries(scenario.slos(), windows, timeline.seconds(), spans);
        List<SloResult> results = evaluation.results();
        evaluation.recoveries().forEach(r -> r.event().ifPresent(log::record));
        log.sortEvents();

        log.notes.addAll(loadNotes);
        if (timeline.forcedTimeouts() > 0) {
            log.note(timeline.forcedTimeouts() + " requests had no outcome by the request timeout + "
                    + "2 s after their second and count as timeouts of the second they were sent in (request "
                    + ClientTimeline.UNANSWERED + ")");
        }
        if (timeline.lateRecords() > 0) {
            log.note(timeline.lateRecords() + " request outcomes arrived after their second was final and are in no"
                    + " second (the injector was starved of CPU?)");
        }
        // a feeder that ran out changed the load the scenario asked for: the verdicts describe another load
        List<String> shortages = timeline.journeys().shortages();
        Outcome judged = Outcome.judge(stopReason, load.saturated() || !shortages.isEmpty(),
                shortages.isEmpty() ? load.message() : String.join("; ", shortages) + "; give the feeder more rows or use"
                        + " strategy: circular", results);
        boolean journeys = scenario.load().hasJourneys();
        double perUser = scenario.load().requestsPerArrival();
        load.stages().forEach(s -> log.note(journeys
                ? String.format(Locale.ROOT, "stage %d (%s): target %.1f users/s (%.1f requests/s once every user walks its"
                        + " journey), achieved %.1f requests/s", s.index() + 1, s.kind(), s.targetRps(), s.targetRps() * perUser,
                        s.achievedRps())
                : String.format(Locale.ROOT, "stage %d (%s): target %.1f rps, achieved %.1f rps",
                s.index() + 1, s.kind(), s.targetRps(), s.achievedRps())));
        return new RunReport(RunReport.SCHEMA_VERSION, runId, scenario.name(), baseUrl, start, end, judged.exitCode(),
                judged.text(), log.events(), windows, results, timeline.seconds(), log.notes(), probeResults, List.of(),
                timeline.journeys().summaries());
    }
}
