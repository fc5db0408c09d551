package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.Selector;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Stage;
import dev.slogate.experiment.Target;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.SloStatus;
import dev.slogate.slo.SloStatus.State;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LiveSlosTest {
    static final long S0 = 1_800_000_000L; // the run's first second
    static final long START = S0 * 1000;
    static final long FAST = 10_000; // microseconds
    static final long SLOW = 500_000;

    static Scenario scenario(SloDef... slos) {
        Path file = Path.of("slo/x.yaml");
        return new Scenario("live", "", new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults()),
                new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(100), new Rate(100), Duration.ofSeconds(60))),
                        List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, Duration.ofSeconds(10)),
                List.of(new ScheduledFault("kill", Duration.ofSeconds(5), new FaultSpec("kill", FaultType.POD_KILL,
                        new Selector(Map.of("app", "demo"), Selector.Mode.ONE, 0), Duration.ofSeconds(2), null))),
                List.of(slos), List.of(), file);
    }

    static SloDef p95(String... windows) {
        return new SloDef("p95", "", new SloDef.Latency(95, null, null), Op.LT, 0.2, List.of(windows), Path.of("slo/x.yaml"), 1);
    }

    /** A final second: {@code n} answers of {@code micros} each, {@code failed} of them HTTP errors. */
    static ClientSecond second(long offset, int n, long micros, int failed) {
        Map<ClientSecond.SeriesKey, Histogram> m = new HashMap<>();
        Histogram ok = LatencyHistograms.create();
        Histogram bad = LatencyHistograms.create();
        for (int i = 0; i < n; i++) {
            (i < failed ? bad : ok).recordValue(micros);
        }
        m.put(new ClientSecond.SeriesKey("home", StatusClass.OK), ok);
        if (failed > 0) {
            m.put(new ClientSecond.SeriesKey("home", StatusClass.HTTP_ERROR), bad);
        }
        return new ClientSecond(S0 + offset, 100, n, m);
    }

    private static SloStatus status(LiveSlos live, String slo, String window) {
        return live.statuses().stream().filter(s -> s.slo().equals(slo) && s.window().equals(window)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for " + slo + " over " + window + " in " + live.statuses()));
    }

    @Test
    void aFaultWindowGoesFromNoDataToAtRiskToFailedWhileSteadyAndRecoveryStayMet() {
        LiveSlos live = new LiveSlos();
        live.started("r1", scenario(p95("steady", "fault:*", "recovery:*", "run")), START);
        assertEquals(List.of("run", "steady", "fault:kill", "recovery:kill"), live.statuses().stream().map(SloStatus::window).toList(),
                "every window the SLO asks for is listed from the start, in the report's order");
        assertEquals(State.NO_DATA_YET, status(live, "p95", "steady").state());
        SloStatus waiting = status(live, "p95", "fault:kill");
        assertEquals(State.NO_DATA_YET, waiting.state());
        assertTrue(waiting.detail().contains("not injected yet"), waiting.detail());

        for (int i = 0; i < 5; i++) {
            live.second(second(i, 100, FAST, 0));
        }
        SloStatus steady = status(live, "p95", "steady");
        assertEquals(State.MET_SO_FAR, steady.state());
        assertTrue(steady.detail().startsWith("p95 latency 10") && steady.detail().endsWith("(< 200 ms)"), steady.detail());

        live.event(new Event(START + 5_000, Event.Kind.FAULT_INJECTED, "kill", "pod-kill on pod-a1"));
        live.second(second(5, 100, SLOW, 0));
        assertEquals(State.AT_RISK, status(live, "p95", "fault:kill").state(), "open and missing its objective so far");
        assertEquals(State.MET_SO_FAR, status(live, "p95", "steady").state(), "steady ended at the injection");
        assertEquals(State.NO_DATA_YET, status(live, "p95", "recovery:kill").state());

        live.second(second(6, 100, SLOW, 0));
        live.event(new Event(START + 7_000, Event.Kind.FAULT_REVERTED, "kill", "scheduled end"));
        SloStatus fault = status(live, "p95", "fault:kill");
        assertEquals(State.FAILED, fault.state(), "over, every second final, and missed: " + fault);
        assertTrue(fault.detail().startsWith("p95 latency 5"), fault.detail());
        assertEquals(State.NO_DATA_YET, status(live, "p95", "recovery:kill").state(), "no second of the recovery is final yet");

        live.second(second(7, 100, FAST, 0));
        assertEquals(State.MET_SO_FAR, status(live, "p95", "recovery:kill").state());
        assertEquals(State.AT_RISK, status(live, "p95", "run").state(), "200 slow of 800: p95 misses, and run is still open");
    }

    @Test
    void boundsThatArriveLateTakeBackTheSecondsTheyDoNotCover() {
        LiveSlos live = new LiveSlos();
        live.started("r1", scenario(p95("steady", "fault:kill", "recovery:kill")), START);
        for (int i = 0; i < 5; i++) {
            live.second(second(i, 100, FAST, 0));
        }
        live.second(second(5, 100, SLOW, 0));
        live.second(second(6, 100, SLOW, 0));
        // the injection took its time: its event comes after seconds of the fault are final
        live.event(new Event(START + 5_000, Event.Kind.FAULT_INJECTED, "kill", "pod-kill on pod-a1"));
        assertEquals(State.MET_SO_FAR, status(live, "p95", "steady").state(), "seconds 5 and 6 are not steady's");
        live.second(second(7, 1000, FAST, 0));
        live.second(second(8, 1000, FAST, 0));
        live.event(new Event(START + 7_000, Event.Kind.FAULT_REVERTED, "kill", "scheduled end"));
        assertEquals(State.FAILED, status(live, "p95", "fault:kill").state(), "seconds 7 and 8 came out of fault:kill again");
        assertEquals(State.MET_SO_FAR, status(live, "p95", "recovery:kill").state(), "and went into recovery:kill");
    }

    @Test
    void recentSecondsThatMissPutAnSloAtRiskBeforeTheWholeWindowDoes() {
        LiveSlos live = new LiveSlos();
        SloDef errors = new SloDef("errors", "", new SloDef.Ratio(SloDef.Source.CLIENT, null, null, null, false), Op.LT, 0.05,
                List.of("run"), Path.of("slo/x.yaml"), 2);
        live.started("r1", scenario(errors), START);
        for (int i = 0; i < 40; i++) {
            live.second(second(i, 100, FAST, 0));
        }
        assertEquals(State.MET_SO_FAR, status(live, "errors", "run").state());
        for (int i = 40; i < 43; i++) {
            live.second(second(i, 100, FAST, 50));
        }
        SloStatus risk = status(live, "errors", "run");
        assertEquals(State.AT_RISK, risk.state(), "150 of 4300 failed (3.5 %) meets 5 %, the last 5 s (30 %) do not: " + risk);
        assertTrue(risk.detail().contains("last 5 s"), risk.detail());
        live.event(new Event(START + 43_000, Event.Kind.RUN_END, "live", ""));
        assertEquals(State.MET_SO_FAR, status(live, "errors", "run").state(), "the run is over and met it as a whole");
    }

    @Test
    void kindsThatOnlyTheEndCanJudgeWaitAndTheVerdictReplacesTheForecast() {
        LiveSlos live = new LiveSlos();
        SloDef rto = new SloDef("rto", "", new SloDef.Rto(0.01, 99, 0.5, 3, 5), Op.LTE, 20, List.of("fault:kill"), Path.of("slo/x.yaml"), 3);
        live.started("r1", scenario(p95(), rto), START);
        live.second(second(0, 100, FAST, 0));
        assertEquals(new SloStatus("rto", "fault:kill", State.NO_DATA_YET, "judged at the end"), status(live, "rto", "fault:kill"));
        assertEquals(State.MET_SO_FAR, status(live, "p95", "run").state(), "no windows: the whole run");

        live.finished(new RunReport(1, "r1", "live", "sandbox", START, START + 1000, 1, "failed", List.of(), List.of(),
                List.of(new SloResult("rto", "fault:kill", "client", "RTO <= 20 s", 31.0, "s", Verdict.FAIL, "RTO 31 s > 20 s in fault:kill"),
                        new SloResult("p95", "run", "client", "p95 < 200 ms", 0.01, "s", Verdict.PASS, "p95 latency 10 ms < 200 ms in run")),
                List.of(), List.of()));
        assertEquals(new SloStatus("rto", "fault:kill", State.FAILED, "RTO 31 s > 20 s in fault:kill"), status(live, "rto", "fault:kill"));
        assertEquals(State.MET_SO_FAR, status(live, "p95", "run").state());
    }
}
