package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML anchors, aliases and merge keys give the values they stand for (a gate must judge the query that was written),
 * problems with an aliased value point at the line that uses it, and the layouts of real OpenSLO files load.
 */
class AnchorsAndLayoutsTest {
    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    @Test
    void anAliasUsedAsAPromqlQueryIsTheAnchorsQuery() throws IOException {
        Path f = write("q.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata:
                  name: latency
                  annotations: {query: &q 'histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))'}
                spec:
                  indicator:
                    spec:
                      thresholdMetric: {metricSource: {type: Prometheus, spec: {query: *q}}}
                  objectives: [{op: lt, value: 0.3}]
                """);
        List<SloDef> slos = loader.loadSlos(f);
        assertEquals(new SloDef.Threshold("histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m])))"), slos.get(0).indicator());
    }

    @Test
    void aScalarAliasAndMergeKeysGiveTheAnchoredValuesAndTheMapsOwnKeysWin() throws IOException {
        Path f = write("o.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata:
                  name: o
                  annotations: {slow: &slow 2s, base: &base {percentile: 95, below: 1s}, p99: &p99 {percentile: 99}}
                spec:
                  objectives:
                    - {name: a, latency: {percentile: 90, below: *slow}}
                    - {name: b, latency: {<<: *base}}
                    - {name: c, latency: {<<: *base, below: *slow}}
                    - {name: d, latency: {<<: [*p99, *base]}}
                """);
        List<SloDef> slos = loader.loadSlos(f);
        assertEquals(List.of(2.0, 1.0, 2.0, 1.0), slos.stream().map(SloDef::target).toList());
        assertEquals(List.of(90.0, 95.0, 95.0, 99.0), slos.stream().map(s -> ((SloDef.Latency) s.indicator()).percentile()).toList());
    }

    @Test
    void aDurationAliasInAScenarioIsTheDuration() throws IOException {
        Path f = write("s.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: t, annotations: {d: &d 30s}}
                spec:
                  load:
                    stages: [{hold: {rps: 10, duration: *d}}, {hold: {rps: 20, duration: *d}}]
                    requests: [{path: /}]
                """);
        assertEquals(Duration.ofSeconds(60), loader.loadScenario(f).duration());
    }

    @Test
    void aProblemWithAnAliasedValueIsReportedWhereTheAliasIsUsed() throws IOException {
        Path f = write("bad.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: o, annotations: {p: &p 250}}
                spec:
                  objectives:
                    - {name: a, latency: {percentile: 95, below: 1s}}
                    - {name: b, latency: {percentile: *p, below: 1s}}
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        YamlFixture.expectOne(e, "percentile is 250", 7, 39);
    }

    @Test
    void aMergedKeyThatIsUnknownIsReportedAtTheMergeKey() throws IOException {
        Path f = write("merge.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: o, annotations: {base: &base {percentile: 95, blow: 1s}}}
                spec:
                  objectives:
                    - name: a
                      latency:
                        <<: *base
                        below: 1s
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        YamlFixture.expectOne(e, "unknown key 'blow'", 8, 9);
    }

    @Test
    void aTopLevelListHoldsDocumentsEachWithItsOwnLocation() throws IOException {
        Path f = write("list.yaml", """
                - apiVersion: openslo/v1
                  kind: Service
                  metadata: {name: shop}
                  spec: {}
                - apiVersion: slogate/v1
                  kind: Objectives
                  metadata: {name: o}
                  spec:
                    objectives: [{name: a, latency: {percentile: 95, below: 1}}]
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        YamlFixture.expectOne(e, "has no unit", 9, 61);
    }

    @Test
    void jsonLoadsLikeYaml() throws IOException {
        Path f = write("f.json", """
                {"apiVersion": "slogate/v1", "kind": "Fault", "metadata": {"name": "k"},
                 "spec": {"type": "pod-kill", "selector": {"labels": {"app": "demo"}, "mode": "one"}, "duration": "10s"}}
                """);
        FaultSpec spec = loader.loadFault(f);
        assertEquals(Duration.ofSeconds(10), spec.duration());
        assertEquals("k", spec.name());
    }
}
