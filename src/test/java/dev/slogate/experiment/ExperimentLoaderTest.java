package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good files load into the exact records; the shipped examples load cleanly. */
class ExperimentLoaderTest {
    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    @Test
    void faultFileLoadsIntoItsRecord() throws IOException {
        Path f = write("faults/zone.yaml", """
                apiVersion: slogate/v1
                kind: Fault
                metadata: {name: half-of-b}
                spec:
                  type: pod-pause
                  selector: {labels: {region: b}, mode: fixed-percent, value: 50}
                  duration: 15s
                """);
        assertEquals(new FaultSpec("half-of-b", FaultType.POD_PAUSE, new Selector(Map.of("region", "b"), Selector.Mode.FIXED_PERCENT, 50),
                Duration.ofSeconds(15), null), loader.loadFault(f));
    }

    @Test
    void latencyFaultKeepsItsDelay() throws IOException {
        Path f = write("slow.yaml", """
                apiVersion: slogate/v1
                kind: Fault
                metadata: {name: slow-a}
                spec: {type: latency, selector: {labels: {node: a-1}, mode: fixed, value: 2}, duration: 10s, latency: 200ms}
                """);
        assertEquals(new FaultSpec("slow-a", FaultType.LATENCY, new Selector(Map.of("node", "a-1"), Selector.Mode.FIXED, 2),
                Duration.ofSeconds(10), Duration.ofMillis(200)), loader.loadFault(f));
    }

    @Test
    void scenarioWithRefsInlineFaultsSlosAndStopConditionsRoundTrips() throws IOException {
        write("faults/kill.yaml", """
                apiVersion: slogate/v1
                kind: Fault
                metadata: {name: file-name-is-replaced}
                spec: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}
                """);
        Path slo = write("slo/s.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: p99, latency: {percentile: 99, below: 300ms, histogram: demo_request_duration_seconds, selector: {job: demo}}, windows: [steady, "fault:pause-a"]}
                    - {name: errors, errorRate: {below: 1%}}
                    - {name: rto, rto: {below: 20s}, faults: [kill]}
                """);
        Path s = write("scenarios/s.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: s, description: a test}
                spec:
                  target:
                    sandbox: {regions: 3, podsPerNode: 1, errorRatio: 1%}
                  load:
                    requestTimeout: 5s
                    stages:
                      - ramp: {from: 0, to: "2k/s", duration: 10s}
                      - hold: {rps: 2000, duration: 20s}
                      - step: {rps: "3000/s", duration: 30s}
                    requests:
                      - {name: home, path: /}
                      - {name: post, method: post, path: /items, weight: 2, expectStatus: 201, headers: {Content-Type: application/json}, body: '{"a":1}'}
                    simulation: com.acme.MySimulation
                  faults:
                    - {name: kill, at: 15s, ref: ../faults/kill.yaml}
                    - name: pause-a
                      at: 40s
                      fault: {type: pod-pause, selector: {labels: {region: a}, mode: all}, duration: 5s}
                  slos: [../slo/s.yaml]
                  stopConditions:
                    - {errorRate: {above: 50%, for: 5s}}
                    - {p99Latency: {above: 2s}}
                """);
        Scenario got = loader.loadScenario(s);

        FaultSpec kill = new FaultSpec("kill", FaultType.POD_KILL, new Selector(Map.of("app", "demo"), Selector.Mode.ONE, 0), Duration.ZERO, null);
        FaultSpec pause = new FaultSpec("pause-a", FaultType.POD_PAUSE, new Selector(Map.of("region", "a"), Selector.Mode.ALL, 0), Duration.ofSeconds(5), null);
        Path sloFile = slo.toAbsolutePath().normalize();
        Scenario expected = new Scenario("s", "a test",
                new Target(Target.Kind.SANDBOX, null, null, new SandboxSpec(3, 2, 1, Duration.ofMillis(5), 0.01, 64, Duration.ofSeconds(3))),
                new Load(List.of(
                        new Stage(Stage.Kind.RAMP, new Rate(0), new Rate(2000), Duration.ofSeconds(10)),
                        new Stage(Stage.Kind.HOLD, new Rate(2000), new Rate(2000), Duration.ofSeconds(20)),
                        new Stage(Stage.Kind.STEP, new Rate(2000), new Rate(3000), Duration.ofSeconds(30))),
                        List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1),
                                new RequestSpec("post", "POST", "/items", Map.of("Content-Type", "application/json"), "{\"a\":1}", 201, 2)),
                        "com.acme.MySimulation", Duration.ofSeconds(5)),
                List.of(new ScheduledFault("kill", Duration.ofSeconds(15), kill), new ScheduledFault("pause-a", Duration.ofSeconds(40), pause)),
                List.of(new SloDef("p99", "", new SloDef.Latency(99, "demo_request_duration_seconds", "job=\"demo\""), Op.LT, 0.3,
                                List.of("steady", "fault:pause-a"), sloFile, 6),
                        new SloDef("errors", "", new SloDef.Ratio(SloDef.Source.CLIENT, null, null, null, true), Op.LT, 0.01, List.of("run"), sloFile, 7),
                        new SloDef("rto", "", new SloDef.Rto(0.01, 99, Double.POSITIVE_INFINITY, 3, 5), Op.LTE, 20, List.of("fault:kill"), sloFile, 8)),
                List.of(new StopCondition(StopCondition.Metric.ERROR_RATE, Op.GT, 0.5, Duration.ofSeconds(5)),
                        new StopCondition(StopCondition.Metric.P99_LATENCY_SECONDS, Op.GT, 2.0, Duration.ofSeconds(10))),
                s);
        assertEquals(expected, got);
        assertEquals(Duration.ofSeconds(60), got.duration());
    }

    @Test
    void minimalScenarioGetsTheDocumentedDefaults() throws IOException {
        Path s = write("min.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: min}
                spec:
                  load:
                    stages: [{hold: {rps: 10, duration: 1m}}]
                    requests: [{path: /health}]
                """);
        Scenario got = loader.loadScenario(s);
        assertEquals(new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults()), got.target());
        assertEquals(Duration.ofSeconds(10), got.load().requestTimeout());
        assertEquals(List.of(new RequestSpec("GET /health", "GET", "/health", Map.of(), null, 200, 1)), got.load().requests());
        assertEquals("", got.description());
        assertTrue(got.faults().isEmpty() && got.slos().isEmpty() && got.stopConditions().isEmpty());
        assertEquals(null, got.load().simulation());
    }

    @Test
    void urlTargetKeepsItsPrometheus() throws IOException {
        Path s = write("url.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: url}
                spec:
                  target: {url: "http://127.0.0.1:8080", prometheus: "http://127.0.0.1:9090"}
                  load: {stages: [{hold: {rps: 10, duration: 10s}}], requests: [{path: /}]}
                """);
        assertEquals(new Target(Target.Kind.URL, "http://127.0.0.1:8080", "http://127.0.0.1:9090", null), loader.loadScenario(s).target());
    }

    @Test
    void objectivesMapToSloDefs() throws IOException {
        Path f = write("o.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: o}
                spec:
                  objectives:
                    - {name: server-errors, errorRate: {below: 0.5%, source: prometheus, bad: 'haproxy_frontend_http_responses_total{code="5xx"}', total: haproxy_frontend_http_requests_total}}
                    - {name: availability, availability: {atLeast: 0.999}, windows: [run, "recovery:*"]}
                    - name: rto
                      rto: {below: 30s, stableFor: 10s, errorRateBelow: 2%, latency: {percentile: 95, below: 400ms}, evaluationWindow: 5s}
                """);
        List<SloDef> slos = loader.loadSlos(f);
        assertEquals(List.of(
                new SloDef("server-errors", "", new SloDef.Ratio(SloDef.Source.PROMETHEUS, null, "haproxy_frontend_http_responses_total{code=\"5xx\"}",
                        "haproxy_frontend_http_requests_total", true), Op.LT, 0.005, List.of("run"), f, 6),
                new SloDef("availability", "", new SloDef.Ratio(SloDef.Source.CLIENT, "ok", null, null, true), Op.GTE, 0.999,
                        List.of("run", "recovery:*"), f, 7),
                new SloDef("rto", "", new SloDef.Rto(0.02, 95, 0.4, 5, 10), Op.LTE, 30, List.of("fault:*"), f, 8)), slos);
        assertTrue(slos.get(1).indicator() instanceof SloDef.Ratio r && r.measuresGood(), "availability counts good requests");
    }

    @Test
    void realOpenSloFileLoadsUnchangedWithItsIgnoredFields() throws IOException {
        Path f = write("openslo.yaml", """
                apiVersion: openslo/v1
                kind: Service
                metadata: {name: demo}
                spec: {description: the demo}
                ---
                apiVersion: openslo/v1
                kind: SLI
                metadata: {name: good-ratio}
                spec:
                  ratioMetric:
                    counter: true
                    good: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total{code="200"}'}}}
                    total: {metricSource: {type: Prometheus, spec: {query: http_requests_total}}}
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: availability
                  displayName: Availability
                  annotations: {slogate.dev/windows: "steady, fault:*"}
                spec:
                  description: Most requests succeed
                  service: demo
                  indicatorRef: good-ratio
                  timeWindow: [{duration: 28d, isRolling: true}]
                  budgetingMethod: Occurrences
                  alertPolicies: [page]
                  objectives:
                    - {displayName: good, target: 0.995, timeSliceTarget: 0.9}
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: queue}
                spec:
                  indicator:
                    metadata: {name: queue-depth}
                    spec:
                      thresholdMetric: {metricSource: {type: prometheus, spec: {query: 'max_over_time(queue_depth[$window])'}}}
                  objectives:
                    - {displayName: shallow, op: lte, value: 100}
                """);
        assertEquals(List.of(
                new SloDef("availability", "Most requests succeed", new SloDef.Ratio(SloDef.Source.PROMETHEUS, "http_requests_total{code=\"200\"}", null,
                        "http_requests_total", true), Op.GTE, 0.995, List.of("steady", "fault:*"), f, 29),
                new SloDef("queue", "", new SloDef.Threshold("max_over_time(queue_depth[$window])"), Op.LTE, 100, List.of("run"), f, 40)),
                loader.loadSlos(f));
    }

    @Test
    void openSloBadRatioBecomesAnUpperBoundOnTheBadFraction() throws IOException {
        Path f = write("bad.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: five-xx}
                spec:
                  indicator:
                    spec:
                      ratioMetric:
                        bad: {metricSource: {type: Prometheus, spec: {query: 'x{code="5xx"}'}}}
                        total: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: [{target: 0.99}]
                """);
        SloDef slo = loader.loadSlos(f).get(0);
        assertEquals(Op.LTE, slo.op());
        assertEquals(0.01, slo.target(), 1e-12);
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, null, "x{code=\"5xx\"}", "x", true), slo.indicator());
    }

    @Test
    void promqlCheckerSeesEveryQueryAsItWillRun() throws IOException {
        Path f = write("p.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - {name: lat, latency: {percentile: 95, below: 200ms, histogram: h, selector: 'job="x"'}}
                    - {name: err, errorRate: {below: 1%, source: prometheus, bad: 'r{code="5xx"}', total: r}}
                """);
        List<String> seen = new java.util.ArrayList<>();
        new ExperimentLoader(q -> {
            seen.add(q);
            return Optional.empty();
        }).loadSlos(f);
        assertEquals(List.of("histogram_quantile(0.95, sum by (le) (rate(h_bucket{job=\"x\"}[1m])))",
                "sum(increase(r{code=\"5xx\"}[1m]))", "sum(increase(r[1m]))"), seen);
    }

    @Test
    void shippedExamplesLoadWithoutProblems() {
        Path root = Path.of("").toAbsolutePath();
        Scenario demo = loader.loadScenario(root.resolve("scenarios/demo-gameday.yaml"));
        assertEquals("demo-gameday", demo.name());
        assertEquals(Duration.ofSeconds(150), demo.duration());
        assertEquals(List.of("kill-one-pod", "kill-one-node", "region-b-outage"), demo.faults().stream().map(ScheduledFault::name).toList());
        assertEquals(Selector.Mode.ONE, demo.faults().get(0).fault().selector().mode());
        assertEquals(Duration.ofSeconds(20), demo.faults().get(1).fault().duration());
        assertEquals(Map.of("region", "b"), demo.faults().get(2).fault().selector().labels());
        assertEquals(List.of("p95-latency", "error-rate", "error-rate-under-fault", "availability", "rto", "haproxy-success-ratio"),
                demo.slos().stream().map(SloDef::name).toList());
        SloDef haproxy = demo.slos().get(5);
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, null, "haproxy_frontend_http_responses_total{proxy=\"demo\",code=\"5xx\"}",
                "haproxy_frontend_http_requests_total{proxy=\"demo\"}", true), haproxy.indicator());
        for (String f : List.of("faults/pod-kill-one.yaml", "faults/node-kill-one.yaml", "faults/region-b-outage.yaml")) {
            assertEquals(f.substring(7, f.length() - 5), loader.loadFault(root.resolve(f)).name());
        }
        assertEquals(6, loader.loadSlos(root.resolve("slo/demo.yaml")).size());
    }

    @Test
    void validationExceptionNeedsProblems() {
        assertThrows(IllegalArgumentException.class, () -> new ValidationException(List.of()));
    }
}
