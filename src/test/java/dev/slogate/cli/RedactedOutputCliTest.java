package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console of validate, plan and run shows URLs, headers and parameters masked (the defects of issue 11, item 4). */
class RedactedOutputCliTest {
    @TempDir
    Path work;

    private Path scenario(String prometheus, String probe) throws IOException {
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: s}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 5%}}
                """);
        Path s = work.resolve("s.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  target: {url: "http://svc:Tgt-Pw-991@127.0.0.1:%d", prometheus: "%s"}
                  load:
                    stages: [{hold: {rps: 10, duration: 5s}}]
                    requests:
                      - {path: "/?token=Qry-Tok-552", headers: {Authorization: "Bearer Hdr-Tok-773", X-Api-Key: "Key-0981x"}}
                %s  slos: [slo.yaml]
                """.formatted(closedPort(), prometheus, probe));
        return s;
    }

    private static void assertNoSecret(Result r) {
        for (String secret : List.of("Tgt-Pw-991", "Prom-Pw-118", "Qry-Tok-552", "Hdr-Tok-773", "Key-0981x", "Lit-Pw-4417")) {
            assertFalse(r.out().contains(secret), "shows " + secret + ":\n" + r.out());
        }
    }

    @Test
    void planMasksUrlsParametersAndHeadersAndTheUnreachablePrometheus() throws IOException {
        int closed = closedPort();
        Result r = InProcessCli.run("plan", "--state-dir", work.resolve("state").toString(),
                scenario("http://prom:Prom-Pw-118@127.0.0.1:" + closed, "").toString());
        assertEquals(2, r.code(), r.out());
        assertNoSecret(r);
        assertTrue(r.out().contains("Prometheus http://prom:***@127.0.0.1:" + closed), r.out());
        assertTrue(r.out().contains("GET /?token=***: GET /?token=***") && r.out().contains("Authorization: ***, X-Api-Key: ***"), r.out());
        assertTrue(r.out().contains("error: Prometheus at http://prom:***@127.0.0.1:" + closed + " is unreachable"), r.out());
    }

    @Test
    void aPasswordEnvHoldingAPasswordIsRefusedWithoutRepeatingIt() throws IOException {
        Path s = scenario("http://127.0.0.1:9", """
                  probes:
                    - name: db
                      jdbc: {url: 'jdbc:postgresql://127.0.0.1:5432/x', user: app, passwordEnv: 'Lit-Pw-4417'}
                """);
        for (String command : List.of("validate", "plan", "run")) {
            Result r = command.equals("validate") ? InProcessCli.run(command, s.toString())
                    : InProcessCli.run(command, "--state-dir", work.resolve("state").toString(), "--reports-dir",
                    work.resolve("reports").toString(), s.toString());
            assertEquals(2, r.code(), r.out());
            assertTrue(r.out().contains("passwordEnv is not an environment variable name"), r.out());
            assertNoSecret(r);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
