package dev.slogate.dashboard;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LiveSecond;
import dev.slogate.load.StatusClass;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A small run for the dashboard's tests: the e2e pod-kill scenario (fault kill-one at 8 s for 12 s) and made-up seconds. */
final class RunFixture {
    static final long START = 1_700_000_000_000L;

    private RunFixture() {
    }

    static Scenario scenario() {
        return new ExperimentLoader().loadScenario(Path.of("src/test/resources/e2e/pod-kill.yaml"));
    }

    /** Second {@code i} of the run: 100 sent, {@code failed} of them HTTP errors, latencies 10 ms (ok) and 900 ms (failed). */
    static ClientSecond second(int i, int failed) {
        Histogram ok = LatencyHistograms.create();
        ok.recordValueWithCount(10_000, 100 - failed);
        Histogram bad = LatencyHistograms.create();
        if (failed > 0) {
            bad.recordValueWithCount(900_000, failed);
        }
        return new ClientSecond(START / 1000 + i, 100, 100, Map.of(
                new ClientSecond.SeriesKey("home", StatusClass.OK), ok,
                new ClientSecond.SeriesKey("home", StatusClass.HTTP_ERROR), bad));
    }

    static LiveSecond live(int i) {
        return new LiveSecond(second(i, 0), 0, 0, LatencyHistograms.create(), 2000);
    }

    static Event injected() {
        return new Event(START + 8_000, Event.Kind.FAULT_INJECTED, "kill-one", "pod-kill on node-1/pod-1");
    }

    static Event reverted() {
        return new Event(START + 20_000, Event.Kind.FAULT_REVERTED, "kill-one", "scheduled end");
    }

    static RunReport report(String runId) {
        return new RunReport(RunReport.SCHEMA_VERSION, runId, "e2e-pod-kill", "http://127.0.0.1:1", START, START + 26_000, 0,
                "All 5 SLO checks passed.", List.of(injected(), reverted()), List.of(),
                List.of(new SloResult("rto", "fault:kill-one", "client", "RTO <= 15 s", 4.0, "s", Verdict.PASS, "ok")),
                List.of(second(0, 0)), List.of());
    }
}
