package dev.slogate.experiment;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario's grafana: block, read, or refused at its line with a hint. */
class GrafanaInputTest {
    /** The grafana: block is on line 9; its keys are on lines 10, 11, ... (a missing key is reported at the first) */
    private static final String HEAD = """
            apiVersion: slogate/v1
            kind: Scenario
            metadata: {name: t}
            spec:
              target: {url: http://127.0.0.1:8080}
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
              grafana:
            """;

    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        return YamlFixture.write(dir, "s.yaml", HEAD + String.join("", List.of(lines).stream().map(l -> "    " + l + "\n").toList()));
    }

    private Problem fails(String part, int line, String... lines) throws IOException {
        Path s = write(lines);
        return YamlFixture.expectOne(assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s)), part, line, 0);
    }

    @Test
    void readsTheBlock() throws IOException {
        Scenario s = new ExperimentLoader().loadScenario(write("url: https://grafana.example.com", "tokenEnv: GRAFANA_TOKEN",
                "dashboardUid: slogate-gameday", "tags: [checkout, gameday]"));
        assertEquals(new GrafanaSettings("https://grafana.example.com", "GRAFANA_TOKEN", "slogate-gameday", List.of("checkout", "gameday")), s.grafana());
        Scenario bare = new ExperimentLoader().loadScenario(write("url: http://127.0.0.1:3000", "tokenEnv: GRAFANA_TOKEN"));
        assertEquals(new GrafanaSettings("http://127.0.0.1:3000", "GRAFANA_TOKEN", null, List.of()), bare.grafana());
    }

    @Test
    void aScenarioWithoutItHasNone() throws IOException {
        Path s = YamlFixture.write(dir, "plain.yaml", HEAD.replace("  grafana:\n", ""));
        assertNull(new ExperimentLoader().loadScenario(s).grafana());
    }

    @Test
    void refusesWhatCannotWorkAtItsLine() throws IOException {
        fails("needs 'url'", 10, "tokenEnv: GRAFANA_TOKEN");
        fails("needs 'tokenEnv'", 10, "url: https://grafana.example.com");
        fails("is not an http(s) URL", 10, "url: grafana.example.com", "tokenEnv: GRAFANA_TOKEN");
        fails("is not a dashboard uid", 12, "url: https://g.example.com", "tokenEnv: GRAFANA_TOKEN", "dashboardUid: 'a b/c'");
        fails("has 'x' twice", 12, "url: https://g.example.com", "tokenEnv: GRAFANA_TOKEN", "tags: [x, y, x]");
        Problem unknown = fails("dashboardUID", 12, "url: https://g.example.com", "tokenEnv: GRAFANA_TOKEN", "dashboardUID: abc");
        assertTrue(unknown.hint().contains("dashboardUid") || unknown.message().contains("dashboardUid"), unknown.toString());
    }

    @Test
    void aTokenWrittenWhereItsVariableBelongsIsNeverQuoted() throws IOException {
        Problem p = fails("tokenEnv is not an environment variable name", 11, "url: https://g.example.com", "tokenEnv: glsa_s3cr3tT0ken-abc");
        assertFalse(p.toString().contains("glsa_s3cr3tT0ken"), p.toString());
    }
}
