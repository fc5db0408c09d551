package dev.slogate.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slogate.experiment.Scenario;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LiveSecond;
import dev.slogate.report.HtmlReport;
import dev.slogate.report.Reports;
import dev.slogate.report.RunReport;
import dev.slogate.run.RunListener;
import dev.slogate.slo.SloStatus;
import dev.slogate.timeline.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The live dashboard of one run: a page served from the jar (no CDN) and a Server-Sent Events stream at
 * {@code /events}, on the JDK's own HTTP server. It listens to the run ({@link RunListener}); every change becomes one
 * message that each browser's bounded queue takes ({@link Subscriber}); the browsers' own HTTP threads write them, so a
 * slow or vanished browser never blocks the run. A new browser gets the whole state first, then the changes. When the
 * run ends, the page gets the verdict, the streams end cleanly (the page closes its EventSource: no reconnecting), and
 * {@code dashboard.html}, the same page with the whole run inlined, is written into the run's report folder.
 */
public final class Dashboard implements RunListener, AutoCloseable {
    /** The port of {@code --dashboard} without a value. */
    public static final int DEFAULT_PORT = 5665;
    public static final String SNAPSHOT_FILE = "dashboard.html";
    /** Browsers at once; more get 503 (each holds a thread while it watches). */
    static final int MAX_SUBSCRIBERS = 32;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService ticker;
    private final DashboardState state;
    private final Object lock = new Object(); // orders each message with the snapshot a new browser gets
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Supplier<List<SloStatus>> slos;
    private final Path reportsDir;
    private volatile Path reportDir;

    private Dashboard(HttpServer server, Path reportsDir, String runIdHint, Supplier<List<SloStatus>> slos) {
        this.server = server;
        this.reportsDir = reportsDir;
        this.state = new DashboardState(runIdHint);
        this.slos = slos;
        this.handlers = Executors.newCachedThreadPool(daemon("slogate-dashboard-"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("slogate-dashboard-slos-"));
        server.setExecutor(handlers);
        server.createContext("/", this::page);
        server.createContext("/events", this::events);
        server.createContext("/" + HtmlReport.FILE_NAME, x -> reportFile(x, HtmlReport.FILE_NAME));
        server.createContext("/" + SNAPSHOT_FILE, x -> reportFile(x, SNAPSHOT_FILE));
    }

    /**
     * Starts serving on {@code bind:port} (0: any free port). {@code slos} is asked once a second for the SLOs' running
     * statuses; {@code runIdHint} names the run until it starts (may be null).
     *
     * @throws IOException if the address cannot be bound (the port is taken, the address is not this machine's)
     */
    public static Dashboard start(InetAddress bind, int port, Path reportsDir, String runIdHint,
                                  Supplier<List<SloStatus>> slos) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        Dashboard d = new Dashboard(server, reportsDir, runIdHint, slos);
        server.start();
        d.ticker.scheduleWithFixedDelay(d::tick, 0, 1, TimeUnit.SECONDS);
        return d;
    }


    /** Where a browser opens it, e.g. {@code http://127.0.0.1:5665/}. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The browsers watching now. */
    public int watchers() {
        return (int) subscribers.stream().filter(s -> !s.closed()).count();
    }

    /** The snapshot file written at the end of the run, or null before (or if it could not be written). */
    public Path snapshot() {
        Path dir = reportDir;
        return dir == null || !Files.exists(dir.resolve(SNAPSHOT_FILE)) ? null : dir.resolve(SNAPSHOT_FILE);
    }

    // --- the run's side: quick, never blocking, never throwing ---

    @Override
    public void started(String runId, Scenario scenario, long startMillis) {
        publish(() -> state.started(runId, scenario, startMillis));
    }

    @Override
    public void live(LiveSecond second) {
        publish(() -> state.live(second));
    }

    @Override
    public void second(ClientSecond second) {
        publish(() -> state.second(second));
    }

    @Override
    public void event(Event event) {
        publish(() -> state.event(event));
    }

    @Override
    public void finished(RunReport report) {
        tick(); // the statuses as the judging left them, before the verdict ends the stream
        try {
            Path dir = Reports.directory(reportsDir, report.runId());
            reportDir = dir;
            String html = Files.exists(dir.resolve(HtmlReport.FILE_NAME)) ? dir.resolve(HtmlReport.FILE_NAME).toString() : null;
            String snapshot = dir.resolve(SNAPSHOT_FILE).toString();
            DashboardState.Message end = state.finished(report, html, snapshot);
            try {
                Files.createDirectories(dir);
                Reports.writeAtomically(dir.resolve(SNAPSHOT_FILE), DashboardPage.snapshot(state.snapshot().json()));
            } catch (IOException | RuntimeException e) {
                end = state.finished(report, html, null);
            }
            DashboardState.Message last = end;
            publish(() -> last);
        } catch (IOException | RuntimeException e) {
            publish(() -> state.finished(report, null, null));
        }
        subscribers.forEach(Subscriber::close); // each stream ends after the verdict
        ticker.shutdownNow();
    }

    private void publish(Supplier<DashboardState.Message> change) {
        try {
            synchronized (lock) {
                DashboardState.Message m = change.get();
                if (m == null) {
                    return;
                }
                String frame = m.frame();
                for (Subscriber s : subscribers) {
                    if (!s.offer(frame)) {
                        subscribers.remove(s);
                    }
                }
            }
        } catch (RuntimeException e) {
            // a watcher must not end the run; the page misses one update and catches up with the next snapshot
        }
    }

    /** Asks for the SLO statuses and tells the browsers if they changed (every second, and from tests). */
    void tick() {
        try {
            List<SloStatus> now = slos.get();
            publish(() -> state.slos(now));
        } catch (RuntimeException e) {
            // the statuses' source failed this second; the page keeps the last ones
        }
    }

    // --- the browsers' side, on the server's threads ---

    private void page(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestURI().getPath().equals("/")) {
                send(x, 404, "text/plain", "not found; the dashboard is at /");
                return;
            }
            send(x, 200, "text/html", DashboardPage.live());
        }
    }

    private void events(HttpExchange x) throws IOException {
        try (x) {
            Subscriber s = new Subscriber();
            boolean full;
            synchronized (lock) { // no socket work in here: the run's threads take this lock
                full = watchers() >= MAX_SUBSCRIBERS;
                if (!full) {
                    admit(s);
                }
            }
            if (full) {
                send(x, 503, "text/plain", "too many browsers on this dashboard (" + MAX_SUBSCRIBERS + ")");
                return;
            }
            x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                s.drain(out);
            } catch (IOException e) {
                // the browser closed the connection first
            } finally {
                s.close();
                subscribers.remove(s);
            }
        }
    }

    /** A new browser: the whole state first, then (unless the run is over) every change; called holding the lock. */
    private void admit(Subscriber s) {
        s.offer("retry: 3000\n\n");
        s.offer(state.snapshot().frame());
        if (state.ended()) {
            s.close(); // the run is over: the state, then the end of the stream
        } else {
            subscribers.add(s);
        }
    }

    /** report.html and dashboard.html of the run, once it has ended (the page links to them). */
    private void reportFile(HttpExchange x, String name) throws IOException {
        try (x) {
            Path dir = reportDir;
            Path file = dir == null ? null : dir.resolve(name);
            if (file == null || !Files.exists(file)) {
                send(x, 404, "text/plain", name + " is written when the run ends");
                return;
            }
            send(x, 200, "text/html", Files.readString(file, StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops serving: each open stream first gets what is queued for it (the verdict), for at most two seconds, so a
     * browser keeps the final state; then the server and its threads stop.
     */
    @Override
    public void close() {
        ticker.shutdownNow();
        subscribers.forEach(Subscriber::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (subscribers.stream().anyMatch(s -> s.queued() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        handlers.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
