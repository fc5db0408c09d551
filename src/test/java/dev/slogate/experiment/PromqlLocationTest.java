package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.promql.CheckedQuery;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline, a PromQL problem of an SLO file is found by validate and located in the file: the query's own line and
 * column plus the offset inside it, through quotes, escapes and block scalars.
 */
class PromqlLocationTest {
    @TempDir
    Path dir;

    /** An OpenSLO threshold SLO whose query is {@code query}, written on line 12 from column 20 on. */
    private Path openSlo(String query) throws IOException {
        return YamlFixture.write(dir, "slo.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: latency}
                spec:
                  indicator:
                    metadata: {name: p95}
                    spec:
                      thresholdMetric:
                        metricSource:
                          type: Prometheus
                          spec:
                            query: %s
                  objectives: [{op: lt, value: 0.3}]
                """.formatted(query));
    }

    private Problem onlyProblem(Path f) {
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().validate(f));
        assertEquals(1, e.getProblems().size(), e.getMessage());
        Problem p = e.getProblems().get(0);
        assertTrue(p.message().startsWith("PromQL: "), p.message());
        assertTrue(p.message().endsWith("(parsed offline)"), p.message());
        return p;
    }

    private static void at(Problem p, int line, int column) {
        assertEquals(line + ":" + column, p.line() + ":" + p.column(), p::toString);
    }

    @Test
    void anUnbalancedParenthesisIsRefusedOfflineAtTheParenthesis() throws IOException {
        // the defect of issue 11: this query was accepted without a word
        Problem p = onlyProblem(openSlo("'histogram_quantile(0.95, sum by (le) (rate(x_bucket[$window]))'"));
        assertTrue(p.message().contains("unclosed '('"), p.message());
        // the quote is at column 20 of line 12, so the query's first character at 21
        at(p, 12, 21 + "histogram_quantile".length());
    }

    @Test
    void plainDoubleQuotedAndEscapedScalarsAreLocated() throws IOException {
        at(onlyProblem(openSlo("sum(rate(x[5m])) +")), 12, 20 + "sum(rate(x[5m])) ".length());
        // \" in YAML is one character of the query: the column counts the file's characters
        at(onlyProblem(openSlo("\"sum(x{a=\\\"b\\\"}) by (le\"")), 12, 21 + "sum(x{a=\\\"b\\\"}) by ".length());
        at(onlyProblem(openSlo("'x{a=''b'', c}'")), 12, 21 + "x{a=''b'', c".length());
        // a plain scalar folded over two lines
        at(onlyProblem(openSlo("sum(rate(x[5m]))\n              / sum(rate(y[5m])) )")), 13, 34);
    }

    @Test
    void aBlockScalarIsLocatedOnTheQuerysOwnLine() throws IOException {
        Path literal = YamlFixture.write(dir, "block.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - name: e
                      errorRate:
                        below: 1%
                        source: prometheus
                        counter: false
                        bad: |
                          sum(rate(http_requests_total{code=~"5.."}[$window]))
                            /
                          sum(rate(http_requests_total[$window])) by (route
                        total: vector(1)
                """);
        Problem p = onlyProblem(literal);
        assertTrue(p.message().contains("label list after by"), p.message());
        at(p, 14, 54);
        Path folded = YamlFixture.write(dir, "folded.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - name: e
                      errorRate:
                        below: 1%
                        source: prometheus
                        counter: false
                        bad: >-
                          sum(rate(http_requests_total{code=~"5.."}[$window]))
                          / sum(rate(http_requests_total[$window])) %
                        total: vector(1)
                """);
        at(onlyProblem(folded), 13, 53);
    }

    @Test
    void aCounterSelectorIsCheckedAsWrittenNotAsWrapped() throws IOException {
        Path f = YamlFixture.write(dir, "c.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - {name: e, errorRate: {below: 1%, source: prometheus, bad: 'rate(x{code="5xx"}[5m]', total: x}}
                """);
        Problem p = onlyProblem(f);
        assertTrue(p.message().contains("unclosed '('"), p.message());
        at(p, 6, 66 + "rate".length());
    }

    @Test
    void jsonFilesAreLocatedToo() throws IOException {
        Path f = YamlFixture.write(dir, "slo.json", """
                {"apiVersion": "openslo/v1", "kind": "SLO", "metadata": {"name": "a"},
                 "spec": {"indicator": {"metadata": {"name": "i"}, "spec": {"thresholdMetric":
                   {"metricSource": {"type": "Prometheus", "spec": {"query": "up{job=\\"api\\"} == bool ;"}}}}},
                  "objectives": [{"op": "gt", "value": 0.5}]}}
                """);
        Problem p = onlyProblem(f);
        assertTrue(p.message().contains("unexpected character ';'"), p.message());
        at(p, 3, 63 + "up{job=\\\"api\\\"} == bool ".length());
    }

    @Test
    void validQueriesOfEveryKindPassOfflineAndAreListedAsParsedOffline() throws IOException {
        Path f = YamlFixture.write(dir, "ok.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: p}
                spec:
                  objectives:
                    - {name: lat, latency: {percentile: 95, below: 200ms, histogram: http_duration_seconds, selector: 'route=~"/api/.*"'}}
                    - {name: err, errorRate: {below: 1%, source: prometheus, bad: 'http_requests_total{code=~"5.."}', total: sum(http_requests_total)}}
                    - name: avail
                      availability:
                        atLeast: 99%
                        source: prometheus
                        counter: false
                        good: |
                          sum(rate(http_requests_total{code!~"5.."}[$window])) # not server errors
                            or vector(0)
                        total: sum(rate(http_requests_total[$window])) or on() vector(1)
                """);
        ExperimentLoader loader = new ExperimentLoader();
        loader.validate(f);
        List<CheckedQuery> q = loader.checkedQueries();
        assertEquals(List.of("http_duration_seconds", "http_requests_total{code=~\"5..\"}", "sum(http_requests_total)",
                "sum(rate(http_requests_total{code!~\"5..\"}[$window])) # not server errors\n  or vector(0)\n",
                "sum(rate(http_requests_total[$window])) or on() vector(1)"), q.stream().map(CheckedQuery::query).toList());
        assertTrue(q.stream().noneMatch(CheckedQuery::live));
        assertEquals(List.of(6, 7, 7, 13, 16), q.stream().map(CheckedQuery::line).toList());
    }

    @Test
    void aCounterThatIsNotASelectorIsCheckedAsTheEvaluatorRunsIt() throws IOException {
        // the evaluator takes the increase of a 1 s subquery of it; checking increase(sum(x)[1m]) would refuse a valid file
        Path f = YamlFixture.write(dir, "counter.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: errors}
                spec:
                  indicator:
                    metadata: {name: e}
                    spec:
                      ratioMetric:
                        counter: true
                        bad: {metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total{code=~"5.."})'}}}
                        total: {metricSource: {type: Prometheus, spec: {query: 'http_requests_total'}}}
                  objectives: [{target: 0.99}]
                """);
        java.util.List<String> asked = new java.util.ArrayList<>();
        new ExperimentLoader(q -> {
            asked.add(q);
            return java.util.Optional.empty();
        }).validate(f);
        assertEquals(List.of("sum(increase((sum(http_requests_total{code=~\"5..\"}))[1m:1s]))", "sum(increase(http_requests_total[1m]))"), asked);
        new ExperimentLoader().validate(f); // and offline it passes
    }
}
