package dev.slogate.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The journeys of a run as whole users: arrivals, ends and the duration of every completed journey, and the feeders
 * that ran out. Its requests are in the {@link ClientTimeline}'s seconds like any other; this keeps what only a whole
 * user shows. Written by Gatling's threads without locks.
 */
public final class JourneyLog {
    private final Map<String, Tally> journeys = new ConcurrentHashMap<>();
    private final Set<String> shortages = new ConcurrentSkipListSet<>();

    private static final class Tally {
        final LongAdder users = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder noRow = new LongAdder();
        final Histogram withThink = new ConcurrentHistogram(LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS);
        final Histogram withoutThink = new ConcurrentHistogram(LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS);
    }

    private Tally tally(String journey) {
        return journeys.computeIfAbsent(journey, k -> new Tally());
    }

    /** Names a journey before any user walks it, so that a journey nobody completed is still reported. */
    public void declare(String journey) {
        tally(journey);
    }

    void arrived(String journey) {
        tally(journey).users.increment();
    }

    void completed(String journey, long withThinkMicros, long withoutThinkMicros) {
        Tally t = tally(journey);
        t.completed.increment();
        t.withThink.recordValue(clamp(withThinkMicros));
        t.withoutThink.recordValue(clamp(withoutThinkMicros));
    }

    void failed(String journey) {
        tally(journey).failed.increment();
    }

    /** A user of {@code journey} found no row left in {@code feeder} and ended without a request. */
    void noRow(String journey, String feeder, int rows) {
        tally(journey).noRow.increment();
        shortages.add("feeder '" + feeder + "' ran out of rows (it hands out each of its " + rows + " rows once): users of journey '"
                + journey + "' arrived without data and sent nothing");
    }

    /** One journey's whole users as counts and histograms (microseconds), exact to merge: what a fleet's injector ships. */
    public record Part(String journey, long users, long completed, long failed, long noRow, Histogram withThink,
                       Histogram withoutThink) {
    }

    /** Each journey's figures so far, as parts to merge elsewhere. */
    public List<Part> parts() {
        List<Part> out = new ArrayList<>();
        journeys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Tally t = e.getValue();
            out.add(new Part(e.getKey(), t.users.sum(), t.completed.sum(), t.failed.sum(), t.noRow.sum(), t.withThink.copy(),
                    t.withoutThink.copy()));
        });
        return out;
    }

    /** Adds another process's figures of a journey (histograms add exactly). */
    public void add(Part p) {
        Tally t = tally(p.journey());
        t.users.add(p.users());
        t.completed.add(p.completed());
        t.failed.add(p.failed());
        t.noRow.add(p.noRow());
        t.withThink.add(p.withThink());
        t.withoutThink.add(p.withoutThink());
    }

    /** Why the load was not what the scenario asked for (a feeder ran out); empty when it was. */
    public List<String> shortages() {
        return List.copyOf(shortages);
    }

    /** Each journey's figures so far, by name. */
    public List<JourneySummary> summaries() {
        List<JourneySummary> out = new ArrayList<>();
        journeys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Tally t = e.getValue();
            out.add(new JourneySummary(e.getKey(), t.users.sum(), t.completed.sum(), t.failed.sum(), t.noRow.sum(),
                    durations(t.withThink), durations(t.withoutThink)));
        });
        return out;
    }

    private static JourneySummary.Durations durations(Histogram h) {
        Histogram c = h.copy();
        if (c.getTotalCount() == 0) {
            return JourneySummary.Durations.NONE;
        }
        return new JourneySummary.Durations(c.getMean() / 1000, ms(c.getValueAtPercentile(50)), ms(c.getValueAtPercentile(95)),
                ms(c.getValueAtPercentile(99)), ms(c.getMaxValue()));
    }

    private static Double ms(long micros) {
        return micros / 1000.0;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, LatencyHistograms.HIGHEST_MICROS));
    }
}
