package dev.slogate.slo;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Builds client seconds for tests: so many requests of each outcome at a given latency. */
final class Traffic {
    static final long T0 = 1_700_000_000L; // epoch second of the run's start

    private final long second;
    private final Map<SeriesKey, Histogram> series = new HashMap<>();

    private Traffic(long second) {
        this.second = second;
    }

    /** The traffic of second {@code offset} of the run. */
    static Traffic at(long offset) {
        return new Traffic(T0 + offset);
    }

    Traffic add(StatusClass status, int count, double latencyMillis) {
        series.computeIfAbsent(new SeriesKey("home", status), k -> LatencyHistograms.create())
                .recordValueWithCount(Math.round(latencyMillis * 1000), count);
        return this;
    }

    Traffic ok(int count, double latencyMillis) {
        return add(StatusClass.OK, count, latencyMillis);
    }

    ClientSecond build() {
        long n = series.values().stream().mapToLong(Histogram::getTotalCount).sum();
        return new ClientSecond(second, n, n, series);
    }

    /** Seconds {@code from} until {@code to} (exclusive), each with {@code ok} requests at {@code millis} and {@code failed} connect errors. */
    static List<ClientSecond> steady(long from, long to, int ok, double millis, int failed) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = from; s < to; s++) {
            Traffic t = at(s).ok(ok, millis);
            if (failed > 0) {
                t.add(StatusClass.CONNECT_ERROR, failed, 1000);
            }
            out.add(t.build());
        }
        return out;
    }

    static long ms(double secondsIntoRun) {
        return T0 * 1000 + Math.round(secondsIntoRun * 1000);
    }
}
