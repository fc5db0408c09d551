package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real CLI on the sandbox in sync mode: region a (primary) down, pg-b promoted; a back, rebuilt as pg-b's standby;
 * region b down, pg-a promoted again. Both probes (HTTP and JDBC) lose no acknowledged write in either failover, and
 * the report's timeline holds both failovers.
 */
class RejoinEndToEndIT {
    @Test
    @Timeout(180)
    void theOldPrimaryRejoinsSoASecondFailoverLosesNothing() throws Exception {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        Path dir = dev.slogate.sandbox.PostgresReachableDir.create("rejoin-e2e");
        Process p = EndToEndIT.cli(dir, "run", "--run-id", "rejoin",
                Path.of("src/test/resources/e2e/rejoin-sync.yaml").toAbsolutePath().toString());
        assertTrue(p.waitFor(170, TimeUnit.SECONDS), "run finished");
        assertEquals(0, p.exitValue(), EndToEndIT.output(dir));
        JsonNode report = EndToEndIT.report(dir, "rejoin");

        for (String slo : List.of("rpo-http", "rpo-db")) {
            for (String fault : List.of("region-a", "region-b")) {
                JsonNode r = EndToEndIT.result(report, slo, "fault:" + fault);
                assertEquals("PASS", r.get("verdict").asText(), r.toString());
                assertEquals(0.0, r.get("measured").asDouble(), r.toString());
            }
        }
        for (JsonNode probe : report.get("probes")) {
            assertEquals(0, probe.get("lost").asInt(), probe.toString());
            assertEquals(2, probe.get("faults").size(), probe.toString());
            for (JsonNode f : probe.get("faults")) {
                JsonNode loss = f.get("loss");
                assertTrue(loss.get("acknowledged").asInt() > 100, "writes went through around " + f);
                assertTrue(loss.get("refused").asInt() > 0, "writes were refused until each failover: " + f);
                assertEquals(0, loss.get("lost").asInt(), f.toString());
            }
        }
        List<String> failovers = new ArrayList<>();
        report.get("events").forEach(e -> {
            if (e.get("kind").asText().equals("FAILOVER")) {
                failovers.add(e.get("detail").asText());
            }
        });
        assertEquals(2, failovers.size(), "two failovers on the timeline: " + failovers);
        assertTrue(failovers.get(0).startsWith("pg-b promoted to primary") && failovers.get(0).contains("after pg-a was lost"), failovers.get(0));
        assertTrue(failovers.get(1).startsWith("pg-a promoted to primary") && failovers.get(1).contains("after pg-b was lost"), failovers.get(1));
        List<String> rejoins = new ArrayList<>();
        report.get("events").forEach(e -> {
            if (e.path("subject").asText().equals("database") && e.path("kind").asText().equals("NOTE")) {
                rejoins.add(e.get("detail").asText());
            }
        });
        // the first rebuild precedes the second outage; the second (pg-b, after b's revert) may finish after the run ends
        assertFalse(rejoins.isEmpty(), "the rebuilt primary is on the timeline");
        assertTrue(rejoins.get(0).startsWith("pg-a rejoined as the standby of pg-b"), rejoins.toString());
        String summary = Files.readString(dir.resolve("reports/rejoin/summary.md"));
        assertTrue(summary.contains("region-b: no acknowledged write lost"), summary);
    }
}
