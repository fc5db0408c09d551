package dev.slogate.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slogate.yaml.Durations;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sandbox's demo service: any path answers 200 "ok" after {@code --service-time} (or 500 for a fraction
 * {@code --error-ratio} of requests); below {@code /shop/} a login and a cart for journeys ({@link DemoShop}). At most {@code --concurrency} requests are served at once; the rest queue, so
 * an overloaded pod gets slow like a real one. {@code /health} and {@code /metrics} bypass the queue.
 */
public final class DemoService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final ExecutorService io;
    private final Duration serviceTime;
    private final double errorRatio;
    private final Histogram duration;
    private final Counter requests;
    private final Counter received;
    private final Gauge inFlight;
    private RecordsEndpoint records;

    private DemoService(int port, Duration serviceTime, double errorRatio, int concurrency, Path primaryFile)
            throws IOException {
        this.serviceTime = serviceTime;
        this.errorRatio = errorRatio;
        PrometheusRegistry registry = new PrometheusRegistry();
        duration = Histogram.builder().name("demo_request_duration_seconds")
                .help("Time from receiving a request to answering it, queueing included")
                .labelNames("status")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
                        1, 2.5, 5, 10)
                .register(registry);
        requests = Counter.builder().name("demo_requests_total").help("Requests answered")
                .labelNames("status").register(registry);
        // counted on arrival: an autoscaler reading answered requests would never see more than a saturated pod serves
        received = Counter.builder().name("demo_requests_received_total").help("Requests received (answered or not yet)")
                .register(registry);
        inFlight = Gauge.builder().name("demo_requests_in_flight")
                .help("Requests received and not yet answered, queued ones included").register(registry);
        workers = Executors.newFixedThreadPool(concurrency, daemon("worker"));
        io = Executors.newFixedThreadPool(2, daemon("io"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(io);
        server.createContext("/", this::enqueue);
        server.createContext("/health", ex -> respond(ex, 200, "ok"));
        server.createContext("/metrics", new MetricsHandler(registry));
        if (primaryFile != null) {
            // before the server starts: until then "/" would answer a POST /records with 200, a write never stored
            records = new RecordsEndpoint(primaryFile, status -> requests.labelValues(Integer.toString(status)).inc());
            server.createContext("/records", ex -> {
                received.inc();
                records.handle(ex);
            });
        }
        server.start();
    }

    public static DemoService start(int port, Duration serviceTime, double errorRatio, int concurrency) {
        return start(port, serviceTime, errorRatio, concurrency, null);
    }

    /** With {@code primaryFile} (non-null) it also serves {@code /records} from the database whose primary's address it holds. */
    static DemoService start(int port, Duration serviceTime, double errorRatio, int concurrency, Path primaryFile) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
        }
        if (errorRatio < 0 || errorRatio > 1) {
            throw new IllegalArgumentException("--error-ratio must be between 0 and 1, was " + errorRatio);
        }
        try {
            return new DemoService(port, serviceTime, errorRatio, concurrency, primaryFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Hands the request to the bounded worker pool; the exchange is answered from there, the IO thread goes on. */
    private void enqueue(HttpExchange ex) {
        long at = System.nanoTime();
        received.inc();
        inFlight.inc();
        workers.execute(() -> serve(ex, at));
    }

    private void serve(HttpExchange ex, long receivedNanos) {
        int status = 200;
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = DemoShop.serves(ex.getRequestURI().getPath()) ? in.readNBytes(4096) : null;
            in.transferTo(OutputStream.nullOutputStream());
            Thread.sleep(serviceTime.toMillis(), serviceTime.toNanosPart() % 1_000_000);
            status = ThreadLocalRandom.current().nextDouble() < errorRatio ? 500 : 200;
            if (status == 200 && body != null) {
                DemoShop.Answer a = DemoShop.answer(ex, body);
                status = a.status();
                respond(ex, status, a.body(), "application/json");
            } else {
                respond(ex, status, status == 200 ? "ok" : "injected error");
            }
        } catch (IOException e) {
            status = 499; // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.dec();
            String s = Integer.toString(status);
            duration.labelValues(s).observe((System.nanoTime() - receivedNanos) / 1e9);
            requests.labelValues(s).inc();
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        respond(ex, status, body, "text/plain");
    }

    private static void respond(HttpExchange ex, int status, String body, String type) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        io.shutdownNow();
        if (records != null) {
            records.close();
        }
    }

    /**
     * {@code --port P --name N --service-time 5ms --error-ratio 0 --concurrency 64 [--watch-pid PID] [--sandbox DIR]
     * [--db-primary-file FILE]}: with a primary file it serves {@code /records} ({@link RecordsEndpoint});
     * with {@code --watch-pid} it exits when that process (its sandbox daemon) is gone; {@code --sandbox} only labels it.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String primaryFile = opts.getOrDefault("db-primary-file", "");
        DemoService s = start(Integer.parseInt(opts.getOrDefault("port", "8080")),
                Durations.parse(opts.getOrDefault("service-time", "5ms")),
                Double.parseDouble(opts.getOrDefault("error-ratio", "0")),
                Integer.parseInt(opts.getOrDefault("concurrency", "64")),
                primaryFile.isEmpty() ? null : Path.of(primaryFile));
        System.out.println("demo service " + opts.getOrDefault("name", "demo") + " listening on 127.0.0.1:" + s.port());
        String watch = opts.get("watch-pid");
        if (watch == null) {
            Thread.currentThread().join();
        }
        // A pod must not outlive its sandbox daemon, even when the daemon was killed with SIGKILL.
        long parent = Long.parseLong(watch);
        while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(1000);
        }
        s.close();
        System.exit(0);
    }
}
