package dev.slogate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slogate.experiment.ProbeSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WriteProbeTest {
    private static final ProbeSpec SPEC = new ProbeSpec("writes", "POST", "/records", "{\"seq\": ${seq}, \"ts\": ${ts}}",
            "/records?from=${from}", 100, Duration.ofSeconds(1));

    /** Writes 1..n, one every 10 ms from t=0, acknowledged 2 ms later. */
    private static List<Write> writes(int n) {
        List<Write> w = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            w.add(new Write(i, 10L * (i - 1), 10L * (i - 1) + 2, 201));
        }
        return w;
    }

    private static Set<Long> range(long a, long b) {
        return LongStream.rangeClosed(a, b).boxed().collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void eachFaultJudgesTheWritesSinceThePreviousReadBack() {
        // fault one at t=300 loses writes 28..30; read back at t=500. Fault two at t=800 loses nothing; read back at t=1000.
        Set<Long> first = range(1, 50);
        first.removeAll(range(28, 30));
        Set<Long> second = new HashSet<>(first);
        second.addAll(range(51, 100));
        List<WriteProbe.Checkpoint> cps = List.of(
                new WriteProbe.Checkpoint("one", 300, 400, 500, first, List.copyOf(first), null),
                new WriteProbe.Checkpoint("two", 800, 900, 1000, second, List.copyOf(second), null));
        List<Long> stored = new ArrayList<>(second);
        stored.sort(null);
        ProbeResult r = WriteProbe.judge(SPEC, 0, 1200, writes(110), cps, stored, null);
        Rpo.Loss one = r.fault("one").orElseThrow().loss();
        assertEquals(3, one.lost());
        assertEquals(50, one.acknowledged());
        assertEquals(300 - (260 + 2), one.rpoMillis()); // write 27 survived, acknowledged at 262
        Rpo.Loss two = r.fault("two").orElseThrow().loss();
        assertEquals(0, two.lost());
        assertEquals(50, two.acknowledged()); // 51..100: acknowledged in [500, 1000)
        assertEquals(3 + 10, r.lost()); // at the end 101..110 are missing too
        assertEquals(110, r.acknowledged());
        assertEquals(0, r.refused());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void aFailedReadBackLeavesItsWritesToTheNextOne() {
        Set<Long> later = range(1, 100);
        later.remove(20L);
        List<WriteProbe.Checkpoint> cps = List.of(
                new WriteProbe.Checkpoint("one", 150, 300, 500, Set.of(), null, "GET answered 503"),
                new WriteProbe.Checkpoint("two", 700, 800, 1000, later, List.copyOf(later), null));
        ProbeResult r = WriteProbe.judge(SPEC, 0, 1000, writes(100), cps, List.copyOf(later), null);
        assertNull(r.fault("one").orElseThrow().loss());
        assertEquals("GET answered 503", r.fault("one").orElseThrow().problem());
        Rpo.Loss two = r.fault("two").orElseThrow().loss();
        assertEquals(1, two.lost());
        assertEquals(100, two.acknowledged());
        assertEquals(1, r.problems().size());
    }

    @Test
    void readBackFormats() throws IOException {
        assertEquals(List.of(3L, 1L, 2L), WriteProbe.parse("[{\"seq\":3,\"ts\":1},{\"seq\":1},{\"seq\":2}]"));
        assertEquals(List.of(5L, 6L), WriteProbe.parse("[5, 6]"));
        assertEquals(List.of(7L), WriteProbe.parse("{\"records\": [{\"seq\": 7}]}"));
        assertThrows(IllegalArgumentException.class, () -> WriteProbe.parse("{\"rows\": []}"));
        assertThrows(IllegalArgumentException.class, () -> WriteProbe.parse("[{\"id\": 1}]"));
    }

    /**
     * Against a real HTTP store that, while "lossy", acknowledges writes without keeping them: the probe counts exactly
     * those as lost, and the store's duplicates and refusals where they belong.
     */
    @Test
    void againstAStoreThatDropsAcknowledgedWrites() throws Exception {
        List<Long> stored = new ArrayList<>();
        Set<Long> dropped = new HashSet<>();
        boolean[] lossy = {false};
        int[] refused = {0};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        Pattern seq = Pattern.compile("\"seq\": (\\d+)");
        server.createContext("/records", ex -> {
            synchronized (stored) {
                if (ex.getRequestMethod().equals("POST")) {
                    Matcher m = seq.matcher(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    long s = m.find() ? Long.parseLong(m.group(1)) : -1;
                    if (stored.size() % 40 == 39 && refused[0] < 2) {
                        refused[0]++;
                        respond(ex, 503, "{}");
                        return;
                    }
                    if (lossy[0]) {
                        dropped.add(s);
                    } else {
                        stored.add(s);
                        if (stored.size() == 10) {
                            stored.add(s); // one duplicate
                        }
                    }
                    respond(ex, 201, "{}");
                } else {
                    assertTrue(ex.getRequestURI().getQuery().startsWith("from="), ex.getRequestURI().toString());
                    respond(ex, 200, stored.stream().map(x -> "{\"seq\":" + x + "}").collect(Collectors.joining(",", "[", "]")));
                }
            }
        });
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.start();
        try {
            // a generous timeout: on a loaded machine a 1 s timeout turns slow answers into refusals
            ProbeSpec spec = new ProbeSpec(SPEC.name(), SPEC.writeMethod(), SPEC.writePath(), SPEC.writeBody(), SPEC.readPath(),
                    SPEC.ratePerSecond(), Duration.ofSeconds(10));
            WriteProbe probe = new WriteProbe(spec, "http://127.0.0.1:" + server.getAddress().getPort());
            probe.start();
            for (int i = 0; i < 300 && size(stored) < 50; i++) { // warm: connections open, writes flowing
                Thread.sleep(10);
            }
            long injected = System.currentTimeMillis();
            synchronized (stored) {
                lossy[0] = true;
            }
            Thread.sleep(300);
            synchronized (stored) {
                lossy[0] = false;
            }
            probe.faultReverted("outage", injected, System.currentTimeMillis());
            Thread.sleep(400);
            ProbeResult r = probe.finish();
            Rpo.Loss loss = r.fault("outage").orElseThrow().loss();
            assertNotNull(loss);
            assertEquals(dropped.size(), r.lost());
            // on a loaded machine some dropped writes may be acknowledged only after the read-back began: the next window's
            assertTrue(loss.lost() > 0 && loss.lost() <= dropped.size(), loss + " of " + dropped.size());
            // a stall of this loaded machine right before the injection makes the true RPO longer; 1 s is plenty
            assertTrue(loss.rpoMillis() < 1000, "the newest survivor was acknowledged just before the injection: " + loss + " injected " + injected);
            assertEquals(2, r.refused());
            assertEquals(1, r.integrity().duplicates());
            assertTrue(Math.abs(r.sent() - 100.0 * (r.endMillis() - r.startMillis()) / 1000) <= 20, "at 100/s: " + r.sent());
            assertEquals(r.sent(), r.acknowledged() + r.refused());
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    private static int size(List<Long> stored) {
        synchronized (stored) {
            return stored.size();
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
