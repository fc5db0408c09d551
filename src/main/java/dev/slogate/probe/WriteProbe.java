package dev.slogate.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.ProbeSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A write-integrity probe: from {@link #start} it sends one write every {@code 1/rate} seconds with the next sequence
 * number, and remembers which were acknowledged (a 2xx answer) and when. After each fault's recovery
 * ({@link #faultReverted}) it reads the records back once; {@link #finish} stops writing, waits for the writes in
 * flight, reads back a last time and does the {@link Rpo} arithmetic.
 * <p>Sequence numbers start at the start's epoch second x 10^6, so records of earlier runs in the same store never
 * match. Every read-back reads from the run's first sequence number ({@code ${from}}); one that fails is retried until
 * {@link #READ_BACK_PATIENCE} has passed (the store may still be failing over).
 */
public final class WriteProbe {
    static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeSpec spec;
    private final String baseUrl;
    private final HttpClient http;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(2, daemon("probe-http"));
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(daemon("probe-writer"));
    private final ExecutorService reader = Executors.newSingleThreadExecutor(daemon("probe-reader"));
    private final ConcurrentLinkedQueue<Write> done = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong next = new AtomicLong();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private long firstSeq;
    private long startMillis;

    /** A read-back after a fault's recovery: the sequence numbers present when it started, or why it failed. */
    record Checkpoint(String fault, long injectedMillis, long revertedMillis, long readMillis, Set<Long> present,
                              List<Long> stored, String problem) {
    }

    public WriteProbe(ProbeSpec spec, String baseUrl) {
        this.spec = spec;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(spec.timeout()).executor(httpThreads)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public String name() {
        return spec.name();
    }

    public synchronized void start() {
        startMillis = System.currentTimeMillis();
        firstSeq = (startMillis / 1000) * 1_000_000 + 1;
        next.set(firstSeq);
        long period = Math.max(1, Math.round(1e9 / spec.ratePerSecond()));
        writer.scheduleAtFixedRate(this::writeOne, 0, period, TimeUnit.NANOSECONDS);
    }

    private void writeOne() {
        long seq = next.getAndIncrement();
        long sent = System.currentTimeMillis();
        String body = fill(spec.writeBody(), seq, sent);
        HttpRequest.BodyPublisher publisher = spec.writeMethod().equals("GET") || spec.writeMethod().equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + fill(spec.writePath(), seq, sent)))
                .timeout(spec.timeout()).header("Content-Type", "application/json")
                .method(spec.writeMethod(), publisher).build();
        inFlight.incrementAndGet();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
            long at = System.currentTimeMillis();
            int status = res == null ? 0 : res.statusCode();
            done.add(new Write(seq, sent, status >= 200 && status < 300 ? at : null, status));
            inFlight.decrementAndGet();
        });
    }

    private String fill(String template, long seq, long ts) {
        return template.replace("${seq}", Long.toString(seq)).replace("${ts}", Long.toString(ts))
                .replace("${from}", Long.toString(firstSeq));
    }

    /** Schedules the read-back that judges this fault; returns at once. */
    public void faultReverted(String fault, long injectedMillis, long revertedMillis) {
        reader.execute(() -> {
            ReadBack rb = readBack();
            synchronized (this) {
                checkpoints.add(new Checkpoint(fault, injectedMillis, revertedMillis, rb.atMillis,
                        rb.stored == null ? Set.of() : new HashSet<>(rb.stored), rb.stored, rb.problem));
            }
        });
    }

    /** Stops writing, waits for the writes in flight and pending read-backs, reads back a last time and judges. */
    public ProbeResult finish() {
        writer.shutdownNow();
        long deadline = System.nanoTime() + spec.timeout().plusSeconds(1).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        reader.shutdown();
        try {
            reader.awaitTermination(READ_BACK_PATIENCE.toSeconds() * 4, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long end = System.currentTimeMillis();
        ReadBack last = readBack();
        httpThreads.shutdownNow(); // the client's own selector thread ends with the client once unreachable
        List<Write> writes = List.copyOf(done);
        synchronized (this) {
            return judge(spec, startMillis, end, writes, checkpoints, last.stored, last.problem);
        }
    }

    /** The bookkeeping, apart from I/O: each checkpoint judges the writes since the previous one. */
    static ProbeResult judge(ProbeSpec spec, long startMillis, long endMillis, List<Write> writes, List<Checkpoint> checkpoints,
                             List<Long> finalStored, String finalProblem) {
        List<ProbeResult.FaultLoss> faults = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long from = startMillis;
        for (Checkpoint c : checkpoints) {
            if (c.problem() != null) {
                faults.add(new ProbeResult.FaultLoss(c.fault(), c.injectedMillis(), c.revertedMillis(), c.readMillis(), null, c.problem()));
                problems.add("read-back after " + c.fault() + ": " + c.problem());
                continue; // its writes are judged with the next read-back that worked
            }
            Rpo.Loss loss = Rpo.loss(c.injectedMillis(), from, Rpo.window(writes, from, c.readMillis()), c.present());
            faults.add(new ProbeResult.FaultLoss(c.fault(), c.injectedMillis(), c.revertedMillis(), c.readMillis(), loss, null));
            from = c.readMillis();
        }
        int acked = (int) writes.stream().filter(Write::acknowledged).count();
        int lost = 0;
        Rpo.Integrity integrity = null;
        if (finalStored != null) {
            Set<Long> present = new HashSet<>(finalStored);
            lost = (int) writes.stream().filter(w -> w.acknowledged() && !present.contains(w.seq())).count();
            integrity = Rpo.integrity(finalStored);
        } else {
            problems.add("final read-back: " + finalProblem);
        }
        return new ProbeResult(spec.name(), startMillis, endMillis, spec.ratePerSecond(), writes.size(), acked,
                writes.size() - acked, lost, integrity, faults, problems);
    }

    /** The stored sequence numbers as of {@code atMillis} (when the attempt that answered started), or why none answered. */
    private record ReadBack(List<Long> stored, String problem, long atMillis) {
    }

    private ReadBack readBack() {
        long deadline = System.nanoTime() + READ_BACK_PATIENCE.toNanos();
        String problem = "no attempt";
        URI uri = URI.create(baseUrl + fill(spec.readPath(), firstSeq, System.currentTimeMillis()));
        while (true) {
            long at = System.currentTimeMillis();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(spec.timeout().multipliedBy(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    return new ReadBack(parse(r.body()), null, at);
                }
                problem = "GET " + uri + " answered " + r.statusCode();
            } catch (IOException | IllegalArgumentException e) {
                problem = "GET " + uri + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ReadBack(null, "interrupted", at);
            }
            if (System.nanoTime() > deadline) {
                return new ReadBack(null, problem + " (for " + READ_BACK_PATIENCE.toSeconds() + " s)", at);
            }
            sleep(250);
        }
    }

    /** The stored sequence numbers in storage order: a JSON array of numbers or of objects with "seq", or {"records": [...]}. */
    static List<Long> parse(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode items = root != null && root.isObject() ? root.path("records") : root;
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("the read-back is not a JSON array of records (nor {\"records\": [...]})");
        }
        List<Long> out = new ArrayList<>(items.size());
        for (JsonNode n : items) {
            JsonNode seq = n.isObject() ? n.path("seq") : n;
            if (!seq.canConvertToLong()) {
                throw new IllegalArgumentException("a read-back record has no numeric seq: " + n);
            }
            out.add(seq.asLong());
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
