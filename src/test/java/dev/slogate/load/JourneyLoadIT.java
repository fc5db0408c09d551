package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slogate.experiment.Feeder;
import dev.slogate.experiment.Journey;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journeys in Gatling embedded against a local server that keeps what it received: user text goes out as written
 * (a {@code #{...}} is not Gatling EL), an extracted value reaches the next step, a later step is measured from when it
 * was due, and a queue feeder that runs out ends its users without a request and says so.
 */
@Timeout(60)
class JourneyLoadIT {
    @TempDir
    Path work;

    private final Queue<String> received = new ConcurrentLinkedQueue<>();

    private HttpServer server() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        s.setExecutor(Executors.newFixedThreadPool(4));
        s.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("X-Tag") + " " + body);
            if (ex.getRequestURI().getPath().equals("/slow")) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = ("{\"id\": \"id-" + ex.getRequestURI().getQuery() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        s.start();
        return s;
    }

    private static Stage hold(double rps, Duration d) {
        return new Stage(Stage.Kind.HOLD, new Rate(rps), new Rate(rps), d);
    }

    private static List<Map<String, String>> rows(int n) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Map.of("n", Integer.toString(i)));
        }
        return out;
    }

    private ClientTimeline run(String baseUrl, Load load) {
        ClientTimeline timeline = ClientTimeline.forLoad(load);
        new LoadRunner().run(new LoadPlan(baseUrl, load, work, Duration.ZERO), timeline);
        timeline.close();
        return timeline;
    }

    private static long count(ClientTimeline t, String request, StatusClass status) {
        return t.seconds().stream().mapToLong(s -> {
            Histogram h = s.latency().get(new ClientSecond.SeriesKey(request, status));
            return h == null ? 0 : h.getTotalCount();
        }).sum();
    }

    @Test
    void userTextGoesOutAsWrittenAndExtractedValuesReachTheNextStep() throws IOException {
        HttpServer s = server();
        try {
            Journey.Step first = new Journey.Step("first", "POST", "/first?${n}", Map.of("X-Tag", "#{n}-${n}"),
                    "{\"n\": \"${n}\", \"el\": \"#{randomUuid()}\"}", 200, null,
                    List.of(new Journey.Extract("id", Journey.Extract.Source.JSON_PATH, "$.id")), Journey.Think.fixed(Duration.ofMillis(400)));
            Journey.Step second = new Journey.Step("second", "GET", "/slow?${id}", Map.of(), null, 200, null, List.of(), null);
            Feeder numbers = new Feeder("numbers", "n.csv", Feeder.Strategy.QUEUE, List.of("n"), rows(6));
            Load load = new Load(List.of(hold(2, Duration.ofSeconds(3))), List.of(), null, Duration.ofSeconds(5),
                    List.of(new Journey("j", 1, List.of(first, second))), List.of(numbers));
            ClientTimeline t = run("http://127.0.0.1:" + s.getAddress().getPort(), load);

            List<String> firsts = received.stream().filter(r -> r.startsWith("POST /first")).toList();
            assertEquals(6, firsts.size(), received.toString());
            for (int n = 0; n < 6; n++) {
                String expected = "POST /first?" + n + " #{n}-" + n + " {\"n\": \"" + n + "\", \"el\": \"#{randomUuid()}\"}";
                assertTrue(firsts.contains(expected), "expected " + expected + " in " + firsts);
                assertTrue(received.contains("GET /slow?id-" + n + " null "), "the id of row " + n + " came back: " + received);
            }
            assertEquals(6, count(t, "first", StatusClass.OK));
            assertEquals(6, count(t, "second", StatusClass.OK));
            JourneySummary j = t.journeys().summaries().get(0);
            assertEquals(6, j.completed(), j.toString());
            // 400 ms of think plus a 300 ms answer: with think over 700 ms, without it about the answers' 300 ms and more
            assertTrue(j.withThink().p50Ms() >= 700, j.toString());
            assertTrue(j.withoutThink().p50Ms() >= 300 && j.withoutThink().p50Ms() < j.withThink().p50Ms() - 350, j.toString());
            assertEquals(List.of(), t.journeys().shortages());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void aQueueFeederThatRunsOutEndsItsUsersWithoutARequestAndSaysSo() throws IOException {
        HttpServer s = server();
        try {
            Journey.Step only = new Journey.Step("only", "GET", "/q?${n}", Map.of(), null, 200, null, List.of(), null);
            Feeder few = new Feeder("few", "few.csv", Feeder.Strategy.QUEUE, List.of("n"), rows(3));
            Load load = new Load(List.of(hold(4, Duration.ofSeconds(2))), List.of(), null, Duration.ofSeconds(5),
                    List.of(new Journey("j", 1, List.of(only))), List.of(few));
            ClientTimeline t = run("http://127.0.0.1:" + s.getAddress().getPort(), load);

            assertEquals(3, received.size(), received + " " + t.journeys().summaries() + " ok=" + count(t, "only", StatusClass.OK)
                    + " seconds=" + t.seconds().stream().map(x -> x.epochSecond() % 100 + ":" + x.sent()).toList());
            assertEquals(3, count(t, "only", StatusClass.OK));
            JourneySummary j = t.journeys().summaries().get(0);
            assertEquals(8, j.users(), j.toString());
            assertEquals(5, j.noRow(), j.toString());
            assertEquals(1, t.journeys().shortages().size());
            assertTrue(t.journeys().shortages().get(0).startsWith("feeder 'few' ran out of rows"), t.journeys().shortages().toString());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void aFailedExtractionEndsTheUserUnderTheStepsNameWithItsOwnStatusClass() throws IOException {
        HttpServer s = server();
        try {
            Journey.Step first = new Journey.Step("first", "GET", "/x", Map.of(), null, 200, null,
                    List.of(new Journey.Extract("token", Journey.Extract.Source.JSON_PATH, "$.token")), null);
            Journey.Step next = new Journey.Step("next", "GET", "/next?${token}", Map.of(), null, 200, null, List.of(), null);
            Load load = new Load(List.of(hold(3, Duration.ofSeconds(2))), List.of(), null, Duration.ofSeconds(5),
                    List.of(new Journey("j", 1, List.of(first, next))), List.of());
            ClientTimeline t = run("http://127.0.0.1:" + s.getAddress().getPort(), load);

            assertEquals(6, count(t, "first", StatusClass.EXTRACT_ERROR));
            assertEquals(0, count(t, "first", StatusClass.OK));
            assertTrue(received.stream().noneMatch(r -> r.startsWith("GET /next")), received.toString());
            JourneySummary j = t.journeys().summaries().get(0);
            assertEquals(6, j.failed(), j.toString());
            assertEquals(0, j.completed(), j.toString());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void theRequestMixSendsItsHeadersAsWrittenToo() throws IOException {
        HttpServer s = server();
        try {
            Load load = new Load(List.of(hold(2, Duration.ofSeconds(1))), List.of(new RequestSpec("home", "GET",
                    "/mix", Map.of("X-Tag", "#{randomInt()}"), null, 200, 1)), null, Duration.ofSeconds(5));
            run("http://127.0.0.1:" + s.getAddress().getPort(), load);
            assertEquals(2, received.size(), received.toString());
            received.forEach(r -> assertEquals("GET /mix #{randomInt()} ", r));
        } finally {
            s.stop(0);
        }
    }
}
