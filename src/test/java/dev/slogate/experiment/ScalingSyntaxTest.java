package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling objective, step windows and the sandbox autoscaler block: what they load to, and bad input with its line. */
class ScalingSyntaxTest {
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    private static final String STEP_LOAD = """
              load:
                stages: [{hold: {rps: 30, duration: 20s}}, {step: {rps: 300, duration: 60s}}, {ramp: {from: 300, to: 30, duration: 10s}}]
                requests: [{path: /}]
            """;

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    private static Problem expect(ValidationException e, String part, int line) {
        return YamlFixture.expectOne(e, part, line, 0);
    }

    @Test
    void tenTimesTrafficWithinFiveMinutesReadsAsAStepAndAScalingObjective() throws IOException {
        write("slo/s.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: ten-x, scaling: {below: 5m, stableFor: 10s, errorRateBelow: 1%, latency: {percentile: 95, below: 200ms}}}
                    - {name: pods, scaling: {below: 30s, measure: capacity}, windows: ["step:2"]}
                """);
        Path s = write("s.yaml", HEAD + STEP_LOAD + "  slos: [slo/s.yaml]\n");
        Scenario sc = loader.loadScenario(s);
        SloDef tenX = sc.slos().get(0);
        assertEquals(300.0, tenX.target());
        assertEquals(Op.LTE, tenX.op());
        assertEquals(List.of("step:*"), tenX.windows(), "a scaling objective covers every step by default");
        SloDef.Scaling sc0 = (SloDef.Scaling) tenX.indicator();
        assertEquals(new SloDef.Rto(0.01, 95, 0.2, 3, 10), sc0.criteria());
        assertTrue(!sc0.measureCapacity());
        assertNull(sc0.deployment());
        SloDef.Scaling pods = (SloDef.Scaling) sc.slos().get(1).indicator();
        assertTrue(pods.measureCapacity());
        assertEquals(List.of("step:2"), sc.slos().get(1).windows());
        Stage step = sc.load().stages().get(1);
        assertEquals(10.0, step.to().perSecond() / step.from().perSecond(), 1e-9, "the step goes from R to 10R");
        assertEquals(List.of("step:2", "step:3"), Plan.expand(List.of("step:*"), List.of(), sc.load().stages()));
        assertEquals(List.of(new Plan.Span("step:2", Duration.ofSeconds(20), Duration.ofSeconds(80)),
                new Plan.Span("step:3", Duration.ofSeconds(80), Duration.ofSeconds(90))), Plan.steps(sc.load().stages()));
    }

    @Test
    void kubernetesDeploymentSelectorIsKeptWithoutBraces() throws IOException {
        Path f = write("slo.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: k, scaling: {below: 2m, deployment: '{namespace="shop",deployment="api"}'}}
                """);
        SloDef.Scaling s = (SloDef.Scaling) loader.loadSlos(f).get(0).indicator();
        assertEquals("namespace=\"shop\",deployment=\"api\"", s.deployment());
    }

    @Test
    void badScalingObjectivesSayWhereAndWhatToWrite() throws IOException {
        Path f = write("slo.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: a, scaling: {stableFor: 10s}}
                    - {name: b, scaling: {below: 1m, measure: pods}}
                    - {name: c, scaling: {below: 1m, within: 5m}}
                    - {name: d, scaling: {below: 1m}, windows: ["step:x"]}
                    - {name: e, scaling: {below: 1m}, faults: [all]}
                    - {name: f, scaling: {below: 1m}, windows: [run]}
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        expect(e, "needs 'below'", 6);
        assertTrue(expect(e, "unknown measure 'pods'", 7).hint().contains("measure: capacity"));
        expect(e, "within", 8);
        assertTrue(expect(e, "unknown window 'step:x'", 9).hint().contains("step:<stage number>"));
        expect(e, "faults only applies to rto and rpo objectives", 10);
        assertTrue(expect(e, "a scaling objective is judged per load step, not over 'run'", 11).hint().contains("step:*"));
    }

    @Test
    void stepWindowsMustNameAStepOrRampStage() throws IOException {
        write("slo/s.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: hold, scaling: {below: 1m}, windows: ["step:1"]}
                    - {name: beyond, scaling: {below: 1m}, windows: ["step:9"]}
                """);
        ValidationException e = assertThrows(ValidationException.class,
                () -> loader.loadScenario(write("s.yaml", HEAD + STEP_LOAD + "  slos: [slo/s.yaml]\n")));
        assertTrue(expect(e, "names stage 1, a hold", 6).hint().contains("step:2, step:3"));
        expect(e, "names stage 9, but the load has 3 stages", 7);

        write("slo/all.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: any, scaling: {below: 1m}}
                """);
        ValidationException none = assertThrows(ValidationException.class, () -> loader.loadScenario(write("h.yaml", HEAD + """
                  load:
                    stages: [{hold: {rps: 30, duration: 20s}}]
                    requests: [{path: /}]
                  slos: [slo/all.yaml]
                """)));
        expect(none, "window 'step:*' of SLO 'any' would be empty", 6);
    }

    @Test
    void autoscalerBlockLoadsWithDefaultsAndIsAbsentByDefault() throws IOException {
        Path s = write("s.yaml", HEAD + """
                  target:
                    sandbox: {regions: 2, nodesPerRegion: 2, podsPerNode: 2, autoscaler: {min: 2, max: 8, metric: inflight, targetPerPod: 4}}
                """ + STEP_LOAD);
        SandboxSpec spec = loader.loadScenario(s).target().sandbox();
        assertEquals(new SandboxSpec.Autoscaler(2, 8, SandboxSpec.Metric.INFLIGHT, 4, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(30)), spec.autoscaler());
        assertEquals(spec.autoscaler(), SandboxSpec.Autoscaler.fromArg(spec.autoscaler().toArg()), "the daemon argument round-trips");
        assertNull(loader.loadScenario(write("p.yaml", HEAD + STEP_LOAD)).target().sandbox().autoscaler());
    }

    @Test
    void badAutoscalerBlocks() throws IOException {
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadScenario(write("s.yaml", HEAD + """
                  target:
                    sandbox:
                      regions: 1
                      nodesPerRegion: 2
                      podsPerNode: 2
                      autoscaler: {min: 2, max: 6, metric: cpu, targetPerPod: 0, period: 100ms}
                """ + STEP_LOAD)));
        assertTrue(expect(e, "max 6 is more than the sandbox's 4 pod slots", 10).hint().contains("podsPerNode"));
        assertTrue(expect(e, "unknown autoscaler metric 'cpu'", 10).hint().contains("inflight"));
        expect(e, "targetPerPod is 0", 10);
        expect(e, "period is 0.1s", 10);
        ValidationException m = assertThrows(ValidationException.class, () -> loader.loadScenario(write("m.yaml", HEAD + """
                  target:
                    sandbox: {autoscaler: {max: 1, targetPerPod: 5}}
                """ + STEP_LOAD)));
        expect(m, "needs 'min'", 6);
        ValidationException below = assertThrows(ValidationException.class, () -> loader.loadScenario(write("b.yaml", HEAD + """
                  target:
                    sandbox: {autoscaler: {min: 3, max: 1, targetPerPod: 5}}
                """ + STEP_LOAD)));
        expect(below, "max 1 is below min 3", 6);
    }
}
