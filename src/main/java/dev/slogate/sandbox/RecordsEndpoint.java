package dev.slogate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * The demo service's write path, backed by the sandbox PostgreSQL: {@code POST /records {"seq": N, "ts": M}} inserts
 * a row and answers 201 only after the commit returned; {@code GET /records?from=N} answers every stored record with
 * {@code seq >= N} as a JSON array {@code [{"seq":..,"ts":..}, ...]} in storage order. A database error answers 503.
 * Each worker keeps one connection, opened to the address in the primary file when needed and dropped on any error,
 * so after a failover the next request reaches the new primary.
 */
final class RecordsEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 4;

    private final Path primaryFile;
    private final IntConsumer observe;
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "records");
        t.setDaemon(true);
        return t;
    });
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();

    /** {@code observe} gets the status of every answer, for the service's metrics. */
    RecordsEndpoint(Path primaryFile, IntConsumer observe) {
        this.primaryFile = primaryFile;
        this.observe = observe;
    }

    void handle(HttpExchange ex) {
        workers.execute(() -> serve(ex));
    }

    private void serve(HttpExchange ex) {
        int status = 500;
        try {
            String method = ex.getRequestMethod();
            if (method.equals("POST")) {
                JsonNode body;
                try (InputStream in = ex.getRequestBody()) {
                    body = JSON.readTree(in);
                } catch (IOException e) {
                    body = null;
                }
                if (body == null || !body.path("seq").canConvertToLong() || !body.path("ts").canConvertToLong()) {
                    status = respond(ex, 400, "{\"error\":\"write {\\\"seq\\\": <number>, \\\"ts\\\": <epoch ms>}\"}");
                    return;
                }
                try (PreparedStatement s = connection().prepareStatement("INSERT INTO records (seq, ts) VALUES (?, ?)")) {
                    s.setLong(1, body.get("seq").asLong());
                    s.setLong(2, body.get("ts").asLong());
                    s.executeUpdate(); // autocommit: returns after the commit (and the standby's flush when synchronous)
                }
                status = respond(ex, 201, "{\"seq\":" + body.get("seq").asLong() + "}");
            } else if (method.equals("GET")) {
                long from = fromParameter(ex.getRequestURI().getRawQuery());
                StringBuilder out = new StringBuilder("[");
                try (PreparedStatement s = connection().prepareStatement("SELECT seq, ts FROM records WHERE seq >= ? ORDER BY id")) {
                    s.setLong(1, from);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            out.append(out.length() > 1 ? "," : "").append("{\"seq\":").append(r.getLong(1))
                                    .append(",\"ts\":").append(r.getLong(2)).append('}');
                        }
                    }
                }
                status = respond(ex, 200, out.append(']').toString());
            } else {
                status = respond(ex, 405, "{\"error\":\"use POST or GET\"}");
            }
        } catch (SQLException e) {
            drop();
            status = respondQuietly(ex, 503, "{\"error\":" + quote("database unavailable: " + e.getMessage()) + "}");
        } catch (IOException e) {
            status = 499; // the client went away
        } catch (RuntimeException e) {
            status = respondQuietly(ex, 500, "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
        } finally {
            observe.accept(status);
        }
    }

    private static long fromParameter(String query) {
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("from=")) {
                    try {
                        return Long.parseLong(kv.substring(5));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("from must be a number, was " + kv.substring(5));
                    }
                }
            }
        }
        return Long.MIN_VALUE;
    }

    private Connection connection() throws SQLException {
        Connection c = connection.get();
        if (c == null) {
            String address;
            try {
                address = Files.readString(primaryFile).trim();
            } catch (IOException e) {
                throw new SQLException("no primary known yet (" + primaryFile + " unreadable)", e);
            }
            c = DriverManager.getConnection("jdbc:postgresql://" + address + "/postgres?connectTimeout=2&socketTimeout=5&tcpKeepAlive=true",
                    "postgres", "");
            connection.set(c);
        }
        return c;
    }

    private void drop() {
        Connection c = connection.get();
        connection.remove();
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already broken
            }
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            return "\"\"";
        }
    }

    private static int respondQuietly(HttpExchange ex, int status, String body) {
        try {
            return respond(ex, status, body);
        } catch (IOException e) {
            return 499;
        }
    }

    private static int respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
