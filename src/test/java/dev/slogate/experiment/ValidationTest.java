package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: every problem names its file, line and column, says what is wrong and what to write instead. */
class ValidationTest {
    /** Lines 1-4 of every scenario here; its spec body starts on line 5. */
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    private static final String LOAD = """
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
            """;

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    private ValidationException scenarioFails(String spec) throws IOException {
        Path s = write("s.yaml", HEAD + spec);
        return assertThrows(ValidationException.class, () -> loader.loadScenario(s));
    }

    private ValidationException sloFails(String yaml) throws IOException {
        Path s = write("slo.yaml", yaml);
        return assertThrows(ValidationException.class, () -> loader.loadSlos(s));
    }

    private ValidationException faultFails(String spec) throws IOException {
        Path f = write("f.yaml", "apiVersion: slogate/v1\nkind: Fault\nmetadata: {name: f}\nspec:\n" + spec);
        return assertThrows(ValidationException.class, () -> loader.loadFault(f));
    }

    /** The single problem whose message contains {@code part}, at {@code line}:{@code column}; returns it for more checks. */
    private static Problem expect(ValidationException e, String part, int line, int column) {
        return YamlFixture.expectOne(e, part, line, column);
    }

    @Test
    void unknownKeySuggestsTheNearestAndListsTheValidOnes() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    requestTimout: 5s
                    stages: [{hold: {rps: 10, duration: 60s}}]
                    requests: [{path: /}]
                """);
        Problem p = expect(e, "unknown key 'requestTimout' in spec.load; did you mean 'requestTimeout'?", 6, 5);
        assertEquals("valid keys here: requestTimeout, stages, requests, journeys, feeders, simulation, simulationJar", p.hint());
    }

    @Test
    void unknownKeyFarFromAnyValidOneHasNoSuggestion() throws IOException {
        ValidationException e = scenarioFails(LOAD + "  banana: 1\n");
        Problem p = expect(e, "unknown key 'banana' in spec", 8, 3);
        assertTrue(!p.message().contains("did you mean"), p.message());
        assertTrue(p.hint().contains("target, load, faults, slos, stopConditions"), p.hint());
    }

    @Test
    void textWhereAWholeNumberIsExpected() throws IOException {
        ValidationException e = scenarioFails("  target:\n    sandbox: {regions: two}\n" + LOAD);
        expect(e, "spec.target.sandbox.regions must be a whole number, found the text 'two'", 6, 24);
    }

    @Test
    void mapWhereAListIsExpected() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    stages:
                      hold: {rps: 10, duration: 60s}
                    requests: [{path: /}]
                """);
        Problem p = expect(e, "spec.load.stages must be a list, found a map", 7, 7);
        assertTrue(p.hint().contains("'- '"), p.hint());
    }

    @Test
    void missingStagesAndRequestsAreBothReported() throws IOException {
        ValidationException e = scenarioFails("  load:\n    requestTimeout: 5s\n");
        expect(e, "spec.load needs 'stages'", 6, 5);
        expect(e, "spec.load needs 'requests'", 6, 5);
        assertEquals(2, e.getProblems().size(), e.getMessage());
    }

    @Test
    void durationWithoutUnitAndUnparseableDuration() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    requestTimeout: 5 minutes
                    stages: [{hold: {rps: 10, duration: 60}}]
                    requests: [{path: /}]
                """);
        expect(e, "spec.load.stages[0].hold.duration: 60 has no unit", 7, 41);
        Problem p = expect(e, "'5 minutes' is not a duration", 6, 21);
        assertTrue(p.message().contains("500ms, 30s, 2m"), "uses the Durations.parse message: " + p.message());
    }

    @Test
    void badRateUsesTheRateMessage() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    stages: [{ramp: {from: 10, to: fast, duration: 10s}}]
                    requests: [{path: /}]
                """);
        expect(e, "spec.load.stages[0].ramp.to: 'fast' is not a rate", 6, 36);
    }

    @Test
    void zeroAndNegativeValuesAreRejectedWhereTheyMakeNoSense() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    stages: [{hold: {rps: 10, duration: 0s}}]
                    requests: [{path: /, weight: 0}]
                """);
        expect(e, "spec.load.stages[0].hold.duration must be more than 0s, got 0s", 6, 41);
        expect(e, "spec.load.requests[0].weight must be 1 or more, got 0", 7, 34);
    }

    @Test
    void unknownHttpMethodAndRelativePath() throws IOException {
        ValidationException e = scenarioFails("""
                  load:
                    stages: [{hold: {rps: 10, duration: 10s}}]
                    requests:
                      - {name: a, method: GRT, path: items}
                """);
        Problem m = expect(e, "unknown HTTP method 'GRT'; did you mean 'GET'?", 8, 27);
        assertTrue(m.hint().contains("GET, HEAD, POST"), m.hint());
        Problem p = expect(e, "spec.load.requests[0].path 'items' does not start with '/'", 8, 38);
        assertTrue(p.hint().startsWith("write path: /items"), p.hint());
    }

    @Test
    void faultFileWithoutTypeOrSelectorMode() throws IOException {
        ValidationException e = faultFails("  selector: {labels: {app: demo}}\n  duration: 5s\n");
        assertTrue(expect(e, "spec needs 'type'", 5, 3).hint().contains("pod-kill, pod-pause, node-kill, region-outage, latency"));
        expect(e, "spec.selector needs 'mode'", 5, 13);
    }

    @Test
    void unknownFaultTypeAndModeListTheValidOnes() throws IOException {
        ValidationException e = faultFails("  type: pod-kil\n  selector: {labels: {app: demo}, mode: sum}\n");
        Problem t = expect(e, "unknown fault type 'pod-kil'; did you mean 'pod-kill'?", 5, 9);
        assertEquals("valid types: pod-kill, pod-pause, node-kill, region-outage, latency, pod-failure, container-kill, zone-outage, "
                + "network-delay, network-loss, network-partition, network-bandwidth, cpu-stress, memory-stress, aws-ec2-stop, gcp-node-stop, azure-vm-stop", t.hint());
        Problem m = expect(e, "unknown selector mode 'sum'", 6, 41);
        assertEquals("valid modes: one, all, fixed, fixed-percent, random-max-percent", m.hint());
    }

    @Test
    void fixedPercentOutsideZeroToHundred() throws IOException {
        ValidationException e = faultFails("  type: pod-pause\n  selector: {labels: {app: demo}, mode: fixed-percent, value: 150}\n  duration: 5s\n");
        expect(e, "spec.selector.value is 150, but fixed-percent takes a percentage above 0 and at most 100", 6, 63);
    }

    @Test
    void faultThatNeedsADurationSaysSo() throws IOException {
        ValidationException e = faultFails("  type: region-outage\n  selector: {labels: {region: b}, mode: all}\n");
        assertTrue(expect(e, "spec needs 'duration'", 5, 3).hint().contains("region-outage"));
    }

    @Test
    void missingReferencedFilesArePrintedResolvedAtTheReference() throws IOException {
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: k, at: 10s, ref: ../faults/nope.yaml}
                  slos: [slo/missing.yaml]
                """);
        Path fault = dir.resolve("../faults/nope.yaml").toAbsolutePath().normalize();
        Problem f = expect(e, "no such Fault file: " + fault, 9, 31);
        assertEquals(dir.resolve("s.yaml"), f.file());
        expect(e, "no such SLO file: " + dir.resolve("slo/missing.yaml").toAbsolutePath().normalize(), 10, 10);
    }

    @Test
    void faultInjectedAtOrAfterTheEndOfTheRun() throws IOException {
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - name: late
                      at: 60s
                      fault: {type: pod-pause, selector: {labels: {app: demo}, mode: one}, duration: 10s}
                """);
        Problem p = expect(e, "fault 'late' is injected at 1m, at or after the end of the run, which lasts 1m", 10, 11);
        assertTrue(p.hint().contains("latest allowed at is 50s"), p.hint());
    }

    @Test
    void faultRunningPastTheEndOfTheRun() throws IOException {
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: long, at: 45s, fault: {type: node-kill, selector: {labels: {node: a-1}, mode: all}, duration: 20s}}
                """);
        Problem p = expect(e, "fault 'long' lasts from 45s to 1m5s, past the end of the run at 1m", 9, 24);
        assertTrue(p.hint().contains("latest allowed at is 40s"), p.hint());
    }

    @Test
    void twoFaultsWithTheSameName() throws IOException {
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: k, at: 10s, fault: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}}
                    - {name: k, at: 20s, fault: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}}
                """);
        expect(e, "two faults are named 'k' (first on line 9)", 10, 14);
    }

    @Test
    void selectorThatMatchesNoSandboxPod() throws IOException {
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: c, at: 10s, fault: {type: region-outage, selector: {labels: {region: c}, mode: all}, duration: 5s}}
                """);
        Problem p = expect(e, "fault 'c' selects {region: c}, which matches no pod of the sandbox", 9, 7);
        assertTrue(p.hint().contains("regions a..b"), p.hint());
    }

    @Test
    void windowsAndRtoFaultsMustNameScheduledFaults() throws IOException {
        write("slo/w.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: w}
                spec:
                  objectives:
                    - {name: lat, latency: {percentile: 95, below: 1s}, windows: [steady, "fault:kil", "recovery:kill"]}
                    - {name: rto, rto: {below: 20s}, faults: [kill, other]}
                """);
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: kill, at: 10s, fault: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}}
                  slos: [slo/w.yaml]
                """);
        Problem w = expect(e, "window 'fault:kil' of SLO 'lat' names no scheduled fault; did you mean 'kill'?", 6, 75);
        assertEquals(dir.resolve("slo/w.yaml").toAbsolutePath().normalize(), w.file());
        assertTrue(w.hint().contains("scheduled faults: kill"), w.hint());
        expect(e, "RTO 'rto' covers fault 'other', but no such fault is scheduled", 7, 53);
        assertEquals(2, e.getProblems().size(), e.getMessage());
    }

    @Test
    void faultWindowsWithoutAnyFaultCanNeverExist() throws IOException {
        write("slo/w.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: w}
                spec:
                  objectives:
                    - {name: lat, latency: {percentile: 95, below: 1s}, windows: ["fault:*"]}
                    - {name: rto, rto: {below: 20s}}
                """);
        ValidationException e = scenarioFails(LOAD + "  slos: [slo/w.yaml]\n");
        expect(e, "window 'fault:*' of SLO 'lat' would be empty", 6, 67);
        expect(e, "RTO 'rto' covers all faults, but none is scheduled", 7, 7);
    }

    @Test
    void misspelledWindowNameIsCaughtEvenWithoutAScenario() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: w}
                spec:
                  objectives:
                    - {name: e, errorRate: {below: 1%}, windows: [stedy]}
                """);
        expect(e, "unknown window 'stedy'; did you mean 'steady'?", 6, 51);
    }

    @Test
    void ratiosAcceptPercentOrFractionButNothingAboveOne() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: r}
                spec:
                  objectives:
                    - {name: a, errorRate: {below: 1.5}}
                    - {name: b, availability: {atLeast: 150%}}
                    - {name: c, errorRate: {below: lots}}
                """);
        Problem a = expect(e, "spec.objectives[0].errorRate.below is 1.5, but a fraction must lie between 0 and 1", 6, 36);
        assertTrue(a.hint().contains("1.5%"), a.hint());
        expect(e, "spec.objectives[1].availability.atLeast is 150%, but a percentage must lie between 0% and 100%", 7, 41);
        expect(e, "spec.objectives[2].errorRate.below must be a percentage or fraction, found the text 'lots'", 8, 36);
    }

    @Test
    void wrongApiVersionAndKindSayWhatIsExpected() throws IOException {
        Path f = write("f.yaml", "apiVersion: slogate/v2\nkind: Scenario\nmetadata: {name: f}\nspec: {type: pod-kill}\n");
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadFault(f));
        expect(e, "apiVersion is 'slogate/v2', expected 'slogate/v1'", 1, 13);
        expect(e, "kind is 'Scenario', expected 'Fault' in this file", 2, 7);
    }

    @Test
    void emptyFile() throws IOException {
        Path f = write("empty.yaml", "# nothing here yet\n");
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadScenario(f));
        Problem p = expect(e, "the file is empty", 1, 1);
        assertTrue(p.hint().contains("kind: Scenario"), p.hint());
    }

    @Test
    void yamlSyntaxErrorsCarryTheParsersLocation() throws IOException {
        Path f = write("tab.yaml", "apiVersion: slogate/v1\nkind: Scenario\nspec:\n\tload: {}\n");
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadScenario(f));
        Problem p = expect(e, "YAML syntax error", 4, 1);
        assertTrue(p.message().contains("TAB"), p.message());
        assertEquals(1, e.getProblems().size());

        Path g = write("flow.yaml", "apiVersion: slogate/v1\nkind: Fault\nspec: {type: pod-kill, selector: [a, b}\n");
        ValidationException e2 = assertThrows(ValidationException.class, () -> loader.loadFault(g));
        expect(e2, "YAML syntax error", 3, 39);
    }

    @Test
    void duplicateYamlKey() throws IOException {
        ValidationException e = scenarioFails(LOAD + "  load: {}\n");
        expect(e, "key 'load' appears twice (first on line 5)", 8, 3);
    }

    @Test
    void openSloRatioNeedsGoodOrBadAndObjectivesAndATargetInRange() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  indicator:
                    spec:
                      ratioMetric:
                        counter: true
                        total: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: []
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: b}
                spec:
                  indicator:
                    spec:
                      ratioMetric:
                        good: {metricSource: {type: Prometheus, spec: {query: x}}}
                        total: {metricSource: {type: Prometheus, spec: {query: y}}}
                  objectives: [{target: 1.5}, {target: 0}]
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: c}
                spec:
                  indicator:
                    spec:
                      ratioMetric: {total: {metricSource: {type: Prometheus, spec: {query: x}}}}
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: [{op: lt, value: 1}]
                """);
        expect(e, "spec.indicator.spec.ratioMetric needs good or bad (and total)", 8, 9);
        expect(e, "spec.objectives is empty", 10, 15);
        expect(e, "spec.indicator.spec has both ratioMetric and thresholdMetric", 30, 24);
        expect(e, "spec.objectives[0].target is 1.5, but a fraction must lie between 0 and 1", 21, 25);
        expect(e, "spec.objectives[1].target is 0, but it must lie above 0 and at most 1", 21, 40);
    }

    @Test
    void metricSourcesOtherThanPrometheusAreUnsupported() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: dd}
                spec:
                  indicator:
                    spec:
                      thresholdMetric:
                        metricSource: {type: Datadog, spec: {query: 'avg:latency{*}'}}
                  objectives: [{op: lt, value: 1}]
                """);
        Problem p = expect(e, "metricSource type 'Datadog' is not supported; slogate reads Prometheus only", 8, 30);
        assertTrue(p.hint().contains("type: Prometheus"), p.hint());
    }

    @Test
    void thresholdObjectiveNeedsAKnownOp() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: q}
                spec:
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: [{op: below, value: 1}]
                """);
        assertTrue(expect(e, "unknown op 'below'", 8, 21).hint().contains("lt, lte, gt or gte"));
    }

    @Test
    void prometheusRejectionsAreReportedAtTheQuery() throws IOException {
        Path f = write("p.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - name: e
                      errorRate:
                        below: 1%
                        source: prometheus
                        bad: 'sum(rte(x[5m]))'
                        total: x
                """);
        // a counter that is not a plain selector is checked as the evaluator runs it: the increase of a 1 s subquery
        List<String> asked = new java.util.ArrayList<>();
        Function<String, Optional<String>> prom = q -> {
            asked.add(q);
            return q.contains("rte(") ? Optional.of("invalid parameter \"query\": 1:19: parse error: unknown function with name \"rte\"") : Optional.empty();
        };
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader(prom::apply).loadSlos(f));
        // the server's position (column 19 of the wrapped query) is the 'r' of rte in the file: line 10, column 19
        expect(e, "Prometheus rejects the query: unknown function with name \"rte\", at 'rte(x[5m]))'", 10, 19);
        assertEquals(1, e.getProblems().size());
        assertEquals(List.of("sum(increase((sum(rte(x[5m])))[1m:1s]))", "sum(increase(x[1m]))"), asked);
    }

    @Test
    void openSloIgnoredKeysAreNotUnknownButRealTyposAre() throws IOException {
        ValidationException e = sloFails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  service: demo
                  budgetingMethod: Occurrences
                  timeWindow: [{duration: 28d, isRolling: true}]
                  alerting: {}
                  indicater: {}
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: [{op: lt, value: 1}]
                """);
        expect(e, "unknown key 'indicater' in spec; did you mean 'indicator'?", 9, 3);
        assertEquals(1, e.getProblems().size(), e.getMessage());
    }

    @Test
    void allProblemsOfTheFileSetAreCollectedAndPrintedOnePerLine() throws IOException {
        write("faults/bad.yaml", "apiVersion: slogate/v1\nkind: Fault\nmetadata: {name: b}\nspec: {type: pod-kill, selector: {labels: {app: demo}, mode: one}, latency: 1s}\n");
        ValidationException e = scenarioFails("""
                  load:
                    stages: [{hold: {rps: -1, duration: 60s}}]
                    requests: [{path: /, expectStatus: 700}]
                  faults:
                    - {name: b, at: 10s, ref: faults/bad.yaml}
                  stopConditions:
                    - {errorRate: {above: 50%, for: soon}}
                """);
        expect(e, "spec.load.stages[0].hold.rps: rate must be a finite number >= 0, got -1.0", 6, 27);
        expect(e, "expectStatus 700 is not an HTTP status", 7, 40);
        Problem l = expect(e, "latency only applies to faults of type latency or network-delay, not pod-kill", 4, 68);
        assertEquals(dir.resolve("faults/bad.yaml").toAbsolutePath().normalize(), l.file());
        expect(e, "spec.stopConditions[0].errorRate.for: 'soon' is not a duration", 11, 37);
        assertEquals(4, e.getProblems().size(), e.getMessage());
        String[] lines = e.getMessage().split("\n");
        assertEquals(8, lines.length, e.getMessage());
        String own = dir.resolve("s.yaml").toString();
        assertTrue(e.getMessage().lines().filter(x -> !x.startsWith("  hint: ")).allMatch(x -> x.matches(".+:\\d+:\\d+: .+")), e.getMessage());
        assertTrue(e.getMessage().contains(own + ":6:27: spec.load.stages[0].hold.rps: rate must be"), e.getMessage());
        assertEquals(4, e.getMessage().lines().filter(x -> x.startsWith("  hint: ")).count(),
                () -> e.getProblems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void explicitWindowsThatWouldBeEmpty() throws IOException {
        write("slo/e.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: e}
                spec:
                  objectives:
                    - {name: e, errorRate: {below: 1%}, windows: ["fault:kill", "recovery:end"]}
                """);
        ValidationException e = scenarioFails(LOAD + """
                  faults:
                    - {name: kill, at: 10s, fault: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}}
                    - {name: end, at: 50s, fault: {type: pod-pause, selector: {labels: {app: demo}, mode: one}, duration: 10s}}
                  slos: [slo/e.yaml]
                """);
        assertTrue(expect(e, "window 'fault:kill' of SLO 'e' is empty: pod-kill 'kill' has no duration", 6, 51).hint().contains("duration: 10s"));
        expect(e, "window 'recovery:end' of SLO 'e' is empty: fault 'end' is reverted when the run ends (1m)", 6, 65);
    }
}
