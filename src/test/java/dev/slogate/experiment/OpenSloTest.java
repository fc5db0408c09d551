package dev.slogate.experiment;

import static dev.slogate.experiment.YamlFixture.expectOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSLO v1 as the spec defines it: the fixtures in src/test/resources/openslo/v1 cover every file layout (one document,
 * --- separated, a top-level sequence, JSON object and array) and every key of the v1 spec; each rule has a test.
 */
class OpenSloTest {
    private static final Path V1 = Path.of("src/test/resources/openslo/v1");
    private static final Path REFUSED = Path.of("src/test/resources/openslo/refused");

    @TempDir
    Path dir;

    private static List<Path> allV1() throws IOException {
        try (Stream<Path> s = Files.list(V1)) {
            return s.sorted().toList();
        }
    }

    private static ExperimentLoader withAll() throws IOException {
        return new ExperimentLoader().withReferencesIn(allV1());
    }

    private static SloDef only(List<SloDef> slos) {
        assertEquals(1, slos.size(), slos::toString);
        return slos.get(0);
    }

    private static boolean warned(ExperimentLoader loader, String part, int line, int column) {
        return loader.warnings().stream().anyMatch(w -> w.message().contains(part) && w.line() == line && w.column() == column
                && w.hint() != null && !w.hint().isBlank());
    }

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    private ValidationException fails(String yaml) throws IOException {
        Path f = write("slo.yaml", yaml);
        return assertThrows(ValidationException.class, () -> new ExperimentLoader().loadSlos(f));
    }

    @Test
    void everyLayoutAndKindLoadsWhenItsFilesAreGivenTogether() throws IOException {
        ExperimentLoader loader = withAll();
        for (Path f : allV1()) {
            loader.validate(f);
        }
        assertEquals(List.of("buy-journey/browse", "buy-journey/cart", "buy-journey/pay"), loader.loadSlos(V1.resolve("composite.yaml")).stream().map(SloDef::name).toList());
        assertEquals(List.of("search-errors"), loader.loadSlos(V1.resolve("documents.yaml")).stream().map(SloDef::name).toList());
        assertEquals(List.of("web-availability", "web-ratio-timeslices"), loader.loadSlos(V1.resolve("sequence.yaml")).stream().map(SloDef::name).toList());
        assertEquals(List.of("queue-shallow"), loader.loadSlos(V1.resolve("array.json")).stream().map(SloDef::name).toList());
        assertEquals(List.of("orders-latency"), loader.loadSlos(V1.resolve("object.json")).stream().map(SloDef::name).toList());
        assertEquals(List.of(), loader.loadSlos(V1.resolve("slis.yaml")));
    }

    @Test
    void aRatioObjectiveReadsItsTargetAndWarnsAboutOpTimeWindowAndAlertPolicies() throws IOException {
        ExperimentLoader loader = withAll();
        Path f = V1.resolve("single.yaml");
        SloDef slo = only(loader.loadSlos(f));
        assertEquals(new SloDef("checkout-availability", "Nearly every checkout request succeeds", new SloDef.Ratio(SloDef.Source.PROMETHEUS,
                "http_requests_total{job=\"checkout\",code=~\"2..|3..\"}", null, "http_requests_total{job=\"checkout\"}", true),
                Op.GTE, 0.995, List.of("run"), f, 38), slo);
        assertTrue(warned(loader, "op on a ratioMetric objective is ignored", 39, 11), loader.warnings()::toString);
        assertTrue(warned(loader, "timeWindow (28d) is ignored", 34, 5), loader.warnings()::toString);
        assertTrue(warned(loader, "alertPolicies are ignored", 42, 5), loader.warnings()::toString);
        assertTrue(loader.warnings().stream().noneMatch(w -> w.message().contains("checkout-burn")), "the policy is in documents.yaml");
    }

    @Test
    void aReferenceToSomethingNotGivenIsAWarningForAnAlertPolicy() {
        ExperimentLoader loader = new ExperimentLoader();
        loader.loadSlos(V1.resolve("single.yaml"));
        assertTrue(warned(loader, "AlertPolicy 'checkout-burn' is not in " + V1.resolve("single.yaml"), 42, 23), loader.warnings()::toString);
    }

    @Test
    void anSliResolvesItsDataSourceAndABadRatioBecomesAnUpperBound() {
        ExperimentLoader loader = new ExperimentLoader();
        Path f = V1.resolve("documents.yaml");
        SloDef slo = only(loader.loadSlos(f));
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, null, "search_requests_total{code=~\"5..\"}", "search_requests_total", true), slo.indicator());
        assertEquals(Op.LTE, slo.op());
        assertEquals(0.001, slo.target(), 1e-12);
        assertEquals(List.of("steady", "fault:*"), slo.windows());
        assertTrue(warned(loader, "connectionDetails are ignored", 17, 3), loader.warnings()::toString);
        assertTrue(warned(loader, "kind AlertNotificationTarget is ignored", 95, 7), loader.warnings()::toString);
    }

    @Test
    void timeslicesAndRatioTimeslicesAreJudgedInSlices() {
        ExperimentLoader loader = new ExperimentLoader();
        List<SloDef> slos = loader.loadSlos(V1.resolve("sequence.yaml"));
        SloDef timeslices = slos.get(0);
        assertEquals(Op.GTE, timeslices.op());
        assertEquals(0.95, timeslices.target(), 1e-12, "a slice is good when 95 % of its events are");
        assertEquals(new SloDef.TimeSlices(Duration.ofMinutes(1), 0.995), timeslices.slices());
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, "sum(http_requests{component=\"web\",code=~\"2..|4..\"})", null,
                "sum(http_requests{component=\"web\"})", true), timeslices.indicator());
        SloDef ratioTimeslices = slos.get(1);
        assertEquals(new SloDef.TimeSlices(Duration.ofMinutes(5), null), ratioTimeslices.slices(), "a number of minutes");
        assertEquals(0.99, ratioTimeslices.target(), 1e-12);
        // queries that take a range are not counters; Sloth's {{.window}} is slogate's $window
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, "sum(rate(http_requests{component=\"web\",code=~\"2..\"}[$window]))", null,
                "sum(rate(http_requests{component=\"web\"}[$window]))", false), ratioTimeslices.indicator());
    }

    @Test
    void aThresholdObjectivesTargetIsTheShareOfGoodSlices() {
        ExperimentLoader loader = new ExperimentLoader().withReferencesIn(List.of(V1.resolve("array.json")));
        SloDef slo = only(loader.loadSlos(V1.resolve("array.json")));
        assertEquals(new SloDef.Threshold("max(max_over_time(queue_depth{queue=\"orders\"}[$window]))"), slo.indicator(), "spec.promql is read like query");
        assertEquals(Op.LTE, slo.op());
        assertEquals(100, slo.target());
        assertEquals(new SloDef.TimeSlices(Duration.ofMinutes(1), 0.99), slo.slices());
        assertTrue(warned(loader, "metricSource.spec: dimensions is not read", 10, 92), loader.warnings()::toString);
        assertNull(only(new ExperimentLoader().loadSlos(V1.resolve("object.json"))).slices(), "without target the value at the window's end is judged");
    }

    @Test
    void aCompositeSloIsJudgedPerObjectiveWithTheWeightsReported() throws IOException {
        ExperimentLoader loader = withAll();
        List<SloDef> slos = loader.loadSlos(V1.resolve("composite.yaml"));
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, "browse_requests_total{code=\"200\"}", null, "browse_requests_total", true), slos.get(0).indicator());
        assertEquals(new SloDef.Ratio(SloDef.Source.PROMETHEUS, "cart_requests_total{code=\"200\"}", null, "cart_requests_total", true), slos.get(1).indicator());
        assertEquals(0.995, slos.get(1).target(), 1e-12);
        assertTrue(slos.get(1).description().endsWith("objective 2 of 3 of composite SLO buy-journey, weight 2 of 6"), slos.get(1).description());
        // a raw success ratio: its average over the window must reach the target
        assertEquals(new SloDef.Threshold("avg_over_time((payment:success_ratio)[$window:1s])"), slos.get(2).indicator());
        assertEquals(Op.GTE, slos.get(2).op());
        assertEquals(0.999, slos.get(2).target(), 1e-12);
        assertTrue(warned(loader, "compositeWeight is reported, not used to judge", 20, 24), loader.warnings()::toString);
    }

    @Test
    void aMissingSliNamesTheFilesSearched() {
        Path f = V1.resolve("composite.yaml");
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().withReferencesIn(List.of(V1.resolve("single.yaml"))).loadSlos(f));
        Problem p = expectOne(e, "indicatorRef 'pay-success' names no kind: SLI document in " + f + ", " + V1.resolve("single.yaml"), 39, 21);
        assertTrue(p.hint().contains("same command line"), p.hint());
    }

    @Test
    void aScenarioResolvesReferencesAcrossItsSlosFiles() throws IOException {
        for (String name : List.of("composite.yaml", "slis.yaml")) {
            Files.copy(V1.resolve(name), dir.resolve(name));
        }
        Path scenario = write("s.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  target: {url: "http://127.0.0.1:1", prometheus: "http://127.0.0.1:2"}
                  load:
                    stages: [{hold: {rps: 5, duration: 10s}}]
                    requests: [{path: /}]
                  slos: [composite.yaml, slis.yaml]
                """);
        ExperimentLoader loader = new ExperimentLoader();
        assertEquals(List.of("buy-journey/browse", "buy-journey/cart", "buy-journey/pay"), loader.loadScenario(scenario).slos().stream().map(SloDef::name).toList());
        assertTrue(warned(loader, "compositeWeight", 17, 24), loader.warnings()::toString);
    }

    @Test
    void v1alphaIsRefusedWithHowToConvert() {
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().loadSlos(REFUSED.resolve("v1alpha.yaml")));
        Problem p = expectOne(e, "apiVersion openslo/v1alpha is not supported; slogate reads OpenSLO v1", 1, 13);
        assertTrue(p.hint().contains("metricSource: {type: Prometheus"), p.hint());
        assertEquals(1, e.getProblems().size(), e.getMessage());
    }

    @Test
    void aNonPrometheusSourceKeepsItsClearMessageAlsoThroughADataSource() {
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().loadSlos(REFUSED.resolve("datadog.yaml")));
        assertEquals(List.of("24:30", "29:30"), e.getProblems().stream().map(p -> p.line() + ":" + p.column()).toList(), e.getMessage());
        assertTrue(e.getProblems().stream().allMatch(p -> p.message().equals("metricSource type 'Datadog' (of DataSource datadog) is not supported; slogate reads Prometheus only")
                && p.hint().contains("type: Prometheus")), e.getMessage());
    }

    @Test
    void aMissingDataSourceWithoutTypeIsAProblemNamingTheFiles() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {metricSourceRef: prom, spec: {query: x}}}
                  objectives: [{op: lt, value: 1}]
                """);
        expectOne(e, "metricSourceRef 'prom' names no kind: DataSource document in " + dir.resolve("slo.yaml"), 7, 57);
    }

    @Test
    void timeslicesNeedATimeSliceTargetAndWarnWithoutAWindow() throws IOException {
        Path f = write("t.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  budgetingMethod: TimeSlices
                  indicator:
                    spec:
                      ratioMetric:
                        good: {metricSource: {type: Prometheus, spec: {query: g}}}
                        total: {metricSource: {type: Prometheus, spec: {query: t}}}
                  objectives:
                    - {displayName: with, target: 0.99, timeSliceTarget: 0.9}
                    - {displayName: without, target: 0.99}
                """);
        ExperimentLoader loader = new ExperimentLoader();
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        expectOne(e, "spec.objectives[1] needs 'timeSliceTarget'", 13, 7);
        assertEquals(1, e.getProblems().size(), e.getMessage());
        assertTrue(warned(loader, "spec.objectives[0] has no timeSliceWindow: it is judged in slices of 1m", 12, 7), loader.warnings()::toString);
    }

    @Test
    void objectiveKeysOutsideTheSpecAreStillTypos() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  budgetingMethod: Occurrences
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives:
                    - {op: lt, value: 1, target: 0.9, targetPercent: 90, timeSliceWindw: 1m}
                ---
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: b}
                spec:
                  budgetingMethod: Occurences
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: x}}}
                  objectives: [{op: lt, value: 1}]
                """);
        expectOne(e, "unknown key 'timeSliceWindw' in spec.objectives[0]; did you mean 'timeSliceWindow'?", 10, 58);
        expectOne(e, "unknown budgetingMethod 'Occurences'; did you mean 'Occurrences'?", 16, 20);
        expectOne(e, "spec.objectives[0] has both target and targetPercent", 10, 54);
    }

    @Test
    void anIndicatorInSpecAndInObjectivesIsRefusedSayingWhy() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  indicatorRef: x
                  objectives:
                    - {target: 0.9, indicatorRef: y}
                """);
        Problem p = expectOne(e, "spec has an indicator and its objectives have their own (a composite SLO)", 5, 17);
        assertTrue(p.hint().contains("give each objective its own indicator"), p.hint());
    }

    @Test
    void anSloWithoutAnyIndicatorSaysWhereOneGoes() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: a}
                spec:
                  objectives: [{target: 0.9}]
                """);
        Problem p = expectOne(e, "spec needs 'indicator' or 'indicatorRef'", 5, 3);
        assertTrue(p.hint().contains("composite SLO gives each objective its own"), p.hint());
    }

    @Test
    void labelsAreValuesOrListsOfValues() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: Service
                metadata:
                  name: a
                  labels: {team: [x, y], tier: "1", bad: {nested: map}}
                spec: {description: d}
                """);
        expectOne(e, "metadata.labels.bad must be a value or a list of values", 5, 42);
        assertEquals(1, e.getProblems().size(), e.getMessage());
    }

    @Test
    void anUnknownKindIsRefusedWithTheKindsOfV1() throws IOException {
        ValidationException e = fails("""
                apiVersion: openslo/v1
                kind: SLOs
                metadata: {name: a}
                spec: {}
                """);
        assertTrue(expectOne(e, "kind is 'SLOs', which OpenSLO v1 does not define", 2, 7).hint().contains("AlertNotificationTarget"));
    }
}
