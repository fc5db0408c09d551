package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real CLI on the sandbox with its PostgreSQL pair: the RPO objective fails with the measured RPO in report.json. */
class RpoEndToEndIT {
    @Test
    @Timeout(150)
    void asyncFailoverFailsAnRpoObjectiveBelowTheLag() throws Exception {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        // Not a @TempDir (700): the postgres user must reach the sandbox's data directories.
        Path dir = dev.slogate.sandbox.PostgresReachableDir.create("rpo-e2e");
        Process p = EndToEndIT.cli(dir, "run", "--run-id", "rpo", Path.of("src/test/resources/e2e/rpo-async.yaml").toAbsolutePath().toString());
        assertTrue(p.waitFor(140, TimeUnit.SECONDS), "run finished");
        assertEquals(1, p.exitValue(), EndToEndIT.output(dir));
        JsonNode report = EndToEndIT.report(dir, "rpo");

        JsonNode rpo = EndToEndIT.result(report, "rpo", "fault:region-a");
        assertEquals("FAIL", rpo.get("verdict").asText(), rpo.toString());
        assertEquals("probe", rpo.get("source").asText());
        double seconds = rpo.get("measured").asDouble();
        assertTrue(Math.abs(seconds - 2.0) <= 0.5, "RPO " + seconds + " s within 500 ms of the 2 s lag (see RpoSandboxIT)");
        assertTrue(rpo.get("message").asText().startsWith("RPO "), rpo.toString());

        JsonNode probe = report.get("probes").get(0);
        assertEquals("writes", probe.get("probe").asText());
        JsonNode loss = probe.get("faults").get(0).get("loss");
        assertTrue(loss.get("lost").asInt() > 0, loss.toString());
        assertEquals(loss.get("rpoMillis").asLong(), Math.round(seconds * 1000));
        assertTrue(EndToEndIT.events(report).contains("FAILOVER"), EndToEndIT.events(report).toString());
        String summary = Files.readString(dir.resolve("reports/rpo/summary.md"));
        assertTrue(summary.contains("acknowledged writes lost, acknowledged +"), summary);
        assertTrue(Files.readString(dir.resolve("reports/rpo/report.html")).contains("<h2>Data integrity</h2>"));
    }
}
