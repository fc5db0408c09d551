package dev.slogate.probe;

import dev.slogate.experiment.ProbeSpec;
import dev.slogate.redact.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The JDBC write path: one autocommit {@code INSERT} per write into a table it creates when missing
 * ({@code seq bigint, written_at timestamptz DEFAULT clock_timestamp(), run_id text}); a write is acknowledged when the
 * commit returns. Read-backs select the run's rows in the order the server wrote them ({@code written_at}).
 * <p>Four writer threads share a small set of connections; a connection that fails is dropped, so the next write opens
 * a new one and, with a multi-host URL and {@code targetServerType=primary}, finds the new primary after a failover.
 * Each connection's socket timeout is the probe's timeout: a commit that hangs (a synchronous standby gone) is
 * refused, never acknowledged behind the probe's back (a query-timeout cancel would let PostgreSQL commit it locally).
 * The password comes from the environment variable {@code passwordEnv}; it is never logged nor reported.
 */
final class JdbcWritePath implements WritePath {
    static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int WRITERS = 4;

    private final ProbeSpec spec;
    private final String url;
    private final String runId;
    private final UnaryOperator<String> env;
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, WriteProbe.daemon("probe-jdbc"));
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final int timeoutSeconds;
    private volatile boolean closed;

    /** {@code url}: the JDBC URL to use (the spec's, or the sandbox's); {@code env} looks up the password variable. */
    JdbcWritePath(ProbeSpec spec, String url, String runId, UnaryOperator<String> env) {
        if (!TABLE.matcher(spec.jdbc().table()).matches()) {
            throw new IllegalArgumentException("table '" + spec.jdbc().table() + "' is not a plain SQL name");
        }
        this.spec = spec;
        this.url = url;
        this.runId = runId;
        this.env = env;
        this.timeoutSeconds = (int) Math.max(1, (spec.timeout().toMillis() + 999) / 1000);
    }

    /** The sandbox's primary and standby as one pgjdbc URL that always connects to whichever is primary now. */
    static String sandboxUrl(List<String> hostPorts) {
        return "jdbc:postgresql://" + String.join(",", hostPorts) + "/postgres?targetServerType=primary&hostRecheckSeconds=1";
    }

    @Override
    public void open(long firstSeq) throws SQLException {
        String t = spec.jdbc().table();
        try (Connection c = connect(timeoutSeconds * 5); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + t + " (seq bigint NOT NULL,"
                    + " written_at timestamptz NOT NULL DEFAULT clock_timestamp(), run_id text NOT NULL)");
        } catch (SQLException e) {
            throw new SQLException("probe " + spec.name() + " cannot create table " + t + " at " + url + ": " + e.getMessage()
                    + "; check the url, user and password variable, and that the user may create tables", e.getSQLState(), e);
        }
    }

    private Connection connect(int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        if (spec.jdbc().user() != null) {
            p.setProperty("user", spec.jdbc().user());
        }
        if (spec.jdbc().passwordEnv() != null) {
            String password = env.apply(spec.jdbc().passwordEnv());
            if (password == null) {
                throw new SQLException("the environment variable " + spec.jdbc().passwordEnv() + " (passwordEnv of probe "
                        + spec.name() + ") is not set; export it before the run");
            }
            Secrets.process().remember(password); // masked wherever the driver or a message may quote it
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        p.setProperty("ApplicationName", "slogate-probe");
        return DriverManager.getConnection(url, p);
    }

    @Override
    public CompletableFuture<Integer> write(long seq, long sentMillis) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            writers.execute(() -> done.complete(insert(seq, sentMillis)));
        } catch (RejectedExecutionException e) {
            done.complete(0);
        }
        return done;
    }

    private int insert(long seq, long sentMillis) {
        if (closed || System.currentTimeMillis() - sentMillis > spec.timeout().toMillis()) {
            return 0; // waited too long behind slow writes: the timeout has passed
        }
        Connection c = idle.poll();
        try {
            if (c == null) {
                c = connect(timeoutSeconds);
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + spec.jdbc().table() + " (seq, run_id) VALUES (?, ?)")) {
                s.setLong(1, seq);
                s.setString(2, runId);
                s.executeUpdate();
            }
            idle.add(c);
            return 200;
        } catch (SQLException e) {
            closeQuietly(c);
            return 0;
        }
    }

    @Override
    public List<Long> readBack(long firstSeq) throws SQLException {
        try (Connection c = connect(timeoutSeconds * 5);
             PreparedStatement s = c.prepareStatement("SELECT seq FROM " + spec.jdbc().table()
                     + " WHERE run_id = ? AND seq >= ? ORDER BY written_at, seq")) {
            s.setString(1, runId);
            s.setLong(2, firstSeq);
            List<Long> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SQLException("SELECT from " + spec.jdbc().table() + " at " + url + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        writers.shutdownNow();
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
