package dev.slogate.load;

import org.HdrHistogram.Histogram;

/**
 * The newest second as it stands, for readers that cannot wait for it to be final (progress, stop conditions): what it
 * saw so far, how many of its requests are still in flight, and the requests of any second that have been waiting for
 * an answer longer than {@code stallAfterMillis} (a stall as it happens) with the age each had at least reached.
 */
public record LiveSecond(ClientSecond sofar, long inFlight, long stalled, Histogram stalledAges, long stallAfterMillis) {

    public long epochSecond() {
        return sofar.epochSecond();
    }

    /** Requests with an outcome so far plus the stalled ones: what a real-time reader should count. */
    public long atStake() {
        return sofar.completed() + stalled;
    }

    /** Failed plus stalled requests over {@link #atStake()}; NaN when there is nothing to count. */
    public double errorRateCountingStalls() {
        long n = atStake();
        return n == 0 ? Double.NaN : (double) (sofar.failed() + stalled) / n;
    }

    /** Latencies of the answered requests plus the stalled ones at the age they reached (a lower bound of theirs). */
    public Histogram latencyCountingStalls() {
        Histogram h = LatencyHistograms.create();
        sofar.latency().forEach((key, v) -> {
            if (key.status().answered()) {
                h.add(v);
            }
        });
        h.add(stalledAges);
        return h;
    }
}
