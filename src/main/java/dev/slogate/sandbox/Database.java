package dev.slogate.sandbox;

import static dev.slogate.timeline.Sleep.sleep;

import dev.slogate.experiment.DatabaseSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The sandbox's PostgreSQL, inside the daemon: a primary in region a and a streaming standby in region b, both on
 * loopback ports with data under {@code <sandbox>/db}, run as the {@code postgres} user when the daemon is root
 * (PostgreSQL refuses to run as root).
 * <ul>
 *   <li>Asynchronous replication: the standby streams WAL through a {@link DelayProxy} that holds what the primary
 *   sends for {@code lag}, so the standby is {@code lag} behind; losing the primary drops what is still in the proxy.</li>
 *   <li>Synchronous: {@code synchronous_standby_names} names the standby and {@code synchronous_commit = on}, so a
 *   commit returns once the standby has flushed it.</li>
 *   <li>Where writes go is the file {@code <sandbox>/db/primary.addr} ({@code host:port}), which the pods read whenever
 *   they open a connection: the sandbox's service discovery record, updated by the failover step.</li>
 *   <li>A region outage kills the server in it ({@code pg_ctl stop -m immediate}: no checkpoint, nothing more sent). If
 *   that was the primary, the failover step promotes the standby {@code failoverAfter} later and repoints the record.
 *   A primary whose region comes back before that simply restarts. One that was failed over rejoins as the new
 *   primary's standby (in the background: a fresh {@code pg_basebackup} from the new primary, then streaming the
 *   same way as the original standby; in sync mode the new primary then waits for it), so a later outage of the new
 *   primary's region fails over back again.</li>
 * </ul>
 * Each server's process (initdb, base backup, start, stop) is {@link PgServer}; this class is the pair's roles:
 * set-up, failover, rejoin.
 */
final class Database implements AutoCloseable {
    static final String PRIMARY_FILE = "primary.addr";
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS records (id bigserial PRIMARY KEY, seq bigint NOT NULL,"
            + " ts bigint NOT NULL, stored_at timestamptz NOT NULL DEFAULT clock_timestamp())";

    private final DatabaseSpec spec;
    private final Path dir;
    private final PgPrograms programs;
    private final Runnable onChange;
    private final PgServer a;
    private final PgServer b;
    private int linkPort;
    private final List<DatabaseState.Failover> failovers = new ArrayList<>();
    private final List<DatabaseState.Rejoin> rejoins = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "db-failover");
        t.setDaemon(true);
        return t;
    });
    private DelayProxy link;
    private ScheduledFuture<?> pendingFailover;
    private long primaryLostMillis;
    private boolean closed;

    /** {@code onChange} is called after every role change, to persist the state. */
    Database(DatabaseSpec spec, Path sandboxDir, String primaryRegion, String standbyRegion, Runnable onChange) {
        this.spec = spec;
        this.dir = sandboxDir.resolve("db");
        this.programs = new PgPrograms(dir);
        this.onChange = onChange;
        this.a = new PgServer(primaryRegion, dir, programs);
        this.b = new PgServer(standbyRegion, dir, programs);
    }

    Path primaryFile() {
        return dir.resolve(PRIMARY_FILE);
    }

    /** initdb, primary up with the records table, base backup, standby up and streaming. */
    synchronized void start() {
        try {
            removeData(); // a sandbox killed outright leaves its data behind
            programs.createDirectory();
            a.init(spec.replication() == DatabaseSpec.Replication.SYNC);
            a.start();
            a.role = DatabaseState.PRIMARY;
            try (Connection c = a.connect(); Statement s = c.createStatement()) {
                s.execute("SET synchronous_commit = local"); // no standby to wait for yet
                s.execute(TABLE);
            }
            link = startAsStandby(b, a);
            linkPort = link == null ? 0 : link.port();
            b.role = DatabaseState.STANDBY;
            awaitStreaming(a, Duration.ofSeconds(45));
            writePrimaryFile(a);
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up PostgreSQL in " + dir + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the records table: " + e.getMessage() + "; see " + dir, e);
        }
    }

    /**
     * Makes {@code standby} a streaming copy of {@code primary} and starts it: a base backup into its (empty) data
     * directory, then, as later settings win, its upstream (in async mode through a new delaying link, returned; null
     * in sync mode), no synchronous standby of its own once promoted, and {@code standby.signal}.
     */
    private DelayProxy startAsStandby(PgServer standby, PgServer primary) throws IOException {
        standby.baseBackupFrom(primary);
        DelayProxy newLink = spec.replication() == DatabaseSpec.Replication.ASYNC
                ? new DelayProxy(0, primary.port, spec.lag(), true) : null;
        try {
            standby.startAsStandby(newLink == null ? primary.port : newLink.port());
            return newLink;
        } catch (IOException | RuntimeException e) {
            if (newLink != null) {
                newLink.close();
            }
            throw e;
        }
    }

    private void awaitStreaming(PgServer primary, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String want = spec.replication() == DatabaseSpec.Replication.SYNC ? " AND sync_state = 'sync'" : "";
        PgServer standby = primary == a ? b : a;
        while (System.nanoTime() < deadline) {
            try (Connection c = primary.connect(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" + want)) {
                if (r.next() && r.getInt(1) > 0) {
                    return;
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("the standby did not stream from the primary within " + timeout.toSeconds()
                + " s; see " + standby.log());
    }

    /** The region lost its server: stop it at once; a lost primary is failed over after the detection delay. */
    synchronized void regionDown(String region) {
        PgServer s = in(region);
        if (s != null) {
            s.regionUp = false;
        }
        if (s == null || s.role.equals(DatabaseState.DOWN) || closed) {
            return;
        }
        boolean primary = s.role.equals(DatabaseState.PRIMARY);
        if (primary && link != null) {
            link.close(); // the WAL still on its way to the standby is gone with the region
            link = null;
        }
        s.stop();
        s.lostRole = s.role;
        s.role = DatabaseState.DOWN;
        PgServer other = s == a ? b : a;
        if (primary && other.role.equals(DatabaseState.STANDBY)) {
            primaryLostMillis = System.currentTimeMillis();
            pendingFailover = scheduler.schedule(() -> promote(other, s), spec.failoverAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
        onChange.run();
    }

    /**
     * The region is back: a primary not yet failed over restarts as primary, a standby rejoins, and a failed-over primary
     * is rebuilt as the new primary's standby in the background ({@link #rejoinAsStandby}).
     */
    synchronized void regionUp(String region) {
        PgServer s = in(region);
        if (s != null) {
            s.regionUp = true;
        }
        if (s == null || !s.role.equals(DatabaseState.DOWN) || closed) {
            return;
        }
        PgServer other = s == a ? b : a;
        boolean stillPrimary = DatabaseState.PRIMARY.equals(s.lostRole) && pendingFailover != null && pendingFailover.cancel(false);
        boolean rejoin = DatabaseState.STANDBY.equals(s.lostRole) && other.role.equals(DatabaseState.PRIMARY);
        if (!stillPrimary && DatabaseState.PRIMARY.equals(s.lostRole)) {
            // failed over (or being promoted right now): after the promotion on the same thread, rebuild it as a standby
            scheduler.execute(() -> rejoinAsStandby(s, other));
            return;
        }
        if (!stillPrimary && !rejoin) {
            return;
        }
        try {
            s.start();
            if (stillPrimary && spec.replication() == DatabaseSpec.Replication.ASYNC) {
                link = new DelayProxy(linkPort, s.port, spec.lag(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart " + s.name + ": " + e.getMessage(), e);
        }
        s.role = s.lostRole;
        onChange.run();
    }

    /** Runs on the failover thread; persists the state outside this lock (the sandbox locks itself, then this). */
    private void promote(PgServer standby, PgServer old) {
        synchronized (this) {
            if (closed || !standby.role.equals(DatabaseState.STANDBY)) {
                return;
            }
            try {
                programs.pg(Duration.ofSeconds(30), "pg_ctl", "promote", "-D", standby.data.toString(), "-w", "-t", "30");
                standby.role = DatabaseState.PRIMARY;
                writePrimaryFile(standby);
                failovers.add(new DatabaseState.Failover(old.name, standby.name, primaryLostMillis, System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                System.err.println("failover to " + standby.name + " failed: " + e.getMessage());
            }
            pendingFailover = null;
        }
        onChange.run();
    }

    /**
     * Rebuilds a failed-over primary as the standby of the new one: a fresh base backup (its own data diverged: it may
     * hold commits the new primary never received), the same streaming set-up as the original standby, then, in sync
     * mode, the new primary names it as its synchronous standby. Runs on the failover thread, outside this lock except
     * to read and set the roles, so the sandbox's state stays readable meanwhile; a region that went down again or a
     * primary that was lost meanwhile leaves it down.
     */
    private void rejoinAsStandby(PgServer s, PgServer primary) {
        DelayProxy newLink = null;
        long started = System.currentTimeMillis();
        try {
            synchronized (this) {
                if (closed || !s.regionUp || !s.role.equals(DatabaseState.DOWN) || !primary.role.equals(DatabaseState.PRIMARY)) {
                    return;
                }
            }
            PgPrograms.deleteTree(s.data);
            newLink = startAsStandby(s, primary);
            synchronized (this) {
                if (closed || !s.regionUp || !primary.role.equals(DatabaseState.PRIMARY)) {
                    s.stop();
                    return;
                }
                s.role = DatabaseState.STANDBY;
                if (newLink != null) {
                    link = newLink;
                    linkPort = newLink.port();
                    newLink = null;
                }
            }
            if (spec.replication() == DatabaseSpec.Replication.SYNC) {
                try (Connection c = primary.connect(); Statement st = c.createStatement()) {
                    st.execute("ALTER SYSTEM SET synchronous_standby_names = 'standby'");
                    st.execute("SELECT pg_reload_conf()");
                }
            }
            awaitStreaming(primary, Duration.ofSeconds(45));
            System.err.println(s.name + " rejoined as the standby of " + primary.name);
            recordRejoin(new DatabaseState.Rejoin(s.name, primary.name, started, System.currentTimeMillis(), null));
        } catch (IOException | SQLException | RuntimeException e) {
            System.err.println("rejoining " + s.name + " as a standby of " + primary.name + " failed: " + e.getMessage());
            recordRejoin(new DatabaseState.Rejoin(s.name, primary.name, started, System.currentTimeMillis(), String.valueOf(e.getMessage())));
        } finally {
            if (newLink != null) {
                newLink.close();
            }
        }
        onChange.run();
    }

    private synchronized void recordRejoin(DatabaseState.Rejoin r) {
        rejoins.add(r);
    }

    synchronized DatabaseState state() {
        PgServer p = a.role.equals(DatabaseState.PRIMARY) ? a : b.role.equals(DatabaseState.PRIMARY) ? b : null;
        return new DatabaseState(spec.replication().name().toLowerCase(Locale.ROOT), spec.lag().toMillis(),
                spec.failoverAfter().toMillis(), p == null ? null : "127.0.0.1:" + p.port,
                Stream.of(a, b).map(s -> new DatabaseState.Server(s.name, s.region, s.port, s.pid(), s.role)).toList(),
                failovers, rejoins);
    }

    private PgServer in(String region) {
        return a.region.equals(region) ? a : b.region.equals(region) ? b : null;
    }

    private void writePrimaryFile(PgServer s) throws IOException {
        Path tmp = dir.resolve(PRIMARY_FILE + ".tmp");
        Files.writeString(tmp, "127.0.0.1:" + s.port + "\n");
        Files.move(tmp, primaryFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Stops both servers at once and removes their data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        if (link != null) {
            link.close();
        }
        for (PgServer s : List.of(a, b)) {
            if (s.pid() != 0) {
                s.stop();
            }
        }
        removeData();
    }

    /** Deletes both data directories and the primary file; the logs stay. */
    private void removeData() {
        for (Path p : List.of(a.data, b.data, primaryFile())) {
            try {
                PgPrograms.deleteTree(p);
            } catch (IOException e) {
                // leftover data only takes disk space; initdb names the directory if it is in the way
            }
        }
    }
}
