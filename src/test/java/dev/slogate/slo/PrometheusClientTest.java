package dev.slogate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slogate.sandbox.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parsing and error mapping against canned answers of the Prometheus HTTP API; the real server is exercised in
 * PrometheusEvaluationIT.
 */
class PrometheusClientTest {
    private static final String TOKEN = "s3cret-token-value";

    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "";
    private volatile long delayMillis;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + URLDecoder.decode(query != null ? query : form, StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PrometheusClient client() {
        return PrometheusClient.builder("http://127.0.0.1:" + server.getAddress().getPort()).bearerToken(TOKEN)
                .timeout(Duration.ofMillis(800)).build();
    }

    private void answer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    @Test
    void parsesAVectorWithLabelsAndPrometheusSpecialValues() {
        answer(200, """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"job":"demo","code":"200"},"value":[1700000000.5,"12.25"]},
                  {"metric":{"job":"demo","code":"500"},"value":[1700000000.5,"NaN"]},
                  {"metric":{},"value":[1700000000.5,"+Inf"]},
                  {"metric":{},"value":[1700000000.5,"-Inf"]}]},
                 "warnings":["PromQL info: something"]}""");
        QueryResult r = client().query("up", Instant.ofEpochMilli(1_700_000_000_500L));

        assertEquals("vector", r.resultType());
        assertEquals(4, r.samples().size());
        assertEquals(Map.of("job", "demo", "code", "200"), r.samples().get(0).labels());
        assertEquals(12.25, r.samples().get(0).value());
        assertTrue(Double.isNaN(r.samples().get(1).value()));
        assertEquals(Double.POSITIVE_INFINITY, r.samples().get(2).value());
        assertEquals(Double.NEGATIVE_INFINITY, r.samples().get(3).value());
        assertEquals(List.of("PromQL info: something"), r.warnings());
        assertEquals("POST /api/v1/query query=up&time=1700000000.500", requests.get(0));
        assertEquals("Bearer " + TOKEN, authorizations.get(0));
    }

    @Test
    void userInfoIsSentAsBasicAuthAndNeverShown() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        PrometheusClient prom = PrometheusClient.builder("http://prom:S3cretP%40ss@127.0.0.1:" + server.getAddress().getPort()).build();
        prom.query("up", Instant.now());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("prom:S3cretP@ss".getBytes(StandardCharsets.UTF_8)),
                authorizations.get(0));
        assertFalse(prom.url().contains("S3cret") || prom.toString().contains("S3cret"), prom.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PrometheusClient.builder("prom:S3cretP@ss@127.0.0.1:9090"));
        assertFalse(bad.getMessage().contains("S3cret"), bad.getMessage());
    }

    @Test
    void parsesScalarsAndEmptyVectors() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"0.5\"]}}");
        QueryResult scalar = client().query("scalar(up)", Instant.now());
        assertEquals(List.of(new QueryResult.Sample(Map.of(), 0.5)), scalar.samples());

        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertTrue(client().query("nothing", Instant.now()).isEmpty());
    }

    @Test
    void refusesARangeVectorFromAnInstantQuery() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().query("up[5m]", Instant.now()));
        assertTrue(e.getMessage().contains("range vector"), e.getMessage());
    }

    @Test
    void parsesARangeQuery() {
        answer(200, """
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"pod":"a-1-1"},"values":[[1700000000,"1"],[1700000001.5,"2"],[1700000003,"NaN"]]}]}}""");
        RangeResult r = client().queryRange("up", Instant.ofEpochSecond(1_700_000_000), Instant.ofEpochSecond(1_700_000_003), Duration.ofMillis(1500));

        assertEquals(1, r.series().size());
        assertEquals(Map.of("pod", "a-1-1"), r.series().get(0).labels());
        List<RangeResult.Point> p = r.series().get(0).points();
        assertEquals(new RangeResult.Point(1_700_000_000_000L, 1), p.get(0));
        assertEquals(new RangeResult.Point(1_700_000_001_500L, 2), p.get(1));
        assertTrue(Double.isNaN(p.get(2).value()));
        assertEquals("POST /api/v1/query_range query=up&start=1700000000.000&end=1700000003.000&step=1.500", requests.get(0));
    }

    @Test
    void badDataCarriesTheServersOwnText() {
        answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:16: parse error: unclosed left parenthesis\"}");
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().query("sum(rate(x[5m])", Instant.now()));
        assertEquals(PrometheusException.Kind.BAD_QUERY, e.kind());
        assertEquals("Prometheus rejected the query 'sum(rate(x[5m])': 1:16: parse error: unclosed left parenthesis", e.getMessage());
        assertEquals("1:16: parse error: unclosed left parenthesis", e.serverError());

        assertEquals(Optional.of("1:16: parse error: unclosed left parenthesis"), client().checkSyntax("sum(rate(x[5m])"));
        assertTrue(requests.get(1).startsWith("GET /api/v1/format_query query=sum(rate(x[5m])"), requests.get(1));
    }

    @Test
    void checkSyntaxIsEmptyForAnExpressionTheServerParses() {
        answer(200, "{\"status\":\"success\",\"data\":\"sum(rate(x[5m]))\"}");
        assertEquals(Optional.empty(), client().checkSyntax("sum(rate(x[5m]))"));
    }

    @Test
    void checkSyntaxFallsBackToEvaluatingOnServersWithoutFormatQuery() {
        answer(404, "404 page not found");
        // the fallback query gets the same 404 answer: not a parse error, so it is thrown
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().checkSyntax("up"));
        assertEquals(2, requests.size());
        assertTrue(requests.get(1).startsWith("POST /api/v1/query"), requests.get(1));
        assertEquals(PrometheusException.Kind.BAD_RESPONSE, e.kind());
    }

    @Test
    void mapsExecutionErrorsUnavailabilityAndStrangeAnswers() {
        answer(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"vector cannot contain metrics with the same labelset\"}");
        PrometheusException exec = assertThrows(PrometheusException.class, () -> client().query("a or a", Instant.now()));
        assertEquals(PrometheusException.Kind.EXECUTION, exec.kind());
        assertTrue(exec.getMessage().endsWith("could not evaluate the query 'a or a': vector cannot contain metrics with the same labelset"), exec.getMessage());

        answer(503, "Service Unavailable");
        PrometheusException unavailable = assertThrows(PrometheusException.class, () -> client().query("up", Instant.now()));
        assertEquals(PrometheusException.Kind.UNAVAILABLE, unavailable.kind());
        assertTrue(unavailable.getMessage().contains("HTTP 503: Service Unavailable"), unavailable.getMessage());

        answer(200, "<html>login</html>");
        PrometheusException html = assertThrows(PrometheusException.class, () -> client().query("up", Instant.now()));
        assertEquals(PrometheusException.Kind.BAD_RESPONSE, html.kind());
        assertTrue(html.getMessage().contains("<html>login</html>"), html.getMessage());
    }

    @Test
    void theTokenNeverShowsInMessagesOrToString() {
        answer(401, "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"bad token\"}");
        PrometheusClient client = client();
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.query("up", Instant.now()));
        assertEquals(PrometheusException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("check the bearer token"), e.getMessage());
        for (String text : List.of(e.getMessage(), client.toString(), client.newBuilder().toString())) {
            assertFalse(text.contains(TOKEN), text);
        }
        assertTrue(client.toString().contains("bearer token set"), client.toString());
        assertEquals("Bearer " + TOKEN, authorizations.get(0));
    }

    @Test
    void aSlowServerIsATimeout() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        PrometheusClient client = client();
        client.query("up", Instant.now()); // warm up: loading OkHttp takes seconds on a busy machine
        delayMillis = 2_000;
        long t0 = System.nanoTime();
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.query("up", Instant.now()));
        assertEquals(PrometheusException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("did not answer the query 'up' within 800 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 1_900_000_000L, "the call must give up at its timeout, took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void aClosedPortIsUnreachableWithAHint() {
        String url = "http://127.0.0.1:" + FreePorts.next();
        PrometheusClient client = PrometheusClient.builder(url).timeout(Duration.ofSeconds(2)).build();
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.query("up", Instant.now()));
        assertEquals(PrometheusException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("Prometheus at " + url + " is unreachable: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("is it running? check target.prometheus"), e.getMessage());
        assertFalse(client.ready());
    }

    @Test
    void readyFollowsTheReadinessEndpoint() {
        answer(200, "Prometheus Server is Ready.");
        assertTrue(client().ready());
        assertEquals("GET /-/ready ", requests.get(0));
        answer(503, "Service Unavailable");
        assertFalse(client().ready());
    }

    @Test
    void aBadUrlIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrometheusClient.builder("localhost:9090"));
        assertTrue(e.getMessage().contains("http://host:9090"), e.getMessage());
        assertEquals("PrometheusClient[http://user@example.com/prom, timeout=10000 ms]".replace("user@", ""),
                PrometheusClient.builder("http://user:pw@example.com/prom/").build().toString());
    }
}
