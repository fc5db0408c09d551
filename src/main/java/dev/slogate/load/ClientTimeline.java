package dev.slogate.load;

import dev.slogate.experiment.Load;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per-second record of what the injector did: requests sent and latency histograms per request and {@link StatusClass}.
 *
 * <p>The hot path ({@link #record}, {@link #recordSent}) takes no lock: each series has its own wait-free HdrHistogram
 * {@link Recorder}, and a daemon ticker swaps them at every wall-clock second boundary, producing one immutable
 * {@link ClientSecond}. A sample belongs to the second in which it was recorded (the request's completion).
 * Seconds are only emitted once the timeline has started ({@link #markStart} or the first sample) and not before the
 * marked start, so the injector's boot and warm-up do not show up as seconds of the run.
 */
public final class ClientTimeline implements AutoCloseable {
    private static final StatusClass[] STATUSES = StatusClass.values();

    private final LongToDoubleFunction targetRpsAtEpochSecond;
    private final Load load; // when set (forLoad), the target follows its stages from the marked start
    private final ConcurrentHashMap<String, Recorder[]> series = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final List<ClientSecond> closed = new ArrayList<>();
    private final List<Consumer<ClientSecond>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile ClientSecond latest;
    private volatile boolean started;
    private volatile long startMillis = -1;
    private long nextSecond;
    private boolean isClosed;

    /** @param targetRpsAtEpochSecond the rate the injector should be sending in a given second (for the record only) */
    public ClientTimeline(LongToDoubleFunction targetRpsAtEpochSecond) {
        this(java.util.Objects.requireNonNull(targetRpsAtEpochSecond), null);
    }

    private ClientTimeline(LongToDoubleFunction targetRpsAtEpochSecond, Load load) {
        this(targetRpsAtEpochSecond, load, true);
    }

    private ClientTimeline(LongToDoubleFunction targetRpsAtEpochSecond, Load load, boolean ticking) {
        this.targetRpsAtEpochSecond = targetRpsAtEpochSecond;
        this.load = load;
        this.nextSecond = System.currentTimeMillis() / 1000;
        this.ticker = !ticking ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-timeline");
            t.setDaemon(true);
            return t;
        });
        if (ticking) {
            scheduleTick();
        }
    }

    /**
     * A timeline fed whole seconds from elsewhere ({@link #add}), e.g. the merged seconds of a fleet of injector
     * processes: no ticker, no recorders; listeners see each added second as they would a closed one.
     */
    public static ClientTimeline fed(Load load) {
        return new ClientTimeline(null, java.util.Objects.requireNonNull(load), false);
    }

    /** Whether this timeline is fed whole seconds ({@link #fed}) instead of recording samples. */
    public boolean isFed() {
        return ticker == null;
    }

    /** Appends one whole second to a {@link #fed} timeline (oldest first) and tells the listeners. */
    public void add(ClientSecond second) {
        if (!isFed()) {
            throw new IllegalStateException("only a fed timeline (ClientTimeline.fed) takes whole seconds");
        }
        synchronized (this) {
            if (isClosed) {
                return;
            }
            closed.add(second);
            latest = second;
            started = true;
        }
        for (Consumer<ClientSecond> l : listeners) {
            try {
                l.accept(second);
            } catch (RuntimeException e) {
                System.err.println("slogate: timeline listener failed: " + e);
            }
        }
    }

    /** A timeline whose target follows the load's stages, counted from {@link #markStart} (0 before it). */
    public static ClientTimeline forLoad(Load load) {
        return new ClientTimeline(null, load);
    }

    private double targetAt(long epochSecond) {
        if (load == null) {
            return targetRpsAtEpochSecond.applyAsDouble(epochSecond);
        }
        long start = startMillis;
        // the middle of the second, so a stage boundary inside a second reads as the rate for most of it
        long offsetMs = epochSecond * 1000 + 500 - start;
        return start < 0 || offsetMs < 0 ? 0 : load.targetRpsAt(Duration.ofMillis(offsetMs));
    }

    /** The moment the load started; seconds before it are not recorded. The first call wins. */
    public void markStart(Instant start) {
        synchronized (this) {
            if (startMillis < 0) {
                startMillis = start.toEpochMilli();
            }
        }
        started = true;
    }

    /** When the load started ({@link #markStart}), if it was marked. */
    public Optional<Instant> start() {
        long s = startMillis;
        return s < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(s));
    }

    /** One request completed (or failed) after {@code latencyMicros}, measured from its intended send time. */
    public void record(String request, StatusClass status, long latencyMicros) {
        Recorder[] byStatus = series.get(request);
        if (byStatus == null) {
            byStatus = series.computeIfAbsent(request, k -> new Recorder[STATUSES.length]);
        }
        Recorder r = byStatus[status.ordinal()];
        if (r == null) {
            synchronized (byStatus) {
                r = byStatus[status.ordinal()];
                if (r == null) {
                    r = new Recorder(LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS);
                    byStatus[status.ordinal()] = r;
                }
            }
        }
        r.recordValue(Math.max(0, Math.min(latencyMicros, LatencyHistograms.HIGHEST_MICROS)));
        started = true;
    }

    /** One request was sent (counted in the second it was sent). */
    public void recordSent() {
        sent.increment();
        if (!started) { // a volatile read is cheap; a volatile write on every request is a fence
            started = true;
        }
    }

    /** Called on the timeline's own thread each time a second closes; keep it quick. */
    public void onSecond(Consumer<ClientSecond> listener) {
        listeners.add(listener);
    }

    /** Closed seconds, oldest first. */
    public synchronized List<ClientSecond> seconds() {
        return List.copyOf(closed);
    }

    public Optional<ClientSecond> latest() {
        return Optional.ofNullable(latest);
    }

    /** Stops the ticker and closes the current, partial second. Idempotent. */
    @Override
    public void close() {
        if (ticker == null) {
            synchronized (this) {
                isClosed = true;
            }
            return;
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (isClosed) {
                return;
            }
            isClosed = true;
        }
        closeSecond(System.currentTimeMillis() / 1000);
    }

    private void scheduleTick() {
        long now = System.currentTimeMillis();
        long delay = (now / 1000 + 1) * 1000 - now;
        try {
            ticker.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // close() is under way; it closes the last second itself
        }
    }

    private void tick() {
        long second = System.currentTimeMillis() / 1000 - 1;
        synchronized (this) {
            if (isClosed) {
                return;
            }
        }
        closeSecond(second);
        scheduleTick();
    }

    /** Swaps every recorder and emits the seconds up to {@code second}: gaps (a late ticker) become empty seconds. */
    private void closeSecond(long second) {
        Map<ClientSecond.SeriesKey, Histogram> latency = new HashMap<>();
        series.forEach((request, byStatus) -> {
            for (StatusClass status : STATUSES) {
                Recorder r = byStatus[status.ordinal()];
                if (r == null) {
                    continue;
                }
                Histogram interval = r.getIntervalHistogram();
                if (interval.getTotalCount() > 0) {
                    Histogram copy = LatencyHistograms.create();
                    copy.add(interval);
                    latency.put(new ClientSecond.SeriesKey(request, status), copy);
                }
            }
        });
        long sentNow = sent.sumThenReset();
        List<ClientSecond> emitted = new ArrayList<>();
        synchronized (this) {
            if ((!started && latency.isEmpty() && sentNow == 0) || second < startSecondFloor()) {
                nextSecond = second + 1;
                return;
            }
            long first = Math.max(nextSecond, startSecondFloor());
            for (long s = first; s < second; s++) {
                emitted.add(new ClientSecond(s, targetAt(s), 0, Map.of()));
            }
            emitted.add(new ClientSecond(second, targetAt(second), sentNow, latency));
            closed.addAll(emitted);
            nextSecond = second + 1;
            latest = emitted.get(emitted.size() - 1);
        }
        for (ClientSecond s : emitted) {
            for (Consumer<ClientSecond> l : listeners) {
                try {
                    l.accept(s);
                } catch (RuntimeException e) {
                    // a listener's bug must not stop the clock
                    System.err.println("slogate: timeline listener failed: " + e);
                }
            }
        }
    }

    private long startSecondFloor() {
        long s = startMillis;
        return s < 0 ? Long.MIN_VALUE : s / 1000;
    }
}
