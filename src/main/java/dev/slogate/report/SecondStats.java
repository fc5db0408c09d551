package dev.slogate.report;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The human-sized figures of one client second: counts per status class and latency percentiles in milliseconds.
 * Percentiles are null when nothing completed in the second, so charts show a gap instead of a fake zero.
 */
record SecondStats(long epochSecond, double targetRps, long sent, long completed, Map<StatusClass, Long> counts,
                   Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {

    static SecondStats of(ClientSecond s) {
        return of(s, LatencyHistograms.create());
    }

    /**
     * Figures of one second, merging its series into {@code scratch} (reset first): a full-range histogram is large,
     * so a long run reuses one instead of allocating one per second.
     */
    static SecondStats of(ClientSecond s, Histogram scratch) {
        Map<StatusClass, Long> counts = new EnumMap<>(StatusClass.class);
        for (StatusClass c : StatusClass.values()) {
            counts.put(c, s.count(c));
        }
        Histogram h = scratch;
        h.reset();
        s.latency().values().forEach(h::add);
        boolean empty = h.getTotalCount() == 0;
        return new SecondStats(s.epochSecond(), s.targetRps(), s.sent(), h.getTotalCount(), counts,
                empty ? null : ms(h.getValueAtPercentile(50)), empty ? null : ms(h.getValueAtPercentile(95)),
                empty ? null : ms(h.getValueAtPercentile(99)), empty ? null : ms(h.getMaxValue()));
    }

    long failed() {
        return completed - counts.getOrDefault(StatusClass.OK, 0L);
    }

    /** Share of completed requests that did not end OK, in percent; null when nothing completed. */
    Double errorPercent() {
        return completed == 0 ? null : 100.0 * failed() / completed;
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }
}
