package dev.slogate.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A local HTTP target: 200 at once, 500 on /fail, 200 after 2 s on /slow. */
final class TestTarget implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();

    TestTarget(int threads) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/", ex -> answer(ex, 200));
        server.createContext("/fail", ex -> answer(ex, 500));
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200);
        });
        // /gated: 200 at once, except during a stall (stallAt): every request that comes in then is held until it ends
        server.createContext("/gated", ex -> {
            long now = System.nanoTime();
            long n = received.incrementAndGet();
            long stallEnd;
            synchronized (this) {
                if (n == stallAfter + 1) {
                    stallFrom = now;
                    stallUntil = now + stallNanos;
                }
                stallEnd = stallUntil;
                if (now >= stallFrom && now < stallUntil) {
                    receivedInStall++;
                }
            }
            long wait = stallEnd - now;
            if (wait > 0 && now >= stallFrom) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(ex, 200);
        });
        server.start();
    }

    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private long stallAfter = Long.MAX_VALUE;
    private long stallNanos;
    private long stallFrom = Long.MAX_VALUE;
    private long stallUntil = Long.MIN_VALUE;
    private long receivedInStall;

    /** After {@code requests} requests to /gated, the target stalls for {@code d}: nothing it receives is answered before. */
    synchronized void stallAfter(long requests, java.time.Duration d) {
        stallAfter = requests;
        stallNanos = d.toNanos();
    }

    /** Requests /gated received while it stalled. */
    synchronized long receivedInStall() {
        return receivedInStall;
    }

    private void answer(HttpExchange ex, int status) throws IOException {
        served.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        byte[] body = "ok".getBytes();
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    /** Requests answered so far. */
    long served() {
        return served.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
