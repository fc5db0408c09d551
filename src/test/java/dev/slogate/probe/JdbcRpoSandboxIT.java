package dev.slogate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.DatabaseSpec;
import dev.slogate.experiment.ProbeSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.sandbox.DatabaseState;
import dev.slogate.sandbox.SandboxClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDBC write probe straight against the sandbox's PostgreSQL pair, through one multi-host URL with
 * {@code targetServerType=primary}: a region-a outage kills the primary, the standby is promoted {@code failoverAfter}
 * later, and the probe's next connection finds it. Same set-up and tolerance as {@link RpoSandboxIT}.
 */
class JdbcRpoSandboxIT {
    private static final Duration LAG = Duration.ofSeconds(2);
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(3);
    /** As in RpoSandboxIT: a quarter of the lag, far from 0 (sync) and from 2x the lag. */
    private static final long TOLERANCE_MILLIS = 500;
    private static final ProbeSpec PROBE = ProbeSpec.jdbc("db", ProbeSpec.Jdbc.sandbox(), 50, Duration.ofSeconds(2));

    private record Outcome(ProbeResult result, DatabaseState db) {
    }

    /** The sandbox's servers as the run hands them to a {@code jdbc: sandbox} probe. */
    static String sandboxUrl(SandboxClient sandbox) {
        return WriteProbe.sandboxJdbcUrl(sandbox.state().database().servers().stream().map(s -> "127.0.0.1:" + s.port()).toList());
    }

    private static Outcome regionOutageDuringWrites(DatabaseSpec db) throws Exception {
        Path dir = dev.slogate.sandbox.PostgresReachableDir.create("jdbc-rpo-it");
        SandboxSpec spec = new SandboxSpec(2, 1, 1, Duration.ofMillis(2), 0, 8, Duration.ofSeconds(1)).withDatabase(db);
        SandboxClient sandbox = SandboxClient.start(spec, dir.resolve("sandbox"), List.of(), ProcessHandle.current().pid());
        try {
            WriteProbe probe = WriteProbe.jdbc(PROBE, sandboxUrl(sandbox), "it-" + System.nanoTime());
            probe.open(); // creates the table on the primary
            probe.start();
            Thread.sleep(4_000);
            long injected = System.currentTimeMillis();
            sandbox.regionDown("a");
            Thread.sleep(FAILOVER_AFTER.toMillis() + 3_000);
            sandbox.regionUp("a");
            probe.faultReverted("region-a", injected, System.currentTimeMillis());
            Thread.sleep(2_000);
            ProbeResult r = probe.finish();
            return new Outcome(r, sandbox.state().database());
        } finally {
            sandbox.stop();
        }
    }

    @Test
    @Timeout(90)
    void asyncFailoverLosesTheLastLagOfAcknowledgedJdbcWrites() throws Exception {
        Outcome o = regionOutageDuringWrites(new DatabaseSpec(DatabaseSpec.Replication.ASYNC, LAG, FAILOVER_AFTER));
        ProbeResult r = o.result();
        Rpo.Loss loss = r.fault("region-a").orElseThrow().loss();
        assertNotNull(loss, String.valueOf(r));
        System.out.println("jdbc async " + LAG.toMillis() + " ms lag: " + loss + "; " + r);
        assertTrue(loss.lost() > 0, "acknowledged writes were lost: " + loss);
        assertTrue(Math.abs(loss.rpoMillis() - LAG.toMillis()) <= TOLERANCE_MILLIS,
                "RPO " + loss.rpoMillis() + " ms is within " + TOLERANCE_MILLIS + " ms of the " + LAG.toMillis() + " ms lag");
        assertTrue(Math.abs(loss.lost() - 100) <= 40, "about lag x rate = 100 writes lost at 50/s: " + loss.lost());
        assertEquals(r.lost(), loss.lost(), "nothing else was lost after the failover");
        assertFollowedTheFailover(o);
    }

    @Test
    @Timeout(90)
    void syncFailoverLosesNoAcknowledgedJdbcWrite() throws Exception {
        Outcome o = regionOutageDuringWrites(new DatabaseSpec(DatabaseSpec.Replication.SYNC, Duration.ZERO, FAILOVER_AFTER));
        ProbeResult r = o.result();
        Rpo.Loss loss = r.fault("region-a").orElseThrow().loss();
        assertNotNull(loss, String.valueOf(r));
        System.out.println("jdbc sync: " + loss + "; " + r);
        assertEquals(0, loss.lost(), "no acknowledged write lost: " + loss);
        assertEquals(0, loss.rpoMillis());
        assertEquals(0, r.lost());
        assertFollowedTheFailover(o);
    }

    /** Writes were refused while there was no primary, and acknowledged again by the promoted standby. */
    private static void assertFollowedTheFailover(Outcome o) {
        ProbeResult r = o.result();
        Rpo.Loss loss = r.fault("region-a").orElseThrow().loss();
        assertEquals(1, o.db().failovers().size(), String.valueOf(o.db()));
        assertEquals("pg-b", o.db().failovers().get(0).to());
        long promoted = o.db().failovers().get(0).promotedMillis();
        assertTrue(loss.refused() > 0, "writes were refused until the failover: " + loss);
        // the detection delay alone is 3 s at 50/s: at least ~150 writes had no primary
        assertTrue(loss.refused() >= 100 && loss.refused() < 400, "refused while no primary: " + loss.refused());
        assertTrue(r.acknowledged() - loss.acknowledged() > 50, "writes acknowledged after the read-back: " + r);
        assertTrue(promoted < r.endMillis() - 2_000, "the run wrote on well after the promotion");
        assertTrue(r.problems().isEmpty(), String.valueOf(r.problems()));
        assertEquals(0, r.integrity().duplicates(), String.valueOf(r.integrity()));
    }
}
