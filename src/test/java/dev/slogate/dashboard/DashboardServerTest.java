package dev.slogate.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slogate.slo.SloStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's server with real HTTP clients reading its event stream while a (made-up) run goes on. */
class DashboardServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path reports;

    /** One SSE event as a client reads it. */
    record Sse(String type, JsonNode data) {
    }

    /** Reads events from an SSE body until the stream ends. */
    static List<Sse> read(BufferedReader in) throws Exception {
        List<Sse> out = new ArrayList<>();
        String type = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                out.add(new Sse(type, DashboardState.JSON.readTree(line.substring(6))));
            }
        }
        return out;
    }

    @Test
    void twoBrowsersGetTheStateThenEveryChangeAndOneThatLeavesCostsNothing() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<SloStatus>> slos = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        try (Dashboard d = Dashboard.start(InetAddress.getLoopbackAddress(), 0, reports, "r1", slos::get)) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(d.url()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("new EventSource('events')"), "the page reads the stream");

            d.started("r1", RunFixture.scenario(), RunFixture.START);
            d.live(RunFixture.live(0));

            // browser A: the JDK's HTTP client, reading the stream to its end
            HttpRequest events = HttpRequest.newBuilder(d.url().resolve("events")).build();
            // thenApplyAsync: the headers may already be in when the callback is attached, and a plain thenApply would
            // then read the whole stream on this thread, which must go on to drive the run that ends it
            CompletableFuture<List<Sse>> a = HTTP.sendAsync(events, HttpResponse.BodyHandlers.ofInputStream())
                    .thenApplyAsync(r -> {
                        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
                        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                            return read(in);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            // browser B: a raw socket that reads the first state, then goes away mid-run
            try (Socket b = new Socket(InetAddress.getLoopbackAddress(), d.url().getPort())) {
                OutputStream out = b.getOutputStream();
                out.write("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                    // headers, retry, event type
                }
                assertTrue(line != null && line.contains("\"scenario\":\"e2e-pod-kill\""), "B got the state first: " + line);
            }
            awaitWatchers(d, 2);

            d.event(RunFixture.injected());
            slos.set(List.of(new SloStatus("error-rate", "run", SloStatus.State.AT_RISK, "7.0 % (< 5 %)")));
            d.tick();
            for (int i = 1; i <= 2 * Subscriber.CAPACITY; i++) { // more than a stalled browser's queue holds: B must not matter
                d.live(RunFixture.live(i));
                d.second(RunFixture.second(i - 1, 0));
            }
            d.event(RunFixture.reverted());
            d.finished(RunFixture.report("r1"));

            List<Sse> got = a.get(60, TimeUnit.SECONDS); // the stream ended after the verdict
            assertEquals("state", got.get(0).type());
            assertEquals(1, got.get(0).data().get("points").size(), "the state so far: one second");
            assertEquals("end", got.get(got.size() - 1).type());
            assertEquals("PASSED", got.get(got.size() - 1).data().get("end").get("label").asText());
            assertEquals(4 * Subscriber.CAPACITY, got.stream().filter(e -> "second".equals(e.type())).count(),
                    "A missed no second although B left");
            assertEquals(List.of("FAULT_INJECTED", "FAULT_REVERTED"), got.stream().filter(e -> "event".equals(e.type()))
                    .map(e -> e.data().get("event").get("kind").asText()).toList());
            assertEquals(List.of("AT_RISK"), got.stream().filter(e -> "slos".equals(e.type()))
                    .map(e -> e.data().get("slos").get(0).get("state").asText()).toList(), "the SLO statuses reached the page");
            assertEquals(0, d.watchers(), "every stream ended with the run");

            // after the run: a new browser gets the final state and an ended stream; the snapshot is on disk and served
            HttpResponse<String> late = HTTP.send(events, HttpResponse.BodyHandlers.ofString());
            assertTrue(late.body().contains("\"label\":\"PASSED\""), late.body());
            Path snapshot = reports.resolve("r1").resolve(Dashboard.SNAPSHOT_FILE);
            assertEquals(snapshot.toRealPath(), d.snapshot().toRealPath());
            String html = Files.readString(snapshot);
            assertTrue(html.contains("\"label\":\"PASSED\"") && html.contains("\"runId\":\"r1\""), "the whole run inline");
            assertFalse(html.contains("/*DATA*/null"));
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(d.url().resolve(Dashboard.SNAPSHOT_FILE)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void anUnknownPathIsNotFoundAndTheReportIsOnlyThereAfterTheRun() throws Exception {
        try (Dashboard d = Dashboard.start(InetAddress.getLoopbackAddress(), 0, reports, null, List::of)) {
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(d.url().resolve("nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(d.url().resolve("report.html")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertTrue(d.url().toString().startsWith("http://127.0.0.1:"), d.url().toString());
        }
    }

    @Test
    void closingTheServerEndsItsStreamsAndFreesThePort() throws Exception {
        Dashboard d = Dashboard.start(InetAddress.getLoopbackAddress(), 0, reports, "r2", List::of);
        URI url = d.url();
        CompletableFuture<HttpResponse<String>> open = HTTP.sendAsync(HttpRequest.newBuilder(url.resolve("events")).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitWatchers(d, 1);
        d.close();
        assertTrue(open.get(30, TimeUnit.SECONDS).body().contains("event: state"));
        try (Dashboard again = Dashboard.start(InetAddress.getLoopbackAddress(), url.getPort(), reports, "r3", List::of)) {
            assertEquals(url.getPort(), again.url().getPort());
        }
    }

    private static void awaitWatchers(Dashboard d, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (d.watchers() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, d.watchers(), "browsers connected");
    }
}
