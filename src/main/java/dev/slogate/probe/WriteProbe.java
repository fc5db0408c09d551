package dev.slogate.probe;

import dev.slogate.experiment.ProbeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import static dev.slogate.timeline.Sleep.sleep;

/**
 * A write-integrity probe: from {@link #start} it sends one write every {@code 1/rate} seconds with the next sequence
 * number through its {@link WritePath} (HTTP or JDBC), and remembers which were acknowledged and when. After each fault's recovery
 * ({@link #faultReverted}) it reads the records back once; {@link #finish} stops writing, waits for the writes in
 * flight, reads back a last time and does the {@link Rpo} arithmetic.
 * <p>Sequence numbers start at the epoch second x 10^6 of {@link #open} (or of the start), so records of earlier runs in the same store never
 * match. Every read-back reads from the run's first sequence number ({@code ${from}}); one that fails is retried until
 * {@link #READ_BACK_PATIENCE} has passed (the store may still be failing over).
 */
public final class WriteProbe {
    static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(30);

    private final ProbeSpec spec;
    private final WritePath path;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(daemon("probe-writer"));
    private final ExecutorService reader = Executors.newSingleThreadExecutor(daemon("probe-reader"));
    private final ConcurrentLinkedQueue<Write> done = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong next = new AtomicLong();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean opened;
    private long firstSeq;
    private long startMillis;

    /** A read-back after a fault's recovery: the sequence numbers present when it started, or why it failed. */
    record Checkpoint(String fault, long injectedMillis, long revertedMillis, long readMillis, Set<Long> present,
                              List<Long> stored, String problem) {
    }

    /** An HTTP probe against {@code baseUrl}. */
    public WriteProbe(ProbeSpec spec, String baseUrl) {
        this(spec, new HttpWritePath(spec, baseUrl));
    }

    WriteProbe(ProbeSpec spec, WritePath path) {
        this.spec = spec;
        this.path = path;
    }

    /**
     * A JDBC probe writing to {@code url} (the spec's own, or the sandbox's, see {@link #sandboxJdbcUrl}), tagging its
     * rows with {@code runId}; the password is read from the environment variable the spec names.
     */
    public static WriteProbe jdbc(ProbeSpec spec, String url, String runId) {
        return new WriteProbe(spec, new JdbcWritePath(spec, url, runId, System::getenv));
    }

    /** The sandbox's PostgreSQL servers ({@code host:port} each) as one URL that follows the primary across a failover. */
    public static String sandboxJdbcUrl(List<String> hostPorts) {
        return JdbcWritePath.sandboxUrl(hostPorts);
    }

    public String name() {
        return spec.name();
    }

    /**
     * Checks that the write path can be used (for JDBC: logs in and creates the table) before the run starts; throws
     * with a message that says what to fix. Optional: {@link #start} opens it when this was not called.
     */
    public synchronized void open() throws Exception {
        if (!opened) {
            firstSeq = (System.currentTimeMillis() / 1000) * 1_000_000 + 1;
            path.open(firstSeq);
            opened = true;
        }
    }

    public synchronized void start() {
        startMillis = System.currentTimeMillis();
        if (!opened) {
            try {
                open();
            } catch (Exception e) {
                problems.add("could not open the write path: " + e.getMessage());
                opened = true; // writes will be refused and say so in the result
            }
        }
        next.set(firstSeq);
        long period = Math.max(1, Math.round(1e9 / spec.ratePerSecond()));
        writer.scheduleAtFixedRate(this::writeOne, 0, period, TimeUnit.NANOSECONDS);
    }

    private void writeOne() {
        long seq = next.getAndIncrement();
        long sent = System.currentTimeMillis();
        inFlight.incrementAndGet();
        path.write(seq, sent).whenComplete((status, err) -> {
            long at = System.currentTimeMillis();
            int code = status == null ? 0 : status;
            done.add(new Write(seq, sent, code >= 200 && code < 300 ? at : null, code));
            inFlight.decrementAndGet();
        });
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
        path.close();
        List<Write> writes = List.copyOf(done);
        synchronized (this) {
            ProbeResult r = judge(spec, startMillis, end, writes, checkpoints, last.stored, last.problem);
            if (problems.isEmpty()) {
                return r;
            }
            List<String> all = new ArrayList<>(problems);
            all.addAll(r.problems());
            return new ProbeResult(r.probe(), r.startMillis(), r.endMillis(), r.ratePerSecond(), r.sent(), r.acknowledged(),
                    r.refused(), r.lost(), r.integrity(), r.faults(), all);
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
        String problem;
        while (true) {
            long at = System.currentTimeMillis();
            try {
                return new ReadBack(path.readBack(firstSeq), null, at);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ReadBack(null, "interrupted", at);
            } catch (Exception e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                return new ReadBack(null, problem + " (for " + READ_BACK_PATIENCE.toSeconds() + " s)", at);
            }
            sleep(250);
        }
    }

    /** The stored sequence numbers of an HTTP read-back; see {@link HttpWritePath#parse}. */
    static List<Long> parse(String body) throws IOException {
        return HttpWritePath.parse(body);
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
