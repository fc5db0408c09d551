package dev.slogate.run;

import dev.slogate.experiment.Scenario;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LiveSecond;
import dev.slogate.report.RunReport;
import dev.slogate.timeline.Event;
import java.util.List;

/**
 * Whoever watches a run as it goes (the live dashboard, the injector's fault metrics, Grafana annotations), told
 * what the report will say, as it happens. Called from the run's own threads: an implementation returns quickly and
 * never throws (a failing watcher must not end a run; {@link ExperimentRun} notes and drops one that does).
 */
public interface RunListener {
    /** The load's clock started (its first scheduled user): second 0 of every window is at {@code startMillis}. */
    default void started(String runId, Scenario scenario, long startMillis) {
    }

    /** Each second, what it saw so far, stalls included (not final: see {@link #second}). */
    default void live(LiveSecond second) {
    }

    /** Each second once final (every request sent in it has an outcome), in order: what judging reads. */
    default void second(ClientSecond second) {
    }

    /** Every event of the timeline (stage starts, injections, reverts, stop conditions, failovers, recoveries). */
    default void event(Event event) {
    }

    /**
     * What this watcher has to say in the report (a Grafana it could not reach, say), asked once just before the
     * report of a run that ran is written; it may wait a little for its own pending work, never long.
     */
    default List<String> notes() {
        return List.of();
    }

    /** The run is judged and its report written (also for a run that never started: then without {@link #started}). */
    default void finished(RunReport report) {
    }
}
