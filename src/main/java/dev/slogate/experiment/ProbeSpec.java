package dev.slogate.experiment;

import java.time.Duration;

/**
 * A data-integrity probe of a scenario ({@code spec.probes}): during the run it writes at {@code ratePerSecond} and
 * reads back after each fault's recovery. Over HTTP ({@code jdbc} null) it sends {@code writeMethod writePath} with
 * {@code writeBody} and reads back with {@code GET readPath}; in the body and paths {@code ${seq}} is the write's
 * sequence number, {@code ${ts}} its send time (epoch ms) and, in the read path, {@code ${from}} the first sequence
 * number to read. Over JDBC ({@code jdbc} set, the HTTP fields null) it inserts rows into a database table directly.
 * {@code timeout} bounds each request.
 */
public record ProbeSpec(String name, String writeMethod, String writePath, String writeBody, String readPath,
                        double ratePerSecond, Duration timeout, Jdbc jdbc) {
    /** The only probe type so far. */
    public static final String WRITE_INTEGRITY = "write-integrity";
    public static final double DEFAULT_RATE = 50;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** An HTTP probe. */
    public ProbeSpec(String name, String writeMethod, String writePath, String writeBody, String readPath,
                     double ratePerSecond, Duration timeout) {
        this(name, writeMethod, writePath, writeBody, readPath, ratePerSecond, timeout, null);
    }

    /** A JDBC probe. */
    public static ProbeSpec jdbc(String name, Jdbc jdbc, double ratePerSecond, Duration timeout) {
        return new ProbeSpec(name, null, null, null, null, ratePerSecond, timeout, jdbc);
    }

    public boolean isJdbc() {
        return jdbc != null;
    }

    /**
     * Where a JDBC probe writes: a PostgreSQL {@code url} ({@code jdbc:postgresql://...}; null = the sandbox's
     * primary and standby), the {@code user}, the name of the environment variable holding the password
     * ({@code passwordEnv}, null = no password; the password itself is never in a file) and the {@code table}
     * (created when missing).
     */
    public record Jdbc(String url, String user, String passwordEnv, String table) {
        public static final String DEFAULT_TABLE = "slogate_probe";
        public static final String SANDBOX_USER = "postgres";

        public static Jdbc sandbox() {
            return new Jdbc(null, SANDBOX_USER, null, DEFAULT_TABLE);
        }

        public boolean sandboxTarget() {
            return url == null;
        }
    }
}
