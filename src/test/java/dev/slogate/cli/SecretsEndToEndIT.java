package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.sandbox.DemoService;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any output: the real CLI (a separate JVM, with a password in its environment) validates, plans and runs
 * scenarios full of planted secrets against a local demo service and a Prometheus that checks basic auth, then every
 * byte it wrote (console, every report file, the state folder with the journal and the Gatling work dir) is searched
 * for every secret, raw and URL-encoded.
 */
class SecretsEndToEndIT {
    private static final String PROMETHEUS_PASSWORD = "S3cretP@ss";
    private static final String TARGET_PASSWORD = "TargetPw-5521";
    private static final String BEARER = "tok-XYZ-0042";
    private static final String API_KEY = "ApiK3y-7781";
    private static final String QUERY_PASSWORD = "QueryP4ss-3141";
    private static final String LITERAL_PASSWORD = "hunter2-Literal";
    private static final String ENV_PASSWORD = "EnvT0ken-2718";
    private static final String DOTENV_TOKEN = "DotEnvS3cret-99";
    private static final List<String> SECRETS = List.of(PROMETHEUS_PASSWORD, "S3cretP%40ss", TARGET_PASSWORD, BEARER, API_KEY,
            QUERY_PASSWORD, LITERAL_PASSWORD, ENV_PASSWORD, DOTENV_TOKEN);

    @TempDir
    Path work;

    private DemoService target;
    private MockWebServer prometheus;
    private final List<String> prometheusAuth = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        target = DemoService.start(0, Duration.ofMillis(1), 0, 64);
        prometheus = new MockWebServer();
        prometheus.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String auth = r.getHeaders().get("Authorization");
                prometheusAuth.add(String.valueOf(auth));
                String expected = "Basic " + Base64.getEncoder().encodeToString(("prom:" + PROMETHEUS_PASSWORD).getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(auth)) {
                    return new MockResponse.Builder().code(401).body("{\"status\":\"error\",\"error\":\"unauthorized\"}").build();
                }
                String path = r.getUrl().encodedPath();
                String body = path.equals("/-/ready") ? "Prometheus Server is Ready."
                        : path.endsWith("/format_query") ? "{\"status\":\"success\",\"data\":\"up\"}"
                        : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
                return new MockResponse.Builder().code(200).body(body).build();
            }
        });
        prometheus.start();
    }

    @AfterEach
    void stop() throws IOException {
        target.close();
        prometheus.close();
    }

    @Test
    void noCommandWritesASecretAnywhere() throws Exception {
        int closed = closedPort();
        String targetUrl = "http://svc:" + TARGET_PASSWORD + "@127.0.0.1:" + target.port();
        String promUrl = "http://prom:S3cretP%40ss@127.0.0.1:" + prometheus.getPort();
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: secrets}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 5%}}
                """);
        String requests = """
                    requests:
                      - path: /?password=%s&page=1
                        headers: {Authorization: "Bearer %s", X-Api-Key: "%s", Accept: "text/plain"}
                """.formatted(QUERY_PASSWORD, BEARER, API_KEY);
        Path good = scenario("good", targetUrl, promUrl, "5s", requests, "", "[slo.yaml]");
        Path preflight = scenario("preflight", targetUrl, "http://prom:S3cretP%40ss@127.0.0.1:" + closed, "5s", requests, """
                  probes:
                    - name: orders
                      jdbc: {url: 'jdbc:postgresql://127.0.0.1:%d/shop', user: app, passwordEnv: DB_PASSWORD}
                """.formatted(closed), "[slo.yaml]");
        Files.writeString(work.resolve(".env"), "API_TOKEN=" + DOTENV_TOKEN + "\nDB_PASSWORD=" + LITERAL_PASSWORD + "\n");
        Path bad = scenario("bad", targetUrl, "http://prom:" + PROMETHEUS_PASSWORD + "@127.0.0.1:" + prometheus.getPort(), "5s",
                requests, """
                  probes:
                    - name: orders
                      jdbc: {url: 'jdbc:postgresql://127.0.0.1:%d/shop', user: app, passwordEnv: '%s'}
                """.formatted(closed, LITERAL_PASSWORD), "[slo.yaml, .env]");
        List<Path> inputs = List.of(good, preflight, bad, work.resolve("slo.yaml"), work.resolve(".env"));

        Path out = work.resolve("cli");
        assertEquals(0, run(out, "validate", good.toString()), EndToEndIT.output(out));
        assertEquals(2, run(out, "validate", bad.toString()), EndToEndIT.output(out));
        assertEquals(0, run(out, "plan", good.toString()), EndToEndIT.output(out));
        assertEquals(2, run(out, "plan", preflight.toString()), EndToEndIT.output(out));
        assertEquals(2, run(out, "plan", bad.toString()), EndToEndIT.output(out));
        assertEquals(2, run(out, "run", "--run-id", "bad", bad.toString()), EndToEndIT.output(out));
        assertEquals(2, run(out, "run", "--run-id", "preflight", preflight.toString()), EndToEndIT.output(out));
        assertEquals(0, run(out, "run", "--run-id", "good", good.toString()), EndToEndIT.output(out));

        String console = EndToEndIT.output(out);
        // what the user needs is still there, masked
        assertTrue(console.contains("url http://svc:***@127.0.0.1:" + target.port() + ", Prometheus http://prom:***@127.0.0.1:"), console);
        assertTrue(console.contains("GET /?password=***&page=1") && console.contains("Authorization: ***")
                && console.contains("X-Api-Key: ***") && console.contains("Accept: text/plain"), console);
        assertTrue(console.contains("error: Prometheus at http://prom:***@127.0.0.1:" + closed + " is unreachable"), console);
        assertTrue(console.contains("its user-info holds an '@'") && console.contains("passwordEnv is not an environment variable name"), console);
        assertTrue(console.contains("not a document: a YAML scalar"), "the .env file is refused, not quoted:\n" + console);
        assertTrue(prometheusAuth.size() > 1 && prometheusAuth.stream().allMatch(a -> a.startsWith("Basic ")),
                "the URL's user-info is sent as basic auth: " + prometheusAuth);
        assertTrue(Files.exists(out.resolve("reports/good/report.html")) && Files.exists(out.resolve("reports/preflight/report.json"))
                && Files.exists(out.resolve("reports/bad/junit.xml")));

        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !inputs.contains(f)).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                SECRETS.stream().filter(text::contains).forEach(s -> leaks.add(work.relativize(f) + " shows " + s));
            }
        }
        assertTrue(leaks.isEmpty(), leaks + "\n" + console);
        assertTrue(Files.isDirectory(out.resolve(".slogate/gatling/good")), "the Gatling work dir was searched too");
    }

    private Path scenario(String name, String url, String prometheusUrl, String duration, String requests, String probes,
                          String slos) throws IOException {
        Path s = work.resolve(name + ".yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: %s}
                spec:
                  target: {url: "%s", prometheus: "%s"}
                  load:
                    stages: [{hold: {rps: 10, duration: %s}}]
                %s%s  slos: %s
                """.formatted(name, url, prometheusUrl, duration, requests, probes, slos));
        return s;
    }

    /** The CLI as a child process with a password in its environment; its output is appended to {@code dir}/output.log. */
    private static int run(Path dir, String... args) throws Exception {
        Process p = EndToEndIT.cli(dir, Map.of("DB_PASSWORD", ENV_PASSWORD), args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "slogate " + String.join(" ", args) + " ended");
        return p.exitValue();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
