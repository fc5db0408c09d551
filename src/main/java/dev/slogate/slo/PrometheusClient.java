package dev.slogate.slo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.redact.Redaction;
import dev.slogate.slo.PrometheusException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A small client of the Prometheus HTTP API ({@code /api/v1/query}, {@code query_range}, {@code format_query},
 * {@code /-/ready}). Immutable and thread-safe; build one with {@link #builder(String)}:
 * <pre>{@code
 * PrometheusClient prom = PrometheusClient.builder("http://127.0.0.1:9090").bearerToken(token).timeout(Duration.ofSeconds(5)).build();
 * QueryResult r = prom.query("sum(rate(http_requests_total[1m]))", Instant.now());
 * }</pre>
 * Every failure is a {@link PrometheusException} whose message says what to check. The bearer token is sent as an
 * {@code Authorization} header and never appears in messages or {@link #toString()}.
 */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUERY_IN_MESSAGE = 200;

    private final HttpUrl base;
    private final String bearerToken;
    private final Duration timeout;
    private final OkHttpClient http;

    private PrometheusClient(Builder b) {
        this.base = b.base;
        this.bearerToken = b.bearerToken;
        this.timeout = b.timeout;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .callTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** A builder holding this client's settings, to derive a client with another timeout or token. */
    public Builder newBuilder() {
        Builder b = new Builder(base.toString());
        b.bearerToken = bearerToken;
        b.timeout = timeout;
        return b;
    }

    /** The server's address without credentials, as it appears in messages. */
    public String url() {
        return displayUrl(base);
    }

    /** Evaluates {@code promql} at {@code time}. A range vector result is refused: wrap it in a function. */
    public QueryResult query(String promql, Instant time) {
        FormBody form = new FormBody.Builder().add("query", promql).add("time", timestamp(time)).build();
        return parseQuery(call(post("api/v1/query", form), promql), promql);
    }

    /** Evaluates {@code promql} at every {@code step} from {@code start} to {@code end}. */
    public RangeResult queryRange(String promql, Instant start, Instant end, Duration step) {
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        FormBody form = new FormBody.Builder().add("query", promql).add("start", timestamp(start)).add("end", timestamp(end))
                .add("step", seconds(step.toMillis())).build();
        return parseRange(call(post("api/v1/query_range", form), promql), promql);
    }

    /**
     * Asks the server whether it can parse {@code promql}: empty when it can, else Prometheus's own error text,
     * e.g. {@code "1:16: parse error: unclosed left parenthesis"}. Placeholders such as {@code $window} must be
     * replaced before calling. Throws when the server cannot be asked (unreachable, unauthorized, ...).
     */
    public Optional<String> checkSyntax(String promql) {
        HttpUrl url = endpoint("api/v1/format_query").newBuilder().addQueryParameter("query", promql).build();
        try {
            call(request(url).get().build(), promql);
            return Optional.empty();
        } catch (PrometheusException e) {
            if (e.kind() == Kind.BAD_QUERY) {
                return Optional.of(e.serverError());
            }
            if (e.httpStatus() == 404) {
                // format_query came with Prometheus 2.31; older servers can only tell by evaluating the expression.
                try {
                    query(promql, Instant.now());
                    return Optional.empty();
                } catch (PrometheusException q) {
                    if (q.kind() == Kind.BAD_QUERY) {
                        return Optional.of(q.serverError());
                    }
                    throw q;
                }
            }
            throw e;
        }
    }

    /** True when {@code /-/ready} answers 200; false on any failure (never throws). */
    public boolean ready() {
        try (Response r = http.newCall(request(endpoint("-/ready")).get().build()).execute()) {
            return r.code() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "PrometheusClient[" + url() + ", timeout=" + timeout.toMillis() + " ms"
                + (bearerToken == null ? "" : ", bearer token set") + "]";
    }

    private Request post(String path, FormBody form) {
        return request(endpoint(path)).post(form).build();
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        } else if (!base.username().isEmpty()) { // http://user:password@host:9090: basic auth, as curl and Grafana do
            b.header("Authorization", okhttp3.Credentials.basic(base.username(), base.password()));
        }
        return b;
    }

    private HttpUrl endpoint(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    /** Runs the call and returns the envelope ({@code status}, {@code data}, {@code warnings}) of a successful API response. */
    private JsonNode call(Request request, String promql) {
        int code;
        String body;
        try (Response r = http.newCall(request).execute()) {
            code = r.code();
            body = r.body().string();
        } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
            throw unreachable(e);
        } catch (InterruptedIOException e) {
            throw new PrometheusException(Kind.TIMEOUT, "Prometheus at " + url() + " did not answer"
                    + (promql == null ? "" : " the query" + about(promql)) + " within " + timeout.toMillis() + " ms; raise the client timeout or simplify the query", null, 0, e);
        } catch (IOException e) {
            throw unreachable(e);
        }
        return envelope(code, body, promql, url());
    }

    private PrometheusException unreachable(IOException e) {
        return new PrometheusException(Kind.UNREACHABLE, "Prometheus at " + url() + " is unreachable: "
                + describe(e) + "; is it running? check target.prometheus", null, 0, e);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }

    /** Maps an HTTP answer of the API to its JSON envelope or to a {@link PrometheusException}. */
    static JsonNode envelope(int code, String body, String promql, String where) {
        JsonNode root = null;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            // not JSON: a proxy's error page or something that is not Prometheus; reported below
        }
        String status = root == null ? null : root.path("status").asText(null);
        String serverError = root == null || root.path("error").isMissingNode() ? null : root.path("error").asText();
        String errorType = root == null ? null : root.path("errorType").asText(null);
        if (code == 200 && "success".equals(status)) {
            return root;
        }
        String said = serverError != null ? serverError : snippet(body);
        if (code == 401 || code == 403) {
            return fail(Kind.UNAUTHORIZED, code, "Prometheus at " + where + " refused the request (HTTP " + code
                    + "); check the bearer token given for it", serverError);
        }
        if (code == 400 || "bad_data".equals(errorType)) {
            return fail(Kind.BAD_QUERY, code, "Prometheus rejected the query" + about(promql) + ": " + said, serverError);
        }
        if (code == 422 || "execution".equals(errorType)) {
            return fail(Kind.EXECUTION, code, "Prometheus could not evaluate the query" + about(promql) + ": " + said, serverError);
        }
        if (code == 503 || "unavailable".equals(errorType)) {
            return fail(Kind.UNAVAILABLE, code, "Prometheus at " + where + " is unavailable (HTTP " + code + ": " + said
                    + "); it may still be starting or be overloaded, try again shortly", serverError);
        }
        if (code == 504 || "timeout".equals(errorType)) {
            return fail(Kind.TIMEOUT, code, "Prometheus timed out evaluating the query" + about(promql) + ": " + said
                    + "; shorten the window or simplify the query", serverError);
        }
        return fail(Kind.BAD_RESPONSE, code, "unexpected answer from " + where + " (HTTP " + code + "): " + said
                + "; is target.prometheus the address of a Prometheus server?", serverError);
    }

    private static JsonNode fail(Kind kind, int code, String message, String serverError) {
        throw new PrometheusException(kind, message, serverError, code, null);
    }

    static QueryResult parseQuery(JsonNode envelope, String promql) {
        JsonNode data = envelope.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        List<QueryResult.Sample> samples = new ArrayList<>();
        switch (type) {
            case "vector" -> result.forEach(s -> samples.add(new QueryResult.Sample(labels(s.path("metric")), value(s.path("value")))));
            case "scalar" -> samples.add(new QueryResult.Sample(Map.of(), value(result)));
            case "matrix" -> throw new PrometheusException(Kind.BAD_QUERY, "the query" + about(promql)
                    + " returns a range vector; wrap it in a function such as increase(...) or rate(...)", null, 0, null);
            default -> throw new PrometheusException(Kind.BAD_RESPONSE, "the query" + about(promql)
                    + " returned a " + (type.isEmpty() ? "result without type" : type) + ", not a number", null, 0, null);
        }
        return new QueryResult(type, samples, warnings(envelope));
    }

    static RangeResult parseRange(JsonNode envelope, String promql) {
        JsonNode data = envelope.path("data");
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw new PrometheusException(Kind.BAD_RESPONSE, "a range query" + about(promql) + " returned "
                    + data.path("resultType").asText("nothing") + " instead of a matrix", null, 0, null);
        }
        List<RangeResult.Series> series = new ArrayList<>();
        for (JsonNode s : data.path("result")) {
            List<RangeResult.Point> points = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                points.add(new RangeResult.Point(Math.round(v.path(0).asDouble() * 1000), number(v.path(1).asText())));
            }
            series.add(new RangeResult.Series(labels(s.path("metric")), points));
        }
        return new RangeResult(series, warnings(envelope));
    }

    private static List<String> warnings(JsonNode envelope) {
        List<String> out = new ArrayList<>();
        envelope.path("warnings").forEach(w -> out.add(w.asText()));
        return out;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> out = new LinkedHashMap<>();
        metric.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static double value(JsonNode pair) {
        return number(pair.path(1).asText());
    }

    /** Prometheus writes sample values as strings, with NaN, +Inf and -Inf spelled its own way. */
    static double number(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new PrometheusException(Kind.BAD_RESPONSE, "Prometheus sent '" + snippet(text) + "' where a number belongs", null, 0, e);
                }
            }
        };
    }

    private static String about(String promql) {
        if (promql == null) {
            return "";
        }
        return " '" + (promql.length() > MAX_QUERY_IN_MESSAGE ? promql.substring(0, MAX_QUERY_IN_MESSAGE) + "..." : promql) + "'";
    }

    private static String snippet(String body) {
        String s = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return s.isEmpty() ? "empty body" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static String timestamp(Instant t) {
        return seconds(t.toEpochMilli());
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000));
    }

    private static String displayUrl(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).fragment(null).build().toString().replaceAll("/$", "");
    }

    /** Settings of a {@link PrometheusClient}; {@link #build()} validates them. */
    public static final class Builder {
        private HttpUrl base;
        private String bearerToken;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String url) {
            HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
            if (parsed == null) {
                throw new IllegalArgumentException("'" + Redaction.url(url) + "' is not an http(s) URL; write the Prometheus address as http://host:9090");
            }
            this.base = parsed.newBuilder().query(null).fragment(null).build();
        }

        /** Sent as {@code Authorization: Bearer <token>}; null or blank sends none. */
        public Builder bearerToken(String token) {
            this.bearerToken = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        /** Bounds each call as a whole (connect, send, wait, read). Default 10 s. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("the Prometheus timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public PrometheusClient build() {
            return new PrometheusClient(this);
        }

        @Override
        public String toString() {
            return "PrometheusClient.Builder[" + displayUrl(base) + (bearerToken == null ? "" : ", bearer token set") + "]";
        }
    }
}
