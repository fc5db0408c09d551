package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static ScheduledFault fault(String name, long at, FaultType type, Map<String, String> labels, Selector.Mode mode, long duration) {
        return new ScheduledFault(name, s(at), new FaultSpec(name, type, new Selector(labels, mode, 0), s(duration), null));
    }

    /** 20s ramp + 70s hold; a pod kill at 30s (window 5s), a region outage at 50s for 20s. */
    private static Scenario small() {
        Path slo = Path.of("slo/x.yaml");
        return new Scenario("small", "two faults", new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults()),
                new Load(List.of(new Stage(Stage.Kind.RAMP, new Rate(0), new Rate(100), s(20)), new Stage(Stage.Kind.HOLD, new Rate(100), new Rate(100), s(70))),
                        List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 3), new RequestSpec("add", "POST", "/items", Map.of(), "{}", 201, 1)),
                        null, s(10)),
                List.of(fault("kill", 30, FaultType.POD_KILL, Map.of("app", "demo"), Selector.Mode.ONE, 5),
                        fault("b-out", 50, FaultType.REGION_OUTAGE, Map.of("region", "b"), Selector.Mode.ALL, 20)),
                List.of(new SloDef("p95", "", new SloDef.Latency(95, null, null), Op.LT, 0.2, List.of("steady", "fault:*"), slo, 1),
                        new SloDef("rto", "", new SloDef.Rto(0.01, 99, 0.5, 3, 5), Op.LTE, 20, List.of("fault:b-out"), slo, 2)),
                List.of(new StopCondition(StopCondition.Metric.ERROR_RATE, Op.GT, 0.5, s(10))),
                Path.of("scenarios/small.yaml"));
    }

    @Test
    void windowsFollowTheScheduleAndRecoveryStopsAtTheNextFault() {
        assertEquals(List.of(
                new Plan.Span("run", s(0), s(90)),
                new Plan.Span("steady", s(0), s(30)),
                new Plan.Span("fault:kill", s(30), s(35)),
                new Plan.Span("recovery:kill", s(35), s(50)),
                new Plan.Span("fault:b-out", s(50), s(70)),
                new Plan.Span("recovery:b-out", s(70), s(90))), Plan.windows(small()));
    }

    @Test
    void rendersTheWholeTimeline() {
        String expected = """
                Scenario small (scenarios/small.yaml), 1m30s
                  two faults

                Target
                  sandbox: 2 regions x 2 nodes x 2 pods = 8 pods; service time 5ms, error ratio 0%, concurrency 64 per pod, restart delay 3s

                Load (request timeout 10s)
                        0s - 20s      ramp 0/s -> 100/s
                       20s - 1m30s    hold 100/s
                  request home: GET /, weight 3 (75%), expects 200
                  request add: POST /items, weight 1 (25%), expects 201

                Faults
                       30s - 35s      kill: pod-kill {app=demo} one
                       50s - 1m10s    b-out: region-outage {region=b} all

                Windows
                        0s - 1m30s    run
                        0s - 30s      steady
                       30s - 35s      fault:kill
                       35s - 50s      recovery:kill
                       50s - 1m10s    fault:b-out
                     1m10s - 1m30s    recovery:b-out

                SLOs
                  p95: p95 latency < 200ms (client)
                      over steady, fault:kill, fault:b-out
                  rto: recovery time <= 20s (back to error rate < 1% and p99 < 500ms over 3s, stable for 5s)
                      over fault:b-out

                Stop conditions
                  error rate > 50% for 10s
                """;
        assertEquals(expected, Plan.render(small()));
    }

    @Test
    void withoutFaultsSteadyIsTheWholeRun() {
        Scenario x = small();
        Scenario none = new Scenario(x.name(), "", x.target(), x.load(), List.of(), List.of(), List.of(), x.source());
        assertEquals(List.of(new Plan.Span("run", s(0), s(90)), new Plan.Span("steady", s(0), s(90))), Plan.windows(none));
        String text = Plan.render(none);
        assertEquals(3, text.split("  none\n", -1).length - 1, text);
    }
}
