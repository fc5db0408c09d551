package dev.slogate.load;

import dev.slogate.experiment.Load;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Per-second record of what the injector did, every request filed under the second it was <em>meant to be sent</em>
 * (its intended send time): sent, and latency histograms per request and {@link StatusClass}.
 *
 * <p>A second is <em>final</em> once every request sent in it has an outcome, or once the request timeout plus a grace
 * has passed since it ended (requests still without an outcome then count as timeouts). Final seconds go out in order
 * through {@link #onSecond} and {@link #seconds()}: judging reads only those, so a stall shows as timeouts in the
 * seconds it happened rather than as fewer requests. Real-time readers (progress, stop conditions) get a
 * {@link LiveSecond} at each second boundary instead: what the newest second saw so far, plus the requests that have
 * been waiting for an answer for too long (a stall, as it happens).
 *
 * <p>The hot path ({@link #recordSent(long)}, {@link #record(String, StatusClass, long, long)}) takes no lock: each open
 * second ({@link OpenSecond}) has its own atomic histograms behind a writer/reader phaser, so finalising a second never
 * loses a sample recorded concurrently. A daemon ticker finalises seconds every {@value #TICK_MILLIS} ms.
 *
 * <p>Over 350 lines on purpose: the ring of open seconds, the cursor of the oldest one not yet final and the order in
 * which final seconds reach the listeners share one lock and one invariant (a second is final once, in order, and
 * only then leaves the ring); split, that invariant would be spread over classes that lock each other.
 */
public final class ClientTimeline implements AutoCloseable {
    static final long TICK_MILLIS = 100;
    /** A second is not judged complete before this much of the next one has passed (a sender descheduled mid-count). */
    private static final long SETTLE_MILLIS = 200;
    /** After the request timeout, how long a second still waits for outcomes before its stragglers count as timeouts. */
    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The request name of requests that had no outcome when their second was made final (counted as timeouts). */
    public static final String UNANSWERED = "(unanswered)";

    private final LongToDoubleFunction targetRpsAtEpochSecond;
    private final Load load; // when set (forLoad), the target follows its stages from the marked start
    private final long finalAfterMillis;
    private final long stallAfterMillis;
    // one clock for send and outcome: the epoch second of a nanoTime stamp is computed the same way both times
    private final long anchorNanos = System.nanoTime();
    private final long anchorEpochNanos = System.currentTimeMillis() * 1_000_000L;
    private final AtomicReferenceArray<OpenSecond> ring;
    private final LongAdder late = new LongAdder();
    private final List<ClientSecond> closed = new ArrayList<>();
    private final ArrayDeque<ClientSecond> toEmit = new ArrayDeque<>();
    private final List<Consumer<ClientSecond>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<LiveSecond>> liveListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private final JourneyLog journeys = new JourneyLog();
    private volatile ClientSecond latest;
    private volatile boolean started;
    private volatile long startMillis = -1;
    /** Requests are only known once they end (a user's own simulation): no second is final before its deadline. */
    private volatile boolean completionsOnly;
    /** The oldest second not yet final. */
    private long nextFinal;
    private long lastLive;
    private long forcedTimeouts;
    private boolean isClosed;

    /** @param targetRpsAtEpochSecond the rate the injector should be sending in a given second (for the record only) */
    public ClientTimeline(LongToDoubleFunction targetRpsAtEpochSecond) {
        this(Objects.requireNonNull(targetRpsAtEpochSecond), null, DEFAULT_REQUEST_TIMEOUT, true);
    }

    private ClientTimeline(LongToDoubleFunction targetRpsAtEpochSecond, Load load, Duration requestTimeout, boolean ticking) {
        this.targetRpsAtEpochSecond = targetRpsAtEpochSecond;
        this.load = load;
        this.finalAfterMillis = finalAfter(requestTimeout).toMillis();
        this.stallAfterMillis = stallAfter(requestTimeout).toMillis();
        long span = finalAfterMillis / 1000 + 4;
        this.ring = new AtomicReferenceArray<>(Integer.highestOneBit((int) Math.min(1 << 14, span * 2)) << 1);
        this.nextFinal = System.currentTimeMillis() / 1000;
        this.lastLive = nextFinal - 1;
        this.ticker = !ticking ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-timeline");
            t.setDaemon(true);
            return t;
        });
        if (ticking) {
            ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** A timeline whose target follows the load's stages, counted from {@link #markStart} (0 before it). */
    public static ClientTimeline forLoad(Load load) {
        return new ClientTimeline(null, Objects.requireNonNull(load), timeoutOf(load), true);
    }

    /**
     * A timeline fed whole final seconds from elsewhere ({@link #add}), e.g. the merged seconds of a fleet of injector
     * processes: no ticker, no recording; listeners see each added second as they would a final one.
     */
    public static ClientTimeline fed(Load load) {
        return new ClientTimeline(null, Objects.requireNonNull(load), timeoutOf(load), false);
    }

    /** How long after its end a second of this load can still change: the request timeout plus a grace. */
    public static Duration finalAfter(Load load) {
        return finalAfter(timeoutOf(load));
    }

    private static Duration finalAfter(Duration requestTimeout) {
        return requestTimeout.plus(GRACE);
    }

    /** Half the request timeout, at least 1 s: a request unanswered for this long is stalled (at risk) to live readers. */
    static Duration stallAfter(Duration requestTimeout) {
        Duration second = Duration.ofSeconds(1);
        if (requestTimeout.compareTo(second) <= 0) {
            return requestTimeout;
        }
        Duration half = requestTimeout.dividedBy(2);
        return half.compareTo(second) < 0 ? second : half;
    }

    private static Duration timeoutOf(Load load) {
        return load.requestTimeout() != null ? load.requestTimeout() : DEFAULT_REQUEST_TIMEOUT;
    }

    /** The journeys' whole users (arrivals, ends, durations): this process's, or a fleet's merged; empty for single requests. */
    public JourneyLog journeys() {
        return journeys;
    }

    /** Whether this timeline is fed whole seconds ({@link #fed}) instead of recording samples. */
    public boolean isFed() {
        return ticker == null;
    }

    /** Appends one whole final second to a {@link #fed} timeline (oldest first) and tells the listeners. */
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
        notifyFinal(second);
        // a fed timeline knows no requests in flight: its live view is the final second
        notifyLive(new LiveSecond(second, 0, 0, LatencyHistograms.create(), stallAfterMillis));
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

    /** The epoch second of a {@link System#nanoTime()} stamp, on this timeline's clock. */
    public long epochSecondOf(long nanoTime) {
        return Math.floorDiv(anchorEpochNanos + (nanoTime - anchorNanos), 1_000_000_000L);
    }

    /** One request was sent at {@code sentNanos} ({@link System#nanoTime()}, its intended send time). */
    public void recordSent(long sentNanos) {
        OpenSecond b = bucket(epochSecondOf(sentNanos));
        if (b == null) {
            late.increment();
            return;
        }
        if (!b.countSent()) {
            late.increment();
        }
        if (!started) { // a volatile read is cheap; a volatile write on every request is a fence
            started = true;
        }
    }

    /**
     * From now on (true) requests reach this timeline only once they have ended ({@link #recordCompleted}), as from
     * Gatling's stats engine: nothing says a second still has requests in flight, so every second waits for its
     * deadline (request timeout plus grace) before it is final. Set it back to false once no request is in flight
     * (the load ended): seconds then turn final as soon as they are complete.
     */
    public void completionsOnly(boolean on) {
        completionsOnly = on;
    }

    /**
     * A request that ran from {@code startEpochMillis} to {@code endEpochMillis} (Gatling's clock: wall-clock milliseconds),
     * filed under the second it started in: counted as sent and given its outcome at once.
     */
    public void recordCompleted(String request, StatusClass status, long startEpochMillis, long endEpochMillis) {
        long sentNanos = anchorNanos + (startEpochMillis * 1_000_000L - anchorEpochNanos);
        recordSent(sentNanos);
        record(request, status, sentNanos, Math.max(0, endEpochMillis - startEpochMillis) * 1000);
    }

    /** One request was sent now. Prefer {@link #recordSent(long)} with the stamp its outcome will carry. */
    public void recordSent() {
        recordSent(System.nanoTime());
    }

    /**
     * The outcome of the request sent at {@code sentNanos} (the stamp given to {@link #recordSent(long)}), after
     * {@code latencyMicros} measured from that send time; it is filed under the second it was sent in.
     */
    public void record(String request, StatusClass status, long sentNanos, long latencyMicros) {
        OpenSecond b = bucket(epochSecondOf(sentNanos));
        if (b == null) {
            late.increment();
            return;
        }
        if (!b.countOutcome(request, status, clamp(latencyMicros))) {
            late.increment();
        }
        started = true;
    }

    /** One request ended now after {@code latencyMicros}: filed under the second it was sent ({@code now - latency}). */
    public void record(String request, StatusClass status, long latencyMicros) {
        record(request, status, System.nanoTime() - latencyMicros * 1000, latencyMicros);
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, LatencyHistograms.HIGHEST_MICROS));
    }

    /** Outcomes (or sends) that arrived after their second had been made final; they are not in any second. */
    public long lateRecords() {
        return late.sum();
    }

    /** Requests that had no outcome when their second was made final, counted as timeouts. */
    public synchronized long forcedTimeouts() {
        return forcedTimeouts;
    }

    /** Called, in order, with each second once it is final; keep it quick. */
    public void onSecond(Consumer<ClientSecond> listener) {
        listeners.add(listener);
    }

    /** Called at each second boundary with what the second just ended saw so far, stalls included; keep it quick. */
    public void onLive(Consumer<LiveSecond> listener) {
        liveListeners.add(listener);
    }

    /** Final seconds, oldest first. */
    public synchronized List<ClientSecond> seconds() {
        return List.copyOf(closed);
    }

    /** The newest final second. */
    public Optional<ClientSecond> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * Waits until every second up to {@code epochSecond} is final, at most the request timeout plus a grace and a
     * second; returns whether it is.
     */
    public boolean awaitFinal(long epochSecond) {
        long deadline = System.currentTimeMillis() + finalAfterMillis + 1_000;
        while (latest().map(s -> s.epochSecond() < epochSecond).orElse(true)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the ticker and makes every second up to now final; requests still without an outcome (the load was cut
     * short) count as timeouts at the age they had. Idempotent.
     */
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
            finalizeDue(System.currentTimeMillis(), true);
        }
        drain();
    }

    private void tick() {
        try {
            long now = System.currentTimeMillis();
            LiveSecond live = null;
            synchronized (this) {
                if (isClosed) {
                    return;
                }
                finalizeDue(now, false);
                long newest = now / 1000 - 1;
                if (newest > lastLive) {
                    lastLive = newest;
                    live = started && newest >= startSecondFloor() ? live(newest, now) : null;
                }
            }
            drain();
            if (live != null) {
                notifyLive(live);
            }
        } catch (RuntimeException e) {
            // the clock must keep going whatever a bug does to one tick
            System.err.println("slogate: timeline tick failed: " + e);
        }
    }

    /** Makes final, in order, every second that is complete or past its deadline (all up to now when closing). */
    private void finalizeDue(long now, boolean closing) {
        long floor = startSecondFloor();
        while (true) {
            long s = nextFinal;
            if (closing ? s > now / 1000 : now < (s + 1) * 1000 + SETTLE_MILLIS) {
                return;
            }
            int i = slot(s);
            OpenSecond b = ring.get(i);
            if (b != null && b.second != s) {
                b = null;
            }
            boolean mayBeInFlight = completionsOnly || b != null && b.completed() < b.sent();
            if (!closing && mayBeInFlight && now < (s + 1) * 1000 + finalAfterMillis) {
                return; // requests of s are (or may be) still in flight: s and everything after it wait
            }
            ClientSecond second = b == null ? null : harvest(b, now);
            if (b != null) {
                ring.compareAndSet(i, b, null);
            }
            if (started && s >= floor) {
                ClientSecond out = second != null ? second : new ClientSecond(s, targetAt(s), 0, Map.of());
                closed.add(out);
                latest = out;
                toEmit.add(out);
            }
            nextFinal = s + 1;
        }
    }

    /** Seals an open second to writers and turns it into a final second; missing outcomes become timeouts. */
    private ClientSecond harvest(OpenSecond b, long now) {
        b.seal();
        Map<ClientSecond.SeriesKey, Histogram> latency = b.copy();
        long sent = b.sent();
        long missing = sent - b.completed();
        if (missing > 0) {
            forcedTimeouts += missing;
            // no answer: at least as old as the time from the second's middle until now
            long ageMicros = clamp((now - b.second * 1000 - 500) * 1000);
            ClientSecond.SeriesKey key = new ClientSecond.SeriesKey(UNANSWERED, StatusClass.TIMEOUT);
            latency.computeIfAbsent(key, k -> LatencyHistograms.create()).recordValueWithCount(ageMicros, missing);
        }
        return new ClientSecond(b.second, targetAt(b.second), sent, latency);
    }

    /** What second {@code s} saw so far, and every request sent at least the stall threshold ago still unanswered. */
    private LiveSecond live(long s, long now) {
        OpenSecond b = ring.get(slot(s));
        ClientSecond provisional = b != null && b.second == s
                ? new ClientSecond(s, targetAt(s), b.sent(), b.copy())
                : new ClientSecond(s, targetAt(s), 0, Map.of());
        long inFlight = b != null && b.second == s ? Math.max(0, b.sent() - b.completed()) : 0;
        long stalled = 0;
        Histogram ages = LatencyHistograms.create();
        for (long o = nextFinal; o <= s; o++) {
            OpenSecond open = ring.get(slot(o));
            if (open == null || open.second != o) {
                continue;
            }
            long waiting = open.sent() - open.completed();
            long youngestAge = now - (o + 1) * 1000; // every request of o was sent at least this long ago
            if (waiting > 0 && youngestAge >= stallAfterMillis) {
                stalled += waiting;
                ages.recordValueWithCount(clamp(youngestAge * 1000), waiting);
            }
        }
        return new LiveSecond(provisional, inFlight, stalled, ages, stallAfterMillis);
    }

    private void drain() {
        while (true) {
            ClientSecond s;
            synchronized (this) {
                s = toEmit.poll();
            }
            if (s == null) {
                return;
            }
            notifyFinal(s);
        }
    }

    private void notifyFinal(ClientSecond s) {
        tell(listeners, s);
    }

    private void notifyLive(LiveSecond s) {
        tell(liveListeners, s);
    }

    private static <T> void tell(List<Consumer<T>> to, T value) {
        for (Consumer<T> l : to) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the clock
                System.err.println("slogate: timeline listener failed: " + e);
            }
        }
    }

    private int slot(long second) {
        return (int) Math.floorMod(second, (long) ring.length());
    }

    /** The open bucket of second {@code s}, created on first use; null when {@code s} is already final. */
    private OpenSecond bucket(long s) {
        OpenSecond b = ring.get(slot(s));
        if (b != null && b.second == s) {
            return b;
        }
        synchronized (this) {
            int i = slot(s);
            b = ring.get(i);
            if (b != null && b.second == s) {
                return b;
            }
            if (s < nextFinal || isClosed) {
                return null;
            }
            if (b != null) {
                // the ticker fell a whole ring behind: make the older seconds final now rather than overwrite one
                finalizeDue(Math.max(System.currentTimeMillis(), (b.second + 1) * 1000 + finalAfterMillis), false);
                if (s < nextFinal) {
                    return null;
                }
            }
            b = new OpenSecond(s);
            ring.set(i, b);
            return b;
        }
    }

    private long startSecondFloor() {
        long s = startMillis;
        return s < 0 ? Long.MIN_VALUE : s / 1000;
    }
}
