package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import dev.slogate.sandbox.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a real Prometheus, validate --prometheus and plan (a url target naming it) say per query that it was checked by
 * that server; a query only the server can refuse (an unknown function) is refused at its place in the file.
 */
class PromqlLiveCheckIT {
    @TempDir
    static Path dir;

    private static PrometheusServer server;

    @BeforeAll
    static void start() {
        server = PrometheusServer.start(dir.resolve("prometheus"), List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** A threshold SLO with {@code query} on line 9 and a url-target scenario using it. */
    private static Path scenario(String name, String query) throws IOException {
        write(name + "/slo.yaml", """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: p95}
                spec:
                  indicator:
                    metadata: {name: p95}
                    spec:
                      thresholdMetric:
                        metricSource: {type: Prometheus, spec: {query: '%s'}}
                  objectives: [{op: lt, value: 0.3}]
                """.formatted(query));
        return write(name + "/scenario.yaml", """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: live}
                spec:
                  target: {url: "http://127.0.0.1:9", prometheus: "%s"}
                  load:
                    stages: [{hold: {rps: 5, duration: 10s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """.formatted(server.url()));
    }

    @Test
    void validateAndPlanSayTheServerCheckedEachQuery() throws IOException {
        Path s = scenario("good", "histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket[$window])))");
        Result v = InProcessCli.run("validate", "--prometheus", server.url(), s.getParent().resolve("slo.yaml").toString());
        assertEquals(0, v.code(), v.out());
        assertTrue(v.out().contains("  promql: 1 query checked by Prometheus at " + server.url()), v.out());

        Result p = InProcessCli.run("plan", "--state-dir", dir.resolve("state").toString(), s.toString());
        assertEquals(0, p.code(), p.out());
        // a long query is shortened to keep the line readable
        assertTrue(p.out().contains("slo.yaml:9  histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bu...  checked by Prometheus at "
                + server.url() + "\n"), p.out());
    }

    @Test
    void aQueryOnlyTheServerRefusesIsRefusedAtItsPlace() throws IOException {
        Path s = scenario("unknown-function", "sum(rte(http_requests_total[$window]))");
        Result offline = InProcessCli.run("validate", s.getParent().resolve("slo.yaml").toString());
        assertEquals(0, offline.code(), "function names are the server's to judge: " + offline.out());

        Result v = InProcessCli.run("validate", "--prometheus", server.url(), s.getParent().resolve("slo.yaml").toString());
        assertEquals(2, v.code(), v.out());
        // the quote is at column 56 of line 9; "rte" starts at the query's 5th character
        assertTrue(v.out().contains("slo.yaml:9:61: Prometheus rejects the query: unknown function with name \"rte\""), v.out());

        Result p = InProcessCli.run("plan", "--state-dir", dir.resolve("state").toString(), s.toString());
        assertEquals(2, p.code(), p.out());
        assertTrue(p.out().contains("slo.yaml:9  sum(rte(http_requests_total[$window]))  REJECTED by Prometheus at " + server.url()), p.out());
        assertTrue(p.out().contains("slo.yaml:9:61: Prometheus rejects the query: unknown function"), p.out());
    }
}
