package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** spec.probes[].jdbc: read right, and bad input named with its line; a password never belongs in the file. */
class JdbcProbeInputTest {
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    private static final String SANDBOX_DB = "  target:\n    sandbox: {regions: 2, database: {replication: sync, failoverAfter: 3s}}\n"; // lines 5-6
    private static final String LOAD = """
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
            """; // lines 7-9 after SANDBOX_DB

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Scenario scenario(String spec) throws IOException {
        return loader.loadScenario(YamlFixture.write(dir, "s.yaml", HEAD + spec));
    }

    private ValidationException fails(String spec) throws IOException {
        Path s = YamlFixture.write(dir, "s.yaml", HEAD + spec);
        return assertThrows(ValidationException.class, () -> loader.loadScenario(s));
    }

    @Test
    void sandboxShorthandAndFullForm() throws IOException {
        Scenario s = scenario(SANDBOX_DB + LOAD + """
                  probes:
                    - {name: db, jdbc: sandbox, rate: 40/s}
                    - {name: db2, jdbc: {table: audit.writes}}
                """);
        assertEquals(List.of(ProbeSpec.jdbc("db", ProbeSpec.Jdbc.sandbox(), 40, ProbeSpec.DEFAULT_TIMEOUT),
                ProbeSpec.jdbc("db2", new ProbeSpec.Jdbc(null, "postgres", null, "audit.writes"), ProbeSpec.DEFAULT_RATE,
                        ProbeSpec.DEFAULT_TIMEOUT)), s.probes());
        assertTrue(s.probes().get(0).jdbc().sandboxTarget());

        s = scenario(LOAD + """
                  probes:
                    - name: orders-db
                      jdbc: {url: 'jdbc:postgresql://db1:5432,db2:5432/shop?targetServerType=primary', user: app, passwordEnv: SHOP_DB_PASSWORD}
                      timeout: 3s
                """);
        ProbeSpec p = s.probes().get(0);
        assertEquals(new ProbeSpec.Jdbc("jdbc:postgresql://db1:5432,db2:5432/shop?targetServerType=primary", "app",
                "SHOP_DB_PASSWORD", ProbeSpec.Jdbc.DEFAULT_TABLE), p.jdbc());
        assertEquals(Duration.ofSeconds(3), p.timeout());
        assertFalse(p.jdbc().sandboxTarget());
        String plan = Plan.render(s);
        assertTrue(plan.contains("INSERT INTO slogate_probe at jdbc:postgresql://db1:5432,db2:5432/shop"), plan);
        assertTrue(plan.contains("password from $SHOP_DB_PASSWORD"), plan);
    }

    @Test
    void badJdbcBlocksAreNamedWithTheirLine() throws IOException {
        ValidationException e = fails(SANDBOX_DB + LOAD + """
                  probes:
                    - {name: a, jdbc: postgres}
                    - name: b
                      jdbc: {url: 'jdbc:mysql://db:3306/x', user: app}
                    - name: c
                      jdbc:
                        url: 'jdbc:postgresql://db:5432/x?user=app&password=hunter2'
                        user: app
                    - name: d
                      jdbc: {url: 'jdbc:postgresql://db:5432/x', user: app, passwordEnv: 'hunter2!', table: 'x; DROP TABLE y'}
                    - name: e
                      jdbc: sandbox
                      write: {path: /records}
                    - {name: f, jdbc: {url: 'jdbc:postgresql://db:5432/x'}}
                    - {name: g, jdbc: {passwordEnv: PW}}
                """);
        YamlFixture.expectOne(e, "spec.probes[0].jdbc is 'postgres'", 11, 0);
        YamlFixture.expectOne(e, "is not a PostgreSQL JDBC URL", 13, 0);
        Problem pw = YamlFixture.expectOne(e, "holds a password; passwords never go into scenario files", 16, 0);
        assertFalse(pw.message().contains("hunter2"), "the report of a password does not repeat it: " + pw);
        Problem literal = YamlFixture.expectOne(e, "is not an environment variable name", 19, 0);
        assertFalse(literal.toString().contains("hunter2"), "a passwordEnv holding a password is not repeated: " + literal);
        YamlFixture.expectOne(e, "is not a plain SQL table name", 19, 0);
        YamlFixture.expectOne(e, "spec.probes[4] has both jdbc and write", 22, 0);
        YamlFixture.expectOne(e, "has a url but no user", 23, 0);
        YamlFixture.expectOne(e, "the sandbox's PostgreSQL needs no password", 24, 0);
    }

    @Test
    void theSandboxShorthandNeedsASandboxDatabase() throws IOException {
        ValidationException e = fails("  target:\n    sandbox: {regions: 2}\n" + LOAD + "  probes:\n    - {name: db, jdbc: sandbox}\n");
        Problem p = YamlFixture.expectOne(e, "writes to the sandbox's database, but the sandbox has none", 11, 0);
        assertTrue(p.hint().contains("database: {replication"), p.hint());
        e = fails("  target: {url: 'http://127.0.0.1:8080'}\n" + LOAD + "  probes:\n    - {name: db, jdbc: {user: app}}\n");
        YamlFixture.expectOne(e, "but the target is not the sandbox", 10, 0);
    }
}
