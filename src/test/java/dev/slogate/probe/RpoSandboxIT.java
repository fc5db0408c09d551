package dev.slogate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.DatabaseSpec;
import dev.slogate.experiment.ProbeSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.sandbox.DatabaseState;
import dev.slogate.sandbox.SandboxClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write probe against the sandbox's real PostgreSQL pair (1 node x 1 pod in each of 2 regions): a region-a
 * outage during steady writes kills the primary; the standby is promoted {@code failoverAfter} later.
 */
class RpoSandboxIT {
    private static final Duration LAG = Duration.ofSeconds(2);
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(3);
    /**
     * Async RPO tolerance around the lag: one write interval (20 ms at 50/s), the time from the injection stamp to the
     * link cut (an HTTP call into the daemon, then closing the proxy: 10-100 ms, which shortens the RPO), and the
     * scheduling jitter of the proxy's pump thread and of the probe's callbacks on a 2-core machine shared by several
     * builds (sleep overshoot lengthens the lag). 500 ms = a quarter of the lag: well apart from 0 (sync) and 2x the lag.
     */
    private static final long TOLERANCE_MILLIS = 500;
    private static final ProbeSpec PROBE = new ProbeSpec("writes", "POST", "/records", "{\"seq\": ${seq}, \"ts\": ${ts}}",
            "/records?from=${from}", 50, Duration.ofSeconds(2));

    private record Outcome(ProbeResult result, DatabaseState db, List<Long> postmasters) {
    }

    private static Outcome regionOutageDuringWrites(DatabaseSpec db) throws Exception {
        // Not a @TempDir (700): the postgres user must be able to reach the data directories.
        Path dir = dev.slogate.sandbox.PostgresReachableDir.create("rpo-it");
        SandboxSpec spec = new SandboxSpec(2, 1, 1, Duration.ofMillis(2), 0, 8, Duration.ofSeconds(1)).withDatabase(db);
        SandboxClient sandbox = SandboxClient.start(spec, dir.resolve("sandbox"), List.of(), ProcessHandle.current().pid());
        try {
            WriteProbe probe = new WriteProbe(PROBE, sandbox.url());
            probe.start();
            Thread.sleep(4_000);
            long injected = System.currentTimeMillis(); // stamped before the call, as LocalFaultInjector does
            sandbox.regionDown("a");
            Thread.sleep(FAILOVER_AFTER.toMillis() + 3_000);
            sandbox.regionUp("a");
            probe.faultReverted("region-a", injected, System.currentTimeMillis());
            Thread.sleep(2_000);
            ProbeResult r = probe.finish();
            DatabaseState state = awaitRejoined(sandbox);
            return new Outcome(r, state, state.servers().stream().map(DatabaseState.Server::pid).filter(p -> p > 0).toList());
        } finally {
            sandbox.stop();
        }
    }

    /** The failed-over primary comes back as the new primary's standby (a fresh base backup, in the background). */
    private static DatabaseState awaitRejoined(SandboxClient sandbox) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        DatabaseState db = sandbox.state().database();
        while (!db.servers().get(0).role().equals(DatabaseState.STANDBY) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            db = sandbox.state().database();
        }
        return db;
    }

    @Test
    @Timeout(90)
    void asyncFailoverLosesTheLastLagOfAcknowledgedWrites() throws Exception {
        Outcome o = regionOutageDuringWrites(new DatabaseSpec(DatabaseSpec.Replication.ASYNC, LAG, FAILOVER_AFTER));
        ProbeResult r = o.result();
        Rpo.Loss loss = r.fault("region-a").orElseThrow().loss();
        assertNotNull(loss, String.valueOf(r));
        System.out.println("async " + LAG.toMillis() + " ms lag: " + loss + "; " + r);
        assertTrue(loss.lost() > 0, "acknowledged writes were lost: " + loss);
        assertTrue(Math.abs(loss.rpoMillis() - LAG.toMillis()) <= TOLERANCE_MILLIS,
                "RPO " + loss.rpoMillis() + " ms is within " + TOLERANCE_MILLIS + " ms of the " + LAG.toMillis() + " ms lag");
        // about lag x rate writes were lost (the ones acknowledged in the last 2 s before the primary died)
        assertTrue(Math.abs(loss.lost() - 100) <= 40, "about 100 writes lost at 50/s: " + loss.lost());
        assertEquals(r.lost(), loss.lost(), "nothing else was lost after the failover");
        assertTrue(loss.refused() > 0, "writes were refused until the failover");
        assertFailedOver(o);
    }

    @Test
    @Timeout(90)
    void syncFailoverLosesNoAcknowledgedWrite() throws Exception {
        Outcome o = regionOutageDuringWrites(new DatabaseSpec(DatabaseSpec.Replication.SYNC, Duration.ZERO, FAILOVER_AFTER));
        ProbeResult r = o.result();
        Rpo.Loss loss = r.fault("region-a").orElseThrow().loss();
        assertNotNull(loss, String.valueOf(r));
        System.out.println("sync: " + loss + "; " + r);
        assertEquals(0, loss.lost(), "no acknowledged write lost: " + loss);
        assertEquals(0, loss.rpoMillis());
        assertEquals(0, r.lost());
        assertTrue(loss.acknowledged() > 100, "writes went through before and after: " + loss);
        assertTrue(loss.refused() > 0, "writes were refused until the failover");
        assertFailedOver(o);
    }

    @Test
    @Timeout(60)
    void cleanupStopsTheDatabaseOfASandboxWhoseDaemonDied() throws Exception {
        Path dir = dev.slogate.sandbox.PostgresReachableDir.create("rpo-it");
        Path stateDir = dir.resolve("sandbox");
        SandboxSpec spec = new SandboxSpec(2, 1, 1, Duration.ofMillis(2), 0, 4, Duration.ofSeconds(1))
                .withDatabase(new DatabaseSpec(DatabaseSpec.Replication.SYNC, Duration.ZERO, FAILOVER_AFTER));
        SandboxClient sandbox = SandboxClient.start(spec, stateDir, List.of(), null);
        dev.slogate.sandbox.SandboxState s = sandbox.state();
        List<Long> postmasters = s.database().servers().stream().map(DatabaseState.Server::pid).toList();
        assertEquals(2, postmasters.stream().filter(RpoSandboxIT::alive).count(), String.valueOf(s.database()));
        ProcessHandle.of(s.daemonPid()).ifPresent(ProcessHandle::destroyForcibly); // no shutdown hook runs
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (alive(s.daemonPid()) && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertTrue(postmasters.stream().allMatch(RpoSandboxIT::alive), "PostgreSQL outlives a killed daemon");

        List<String> done = dev.slogate.cleanup.Cleanup.run(dir.resolve("journal"), stateDir);

        assertTrue(done.stream().anyMatch(d -> d.startsWith("stopped the sandbox")), String.valueOf(done));
        deadline = System.nanoTime() + 5_000_000_000L;
        while (postmasters.stream().anyMatch(RpoSandboxIT::alive) && System.nanoTime() < deadline) {
            sleep(100);
        }
        for (long pid : postmasters) {
            assertFalse(alive(pid), "postgres " + pid + " stopped by cleanup");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertFailedOver(Outcome o) {
        assertEquals(1, o.db().failovers().size(), String.valueOf(o.db()));
        DatabaseState.Failover f = o.db().failovers().get(0);
        assertEquals("pg-b", f.to());
        long detection = f.promotedMillis() - f.primaryLostMillis();
        assertTrue(detection >= FAILOVER_AFTER.toMillis() && detection < FAILOVER_AFTER.toMillis() + 3_000, "promoted after " + detection + " ms");
        assertEquals(List.of(DatabaseState.STANDBY, DatabaseState.PRIMARY),
                o.db().servers().stream().map(DatabaseState.Server::role).toList(), "pg-a rejoined as pg-b's standby: " + o.db());
        assertEquals(2, o.postmasters().size(), String.valueOf(o.db()));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (o.postmasters().stream().anyMatch(RpoSandboxIT::alive) && System.nanoTime() < deadline) {
            sleep(100);
        }
        for (long pid : o.postmasters()) {
            assertFalse(alive(pid), "postgres " + pid + " stopped with the sandbox");
        }
        assertTrue(o.result().integrity().duplicates() == 0, "no duplicates: " + o.result().integrity());
    }
}
