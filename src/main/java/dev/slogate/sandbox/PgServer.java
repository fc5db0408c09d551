package dev.slogate.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * One PostgreSQL server of the sandbox's pair: its name, region, loopback port and data directory, its role as the
 * {@link Database} sees it, and its process (set up, started, stopped through {@link PgPrograms}). The roles are
 * guarded by the database's lock.
 */
final class PgServer {
    final String name;
    final String region;
    int port; // picked when it first starts: a port picked early may be taken as an ephemeral port meanwhile
    final Path data;
    String role = DatabaseState.DOWN;
    String lostRole;
    boolean regionUp = true;
    private final Path log;
    private final PgPrograms programs;

    PgServer(String region, Path dir, PgPrograms programs) {
        this.name = "pg-" + region;
        this.region = region;
        this.data = dir.resolve(name);
        this.log = dir.resolve(name + ".log");
        this.programs = programs;
    }

    /** initdb, then the sandbox's settings; {@code syncStandby}: commits wait for the standby named {@code standby}. */
    void init(boolean syncStandby) throws IOException {
        programs.pg(Duration.ofSeconds(60), "initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--locale=C", "--no-sync");
        String sync = syncStandby ? "synchronous_standby_names = 'standby'\n" : "synchronous_standby_names = ''\n";
        Files.writeString(data.resolve("postgresql.conf"), """

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
                """ + sync, StandardOpenOption.APPEND);
    }

    /** A base backup of {@code primary} into this server's (empty) data directory. */
    void baseBackupFrom(PgServer primary) throws IOException {
        programs.pg(Duration.ofSeconds(60), "pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primary.port), "-U", "postgres",
                "-D", data.toString(), "-X", "stream", "-c", "fast", "--no-sync");
    }

    /**
     * Starts a base-backed-up server as a standby streaming from {@code upstreamPort}: as later settings win, that
     * upstream, no synchronous standby of its own once promoted, and {@code standby.signal}.
     */
    void startAsStandby(int upstreamPort) throws IOException {
        Files.writeString(data.resolve("postgresql.conf"), "\n# slogate standby\nsynchronous_standby_names = ''\n"
                + "primary_conninfo = 'host=127.0.0.1 port=" + upstreamPort + " user=postgres application_name=standby'\n",
                StandardOpenOption.APPEND);
        Files.writeString(data.resolve("standby.signal"), "");
        programs.chown(data.resolve("standby.signal"));
        start();
    }

    /** Starts the server; on its first start it gets a free port, and another if that one was taken meanwhile. */
    void start() throws IOException {
        boolean first = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (first) {
                port = FreePorts.next();
            }
            long logSize = Files.exists(log) ? Files.size(log) : 0;
            try {
                programs.pg(Duration.ofSeconds(60), "pg_ctl", "-D", data.toString(), "-l", log.toString(), "-o", "-p " + port,
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

    /** Stops it at once ({@code -m immediate}: no checkpoint, nothing more sent); kills it if pg_ctl fails. */
    void stop() {
        try {
            programs.pg(Duration.ofSeconds(20), "pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "15", "stop");
        } catch (IOException | RuntimeException e) {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The postmaster's pid from {@code postmaster.pid}, 0 when it does not run. */
    long pid() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            long pid = lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The log of this server (pg_ctl's {@code -l}). */
    Path log() {
        return log;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=10&socketTimeout=60",
                "postgres", "");
    }
}
