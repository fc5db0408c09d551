package dev.slogate.sandbox;

import dev.slogate.experiment.DatabaseSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
 */
final class Database implements AutoCloseable {
    static final String PRIMARY_FILE = "primary.addr";
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS records (id bigserial PRIMARY KEY, seq bigint NOT NULL,"
            + " ts bigint NOT NULL, stored_at timestamptz NOT NULL DEFAULT clock_timestamp())";

    private final DatabaseSpec spec;
    private final Path dir;
    private final Path bin;
    private final Runnable onChange;
    private final Server a;
    private final Server b;
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

    private static final class Server {
        final String name;
        final String region;
        int port; // picked when it first starts: a port picked early may be taken as an ephemeral port meanwhile
        final Path data;
        String role = DatabaseState.DOWN;
        String lostRole;
        boolean regionUp = true;

        Server(String name, String region, Path data) {
            this.name = name;
            this.region = region;
            this.data = data;
        }
    }

    /** {@code onChange} is called after every role change, to persist the state. */
    Database(DatabaseSpec spec, Path sandboxDir, String primaryRegion, String standbyRegion, Runnable onChange) {
        this.spec = spec;
        this.dir = sandboxDir.resolve("db");
        this.bin = binaries();
        this.onChange = onChange;
        this.a = new Server("pg-" + primaryRegion, primaryRegion, dir.resolve("pg-" + primaryRegion));
        this.b = new Server("pg-" + standbyRegion, standbyRegion, dir.resolve("pg-" + standbyRegion));
    }

    Path primaryFile() {
        return dir.resolve(PRIMARY_FILE);
    }

    /** initdb, primary up with the records table, base backup, standby up and streaming. */
    synchronized void start() {
        try {
            removeData(); // a sandbox killed outright leaves its data behind
            Files.createDirectories(dir);
            if (asRoot()) {
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
                if (run(List.of("test", "-w", dir.toString()), Duration.ofSeconds(5)) != 0) {
                    throw new IllegalStateException("the postgres user cannot write " + dir + ": make its parent directories"
                            + " traversable (chmod o+x) or use a sandbox state directory under /tmp");
                }
            }
            pg(Duration.ofSeconds(60), "initdb", "-D", a.data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            String sync = spec.replication() == DatabaseSpec.Replication.SYNC
                    ? "synchronous_standby_names = 'standby'\n" : "synchronous_standby_names = ''\n";
            Files.writeString(a.data.resolve("postgresql.conf"), """

                    # slogate sandbox
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = ''
                    fsync = off
                    synchronous_commit = on
                    wal_level = replica
                    max_wal_senders = 4
                    wal_keep_size = 64MB
                    shared_buffers = 16MB
                    max_connections = 40
                    """ + sync, java.nio.file.StandardOpenOption.APPEND);
            startServer(a);
            a.role = DatabaseState.PRIMARY;
            try (Connection c = connect(a.port); Statement s = c.createStatement()) {
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
    private DelayProxy startAsStandby(Server standby, Server primary) throws IOException {
        pg(Duration.ofSeconds(60), "pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primary.port), "-U", "postgres",
                "-D", standby.data.toString(), "-X", "stream", "-c", "fast", "--no-sync");
        DelayProxy newLink = spec.replication() == DatabaseSpec.Replication.ASYNC
                ? new DelayProxy(0, primary.port, spec.lag(), true) : null;
        try {
            int upstream = newLink == null ? primary.port : newLink.port();
            Files.writeString(standby.data.resolve("postgresql.conf"), "\n# slogate standby\nsynchronous_standby_names = ''\n"
                    + "primary_conninfo = 'host=127.0.0.1 port=" + upstream + " user=postgres application_name=standby'\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(standby.data.resolve("standby.signal"), "");
            chown(standby.data.resolve("standby.signal"));
            startServer(standby);
            return newLink;
        } catch (IOException | RuntimeException e) {
            if (newLink != null) {
                newLink.close();
            }
            throw e;
        }
    }

    private void awaitStreaming(Server primary, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String want = spec.replication() == DatabaseSpec.Replication.SYNC ? " AND sync_state = 'sync'" : "";
        Server standby = primary == a ? b : a;
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(primary.port); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" + want)) {
                if (r.next() && r.getInt(1) > 0) {
                    return;
                }
            }
            sleep(200);
        }
        throw new IllegalStateException("the standby did not stream from the primary within " + timeout.toSeconds()
                + " s; see " + dir.resolve(standby.name + ".log"));
    }

    /** The region lost its server: stop it at once; a lost primary is failed over after the detection delay. */
    synchronized void regionDown(String region) {
        Server s = in(region);
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
        stopServer(s);
        s.lostRole = s.role;
        s.role = DatabaseState.DOWN;
        Server other = s == a ? b : a;
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
        Server s = in(region);
        if (s != null) {
            s.regionUp = true;
        }
        if (s == null || !s.role.equals(DatabaseState.DOWN) || closed) {
            return;
        }
        Server other = s == a ? b : a;
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
            startServer(s);
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
    private void promote(Server standby, Server old) {
        synchronized (this) {
            if (closed || !standby.role.equals(DatabaseState.STANDBY)) {
                return;
            }
            try {
                pg(Duration.ofSeconds(30), "pg_ctl", "promote", "-D", standby.data.toString(), "-w", "-t", "30");
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
    private synchronized void recordRejoin(DatabaseState.Rejoin r) {
        rejoins.add(r);
    }

    private void rejoinAsStandby(Server s, Server primary) {
        DelayProxy newLink = null;
        long started = System.currentTimeMillis();
        try {
            synchronized (this) {
                if (closed || !s.regionUp || !s.role.equals(DatabaseState.DOWN) || !primary.role.equals(DatabaseState.PRIMARY)) {
                    return;
                }
            }
            deleteTree(s.data);
            newLink = startAsStandby(s, primary);
            synchronized (this) {
                if (closed || !s.regionUp || !primary.role.equals(DatabaseState.PRIMARY)) {
                    stopServer(s);
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
                try (Connection c = connect(primary.port); Statement st = c.createStatement()) {
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

    synchronized DatabaseState state() {
        Server p = a.role.equals(DatabaseState.PRIMARY) ? a : b.role.equals(DatabaseState.PRIMARY) ? b : null;
        return new DatabaseState(spec.replication().name().toLowerCase(Locale.ROOT), spec.lag().toMillis(),
                spec.failoverAfter().toMillis(), p == null ? null : "127.0.0.1:" + p.port,
                Stream.of(a, b).map(s -> new DatabaseState.Server(s.name, s.region, s.port, pid(s), s.role)).toList(),
                failovers, rejoins);
    }

    private Server in(String region) {
        return a.region.equals(region) ? a : b.region.equals(region) ? b : null;
    }

    /** Starts the server; on its first start it gets a free port, and another if that one was taken meanwhile. */
    private void startServer(Server s) throws IOException {
        boolean first = s.port == 0;
        for (int attempt = 1; ; attempt++) {
            if (first) {
                s.port = FreePorts.next();
            }
            Path log = dir.resolve(s.name + ".log");
            long logSize = Files.exists(log) ? Files.size(log) : 0;
            try {
                pg(Duration.ofSeconds(60), "pg_ctl", "-D", s.data.toString(), "-l", log.toString(), "-o", "-p " + s.port,
                        "-w", "-t", "45", "start");
                return;
            } catch (IllegalStateException e) {
                String tail = Files.exists(log) ? Files.readString(log).substring((int) Math.min(logSize, Files.size(log))) : "";
                if (!first || attempt == 3 || !tail.contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private void stopServer(Server s) {
        try {
            pg(Duration.ofSeconds(20), "pg_ctl", "-D", s.data.toString(), "-m", "immediate", "-w", "-t", "15", "stop");
        } catch (IOException | RuntimeException e) {
            ProcessHandle.of(pid(s)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The postmaster's pid from {@code postmaster.pid}, 0 when it does not run. */
    private static long pid(Server s) {
        try {
            List<String> lines = Files.readAllLines(s.data.resolve("postmaster.pid"));
            long pid = lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void writePrimaryFile(Server s) throws IOException {
        Path tmp = dir.resolve(PRIMARY_FILE + ".tmp");
        Files.writeString(tmp, "127.0.0.1:" + s.port + "\n");
        Files.move(tmp, primaryFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=10&socketTimeout=60",
                "postgres", "");
    }

    /** Runs a PostgreSQL program as the postgres user; its output goes to {@code db/commands.log}. */
    private void pg(Duration timeout, String program, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        int code = run(cmd, timeout);
        if (code != 0) {
            throw new IllegalStateException(program + " failed (exit " + code + "): " + String.join(" ", cmd)
                    + "; see " + dir.resolve("commands.log"));
        }
    }

    private int run(List<String> command, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        // Output to a file, not a pipe: pg_ctl start leaves the server running with whatever it inherited.
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return p.exitValue();
    }

    private void chown(Path p) throws IOException {
        if (asRoot()) {
            Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest /usr/lib/postgresql/<version>/bin holding pg_ctl. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/pg_ctl);"
                            + " run ./slogate setup, or apt-get install -y postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static int version(String v) {
        try {
            return Integer.parseInt(v.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
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
        for (Server s : List.of(a, b)) {
            if (pid(s) != 0) {
                stopServer(s);
            }
        }
        removeData();
    }

    /** Deletes both data directories and the primary file; the logs stay. */
    private void removeData() {
        for (Path p : List.of(a.data, b.data, primaryFile())) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                // leftover data only takes disk space; initdb names the directory if it is in the way
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> files = Files.exists(p) ? Files.walk(p) : Stream.empty()) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
