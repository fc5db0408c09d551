package dev.slogate.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An objective kind added by one class and one registration line ({@link ThroughputObjective}) is read, validated and
 * planned like the built-in ones; nothing else in slogate had to learn about it.
 */
class ObjectiveKindExtensionTest {
    @TempDir
    Path work;

    /** A sandbox scenario judging the test-only kind over two windows; {@code atLeast} as given. */
    static Path scenario(Path dir, String atLeast) throws IOException {
        Files.writeString(dir.resolve("throughput.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: throughput}
                spec:
                  objectives:
                    - {name: steady-rate, throughput: {atLeast: %s}, windows: [steady, run]}
                    - {name: too-much, throughput: {atLeast: 500}}
                    - {name: errors, errorRate: {below: 5%%}}
                """.formatted(atLeast));
        return Files.writeString(dir.resolve("scenario.yaml"), """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: custom-kind}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 2, serviceTime: 2ms, restartDelay: 2s}
                  load:
                    stages:
                      - hold: {rps: 30, duration: 8s}
                    requests:
                      - {name: home, method: GET, path: /}
                  slos: [throughput.yaml]
                """);
    }

    @Test
    void validateReadsTheNewKindsKeysAndReportsItsProblemsWithTheirLine() throws IOException {
        InProcessCli.Result ok = InProcessCli.run("validate", scenario(work, "10").toString());
        assertEquals(0, ok.code(), ok.out());

        InProcessCli.Result bad = InProcessCli.run("validate", scenario(work, "0").toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("throughput.yaml:6:"), bad.out());
        assertTrue(bad.out().contains("spec.objectives[0].throughput.atLeast is 0.0, but a throughput objective needs more than 0 requests per second"),
                bad.out());

        Files.writeString(work.resolve("throughput.yaml"), Files.readString(work.resolve("throughput.yaml"))
                .replace("atLeast: 500}", "atLeast: 500, per: minute}"));
        InProcessCli.Result unknown = InProcessCli.run("validate", work.resolve("scenario.yaml").toString());
        assertEquals(2, unknown.code(), unknown.out());
        assertTrue(unknown.out().contains("unknown key 'per' in spec.objectives[1].throughput"), unknown.out());
    }

    @Test
    void planDescribesTheNewKindInItsOwnWords() throws IOException {
        InProcessCli.Result plan = InProcessCli.run("plan", "--state-dir", work.resolve("state").toString(), scenario(work, "10").toString());
        assertEquals(0, plan.code(), plan.out());
        assertTrue(plan.out().contains("steady-rate: throughput >= 10.0 req/s (client, completed requests)\n      over steady, run"), plan.out());
        assertTrue(plan.out().contains("too-much: throughput >= 500.0 req/s (client, completed requests)\n      over run"), plan.out());
    }
}
