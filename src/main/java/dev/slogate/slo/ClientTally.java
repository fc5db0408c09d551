package dev.slogate.slo;

import dev.slogate.experiment.Traffic;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import org.HdrHistogram.Histogram;

/**
 * Client-side requests of some seconds added up exactly. Latency covers the requests that got an HTTP answer
 * (OK and HTTP_ERROR); connection errors and timeouts count as failed requests but not as latencies, since their
 * "latency" is the connect or request timeout, not the service's speed.
 */
public record ClientTally(long completed, long ok, Histogram latency) {

    public static ClientTally of(Iterable<ClientSecond> seconds) {
        long completed = 0;
        long ok = 0;
        Histogram latency = LatencyHistograms.create();
        for (ClientSecond s : seconds) {
            completed += s.completed();
            ok += s.count(StatusClass.OK);
            s.latency().forEach((key, h) -> {
                if (key.status().answered()) {
                    latency.add(h);
                }
            });
        }
        return new ClientTally(completed, ok, latency);
    }

    /**
     * The requests of some seconds whose name {@code traffic} selects. Requests that never got an outcome are filed
     * under {@code ClientTimeline.UNANSWERED}, not their name, so a selection does not count them.
     */
    public static ClientTally of(Iterable<ClientSecond> seconds, Traffic traffic) {
        long completed = 0;
        long ok = 0;
        Histogram latency = LatencyHistograms.create();
        for (ClientSecond s : seconds) {
            for (var e : s.latency().entrySet()) {
                if (!traffic.matches(e.getKey().request())) {
                    continue;
                }
                long n = e.getValue().getTotalCount();
                completed += n;
                ok += e.getKey().status() == StatusClass.OK ? n : 0;
                if (e.getKey().status().answered()) {
                    latency.add(e.getValue());
                }
            }
        }
        return new ClientTally(completed, ok, latency);
    }

    /** Several tallies added up exactly. */
    public static ClientTally sum(Iterable<ClientTally> tallies) {
        long completed = 0;
        long ok = 0;
        Histogram latency = LatencyHistograms.create();
        for (ClientTally t : tallies) {
            completed += t.completed;
            ok += t.ok;
            latency.add(t.latency);
        }
        return new ClientTally(completed, ok, latency);
    }

    public long failed() {
        return completed - ok;
    }

    /** Failed over completed requests; NaN when none completed. */
    public double errorRate() {
        return completed == 0 ? Double.NaN : (double) failed() / completed;
    }

    /** The latency percentile (0-100) in seconds; NaN when no request got an answer. */
    public double latencySeconds(double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
    }
}
