package dev.slogate.report;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Event.Kind;
import dev.slogate.timeline.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/** A 20 s run with two faults, recorded into real HdrHistograms, that every report test renders. */
final class SampleRuns {
    static final long START = 1_700_000_000_250L;
    static final String SCRIPT_SLO = "<script>alert('x')</script> & co";

    private SampleRuns() {
    }

    /** Exit 1: one SLO failed, one had no data. Second 10 sent nothing and second 15 is missing from the timeline. */
    static RunReport failed() {
        return new RunReport(RunReport.SCHEMA_VERSION, "run-20231114-221320-ab12", "demo-gameday", "sandbox 2x2x2",
                START, START + 20_000, 1, "2 of 6 SLO checks failed; 1 had no data", events(), windows(), results(),
                client(), List.of("injector held 99.6 % of the target rate", "prometheus <scrape> gap & retry"));
    }

    static RunReport withExit(RunReport r, int exitCode, List<SloResult> results) {
        return new RunReport(r.schemaVersion(), r.runId(), r.scenario(), r.target(), r.startMillis(), r.endMillis(),
                exitCode, "exit " + exitCode, r.events(), r.windows(), results, r.client(), r.notes());
    }

    static List<SloResult> allPassing() {
        return results().stream().map(r -> new SloResult(r.slo(), r.window(), r.source(), r.objective(),
                r.measured() == null ? 0.001 : r.measured(), r.unit(), Verdict.PASS, "ok")).toList();
    }

    static List<Window> windows() {
        return List.of(new Window("run", START, START + 20_000), new Window("steady", START, START + 5_000),
                new Window("fault:kill-one-pod", START + 5_000, START + 8_000),
                new Window("recovery:kill-one-pod", START + 8_000, START + 12_000),
                new Window("fault:pause-region-a", START + 12_000, START + 15_000),
                new Window("recovery:pause-region-a", START + 15_000, START + 20_000));
    }

    static List<Event> events() {
        return List.of(new Event(START, Kind.RUN_START, "demo-gameday", null),
                new Event(START, Kind.STAGE_START, "hold", "50 rps for 20s"),
                new Event(START + 5_000, Kind.FAULT_INJECTED, "kill-one-pod", "killed pod a-1-1"),
                new Event(START + 8_000, Kind.FAULT_REVERTED, "kill-one-pod", "pod a-1-1 restarted"),
                new Event(START + 9_500, Kind.RECOVERED, "kill-one-pod", null),
                new Event(START + 12_000, Kind.FAULT_INJECTED, "pause-region-a", "paused 4 pods"),
                new Event(START + 15_000, Kind.FAULT_REVERTED, "pause-region-a", null),
                new Event(START + 20_000, Kind.RUN_END, "demo-gameday", null));
    }

    static List<SloResult> results() {
        return List.of(
                new SloResult("p95-latency", "steady", "client", "p95 < 200 ms", 0.0121, "s", Verdict.PASS,
                        "p95 latency 12.1 ms < 200 ms in steady"),
                new SloResult("p95-latency", "fault:kill-one-pod", "client", "p95 < 200 ms", 0.312, "s", Verdict.FAIL,
                        "p95 latency 312 ms > 200 ms in fault:kill-one-pod"),
                new SloResult("error-rate", "run", "client", "errors < 1 %", 0.004, "ratio", Verdict.PASS,
                        "error rate 0.4 % < 1 % in run"),
                new SloResult("server-errors", "run", "prometheus", "errors < 1 %", null, "ratio", Verdict.NO_DATA,
                        null),
                new SloResult("rto", "fault:kill-one-pod", "client", "rto <= 20 s", 4.5, "s", Verdict.PASS,
                        "recovered 4.5 s after kill-one-pod"),
                new SloResult(SCRIPT_SLO, "run", "client", "a | b", 2.0, "s", Verdict.FAIL, "x > y"));
    }

    static List<ClientSecond> client() {
        Random random = new Random(42);
        List<ClientSecond> seconds = new ArrayList<>();
        long first = START / 1000;
        for (int i = 0; i < 20; i++) {
            if (i == 15) {
                continue;
            }
            Map<SeriesKey, Histogram> latency = new HashMap<>();
            boolean fault = i >= 5 && i < 8 || i >= 12 && i < 15;
            int sent = i == 10 ? 0 : 50;
            for (int n = 0; n < sent; n++) {
                String request = n % 3 == 0 ? "api" : "home";
                StatusClass status = fault && n % 5 == 0 ? (n % 10 == 0 ? StatusClass.TIMEOUT : StatusClass.HTTP_ERROR)
                        : StatusClass.OK;
                long micros = fault ? 150_000 + random.nextInt(250_000) : 2_000 + random.nextInt(15_000);
                latency.computeIfAbsent(new SeriesKey(request, status), k -> LatencyHistograms.create())
                        .recordValue(micros);
            }
            seconds.add(new ClientSecond(first + i, 50.0, sent, latency));
        }
        return seconds;
    }
}
