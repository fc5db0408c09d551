package dev.slogate.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the injector saw in one second of the run: requests sent, and latency histograms (microseconds, measured from
 * the intended send time) keyed by {@link SeriesKey}. Histograms add exactly, so seconds and injectors merge without loss.
 */
public record ClientSecond(long epochSecond, double targetRps, long sent, Map<SeriesKey, Histogram> latency) {
    public ClientSecond {
        latency = Map.copyOf(latency);
    }

    /** Request name and how it ended. */
    public record SeriesKey(String request, StatusClass status) {
    }

    public long count(StatusClass status) {
        return latency.entrySet().stream().filter(e -> e.getKey().status() == status)
                .mapToLong(e -> e.getValue().getTotalCount()).sum();
    }

    /** Requests that completed in this second, whatever the outcome. */
    public long completed() {
        return latency.values().stream().mapToLong(Histogram::getTotalCount).sum();
    }

    public long failed() {
        return completed() - count(StatusClass.OK);
    }

    /** All latencies of this second in one histogram (a copy). */
    public Histogram merged() {
        Histogram h = LatencyHistograms.create();
        latency.values().forEach(h::add);
        return h;
    }
}
