package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox database block, spec.probes and the rpo objective: read right, and bad input named with its line. */
class RecoveryInputTest {
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    private static final String LOAD = """
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
            """;
    private static final String FAULT = """
              faults:
                - {name: region-a, at: 10s, fault: {type: region-outage, selector: {labels: {region: a}, mode: all}, duration: 8s}}
            """;
    private static final String PROBE = """
              probes:
                - {name: writes, write: {method: POST, path: /records, body: '{"seq": ${seq}, "ts": ${ts}}'}, read: {path: '/records?from=${from}'}, rate: 20/s}
            """;

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    private Scenario scenario(String spec) throws IOException {
        return loader.loadScenario(write("s.yaml", HEAD + spec));
    }

    private ValidationException fails(String spec) throws IOException {
        Path s = write("s.yaml", HEAD + spec);
        return assertThrows(ValidationException.class, () -> loader.loadScenario(s));
    }

    private static Problem expect(ValidationException e, String part, int line) {
        return YamlFixture.expectOne(e, part, line, 0);
    }

    private void rpoSlo(String objective) throws IOException {
        write("slo/r.yaml", "apiVersion: slogate/v1\nkind: Objectives\nmetadata: {name: r}\nspec:\n  objectives:\n    - " + objective + "\n");
    }

    @Test
    void databaseProbeAndRpoObjectiveAreRead() throws IOException {
        rpoSlo("{name: rpo, rpo: {below: 5m, probe: writes}, faults: [all]}");
        Scenario s = scenario("  target:\n    sandbox: {regions: 2, database: {replication: async, lag: 2s, failoverAfter: 3s}}\n"
                + LOAD + FAULT + PROBE + "  slos: [slo/r.yaml]\n");
        assertEquals(new DatabaseSpec(DatabaseSpec.Replication.ASYNC, Duration.ofSeconds(2), Duration.ofSeconds(3)),
                s.target().sandbox().database());
        assertEquals(List.of(new ProbeSpec("writes", "POST", "/records", "{\"seq\": ${seq}, \"ts\": ${ts}}", "/records?from=${from}",
                20, ProbeSpec.DEFAULT_TIMEOUT)), s.probes());
        SloDef rpo = s.slos().get(0);
        assertEquals(new SloDef.Rpo("writes"), assertInstanceOf(SloDef.Rpo.class, rpo.indicator()));
        assertEquals(300, rpo.target());
        assertEquals(Op.LTE, rpo.op());
        assertEquals(List.of("fault:*"), rpo.windows());
    }

    @Test
    void noDatabaseBlockMeansNoDatabase() throws IOException {
        assertNull(scenario("  target:\n    sandbox: {regions: 2}\n" + LOAD).target().sandbox().database());
        assertEquals(DatabaseSpec.defaults(), scenario("  target:\n    sandbox: {database: {}}\n" + LOAD).target().sandbox().database());
    }

    @Test
    void badReplicationModeAndLagWithSync() throws IOException {
        ValidationException e = fails("  target:\n    sandbox:\n      database: {replication: semi}\n" + LOAD);
        expect(e, "spec.target.sandbox.database.replication is 'semi'", 7);
        e = fails("  target:\n    sandbox:\n      database:\n        replication: sync\n        lag: 2s\n" + LOAD);
        expect(e, "lag only applies to async replication", 9);
    }

    @Test
    void aDatabaseNeedsTwoRegions() throws IOException {
        ValidationException e = fails("  target:\n    sandbox:\n      regions: 1\n      database: {replication: sync}\n" + LOAD);
        expect(e, "the database needs 2 regions", 8);
    }

    @Test
    void probeProblems() throws IOException {
        ValidationException e = fails(LOAD + """
                  probes:
                    - name: writes
                      type: read-only
                      write: {path: records, body: '{}'}
                      read: {}
                      rate: 0/s
                """);
        expect(e, "spec.probes[0].type is 'read-only'", 10);
        expect(e, "does not start with /", 11);
        expect(e, "spec.probes[0].write never sends ${seq}", 11);
        expect(e, "spec.probes[0].read needs 'path'", 12);
        expect(e, "a probe writes between 1/s and 1000/s", 13);
    }

    @Test
    void rpoObjectiveNeedsAProbeOfTheScenario() throws IOException {
        rpoSlo("{name: rpo, rpo: {below: 5m, probe: wrights}}");
        ValidationException e = fails(LOAD + FAULT + PROBE + "  slos: [slo/r.yaml]\n");
        Problem p = expect(e, "RPO 'rpo' reads probe 'wrights', but the scenario has only the probes writes", 6);
        assertEquals("write probe: writes", p.hint());
    }

    @Test
    void rpoObjectiveProblemsInTheSloFile() throws IOException {
        rpoSlo("{name: rpo, rpo: {below: soon}, windows: [run]}");
        Path slo = dir.resolve("slo/r.yaml");
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(slo));
        expect(e, "an rpo objective is judged per fault, not over windows", 6);
        expect(e, "probe", 6);
    }
}
