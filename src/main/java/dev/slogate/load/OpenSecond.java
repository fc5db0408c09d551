package dev.slogate.load;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One open second of a {@link ClientTimeline}: its sent and completed counts and its latency histograms per request
 * and {@link StatusClass}, written lock-free by any number of threads until the timeline seals it. Every write runs in
 * a writer critical section of a {@link WriterReaderPhaser}; {@link #seal} sets {@code sealed} and flips the phase, so
 * when it returns every writer that might have missed {@code sealed} has left, and every later one sees it and writes
 * nothing (its caller counts the sample as late). No sample is lost or counted twice.
 */
final class OpenSecond {
    private static final StatusClass[] STATUSES = StatusClass.values();

    final long second;
    private final LongAdder sent = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final ConcurrentHashMap<String, AtomicReferenceArray<Histogram>> series = new ConcurrentHashMap<>();
    private volatile boolean sealed;

    OpenSecond(long second) {
        this.second = second;
    }

    /** Counts one request sent in this second; false (nothing counted) once it is sealed. */
    boolean countSent() {
        long phase = phaser.writerCriticalSectionEnter();
        try {
            if (sealed) {
                return false;
            }
            sent.increment();
            return true;
        } finally {
            phaser.writerCriticalSectionExit(phase);
        }
    }

    /** Files the outcome of a request sent in this second; false (nothing filed) once it is sealed. */
    boolean countOutcome(String request, StatusClass status, long latencyMicros) {
        long phase = phaser.writerCriticalSectionEnter();
        try {
            if (sealed) {
                return false;
            }
            histogram(request, status).recordValue(latencyMicros);
            completed.increment();
            return true;
        } finally {
            phaser.writerCriticalSectionExit(phase);
        }
    }

    long sent() {
        return sent.sum();
    }

    long completed() {
        return completed.sum();
    }

    /** Closes the second to writers; once this returns its counts and histograms no longer change. */
    void seal() {
        sealed = true;
        phaser.readerLock();
        try {
            phaser.flipPhase(); // every writer that entered before `sealed` was visible has left
        } finally {
            phaser.readerUnlock();
        }
    }

    private Histogram histogram(String request, StatusClass status) {
        AtomicReferenceArray<Histogram> byStatus = series.get(request);
        if (byStatus == null) {
            byStatus = series.computeIfAbsent(request, k -> new AtomicReferenceArray<>(STATUSES.length));
        }
        Histogram h = byStatus.get(status.ordinal());
        if (h == null) {
            byStatus.compareAndSet(status.ordinal(), null,
                    new AtomicHistogram(LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS));
            h = byStatus.get(status.ordinal());
        }
        return h;
    }

    /** The histograms in slogate's compact shape (a snapshot while writers may still be recording). */
    Map<ClientSecond.SeriesKey, Histogram> copy() {
        Map<ClientSecond.SeriesKey, Histogram> out = new HashMap<>();
        series.forEach((request, byStatus) -> {
            for (StatusClass status : STATUSES) {
                Histogram h = byStatus.get(status.ordinal());
                if (h != null && h.getTotalCount() > 0) {
                    Histogram c = LatencyHistograms.create();
                    c.add(h);
                    out.put(new ClientSecond.SeriesKey(request, status), c);
                }
            }
        });
        return out;
    }
}
