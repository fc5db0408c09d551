package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate and plan say how each query was checked, and refuse a broken one offline with its place in the file. */
class PromqlCliTest {
    @TempDir
    Path dir;

    /** An OpenSLO ratio SLO; its bad query is written on line 10. */
    private Path slo(String badQuery) throws IOException {
        return write("slo/errors.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: errors}
                spec:
                  indicator:
                    metadata: {name: e}
                    spec:
                      ratioMetric:
                        counter: false
                        bad: {metricSource: {type: Prometheus, spec: {query: '%s'}}}
                        total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total[$window]))'}}}
                  objectives: [{target: 0.99}]
                """.formatted(badQuery));
    }

    /** A sandbox scenario without faults: before, plan checked none of its PromQL and said nothing about it. */
    private Path scenario() throws IOException {
        return write("scenarios/s.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1}
                  load:
                    stages: [{hold: {rps: 10, duration: 30s}}]
                    requests: [{path: /}]
                  slos: [../slo/errors.yaml]
                """);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void validateRefusesUnbalancedParenthesesOfflineWithTheirPlace() throws IOException {
        Path f = slo("sum(rate(http_requests_total{code=~\"5..\"}[$window])");
        Result r = InProcessCli.run("validate", f.toString());
        assertEquals(2, r.code(), r.out());
        // the quote is at column 62 of line 10; the unclosed '(' is the query's 4th character
        assertTrue(r.out().contains(f + ":10:66: PromQL: unclosed '(' of sum(...)"), r.out());
        assertTrue(r.out().contains("(parsed offline)\n    hint: add ')' where its arguments end"), r.out());
        assertTrue(r.out().contains("  promql: 2 queries parsed offline (no Prometheus given: not checked against a server)"), r.out());
    }

    @Test
    void validateSaysTheQueriesWereOnlyParsedOffline() throws IOException {
        Path f = slo("sum(rate(http_requests_total{code=~\"5..\"}[$window])) or vector(0)");
        Result r = InProcessCli.run("validate", f.toString(), scenario().toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("ok     " + f + "\n  promql: 2 queries parsed offline (no Prometheus given: not checked against a server)"), r.out());
        assertTrue(r.out().contains("  promql: 2 queries (of " + f + ") parsed offline"), r.out());
    }

    @Test
    void planOfASandboxScenarioWithoutFaultsChecksItsPromqlOffline() throws IOException {
        slo("sum(rate(http_requests_total{code=~\"5..\"}[$window])");
        Result bad = InProcessCli.run("plan", "--state-dir", dir.resolve("state").toString(), scenario().toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("errors.yaml:10:66: PromQL: unclosed '('"), bad.out());

        slo("sum(rate(http_requests_total{code=~\"5..\"}[$window]))");
        Result ok = InProcessCli.run("plan", "--state-dir", dir.resolve("state").toString(), scenario().toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("\nPromQL:\n"), ok.out());
        assertTrue(ok.out().contains(":10  sum(rate(http_requests_total{code=~\"5..\"}[$window]))  parsed offline\n"), ok.out());
        assertTrue(ok.out().contains(":11  sum(rate(http_requests_total[$window]))  parsed offline\n"), ok.out());
        assertTrue(ok.out().contains("  not checked against a server: no sandbox is running"), ok.out());
        assertFalse(ok.out().contains("checked by Prometheus"), ok.out());
    }

    @Test
    void validateWithAnUnreachablePrometheusSaysSoAndExitsTwo() throws IOException {
        Result r = InProcessCli.run("validate", "--prometheus", "http://127.0.0.1:1", slo("up").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("error: Prometheus at http://127.0.0.1:1 is unreachable"), r.out());
    }
}
