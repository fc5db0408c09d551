package dev.slogate.slo;

import dev.slogate.experiment.SloDef.Rto;
import java.util.NavigableMap;

/**
 * Finds when the service is back after a fault, from the client's per-second tallies.
 * Each second from the one holding the injection on is judged over a sliding window of the last
 * {@code evaluationWindow} seconds (never reaching back before that second, so healthy traffic from before the fault
 * cannot vouch for it): healthy when requests completed, the error rate is at most {@code maxErrorRate} and the
 * latency percentile is below {@code maxLatencySeconds} (skipped when that is not a positive number). The service has
 * recovered at the first second from which every second is healthy for {@code stableFor} seconds.
 */
final class RecoveryScan {
    private RecoveryScan() {
    }

    /**
     * @param recoveredMillis null when no stable stretch began before {@code untilMillis}
     * @param healthyAtEnd    seconds of the healthy stretch the observation ended in (when not recovered)
     * @param observed        whether any request completed at or after the injection
     */
    record Outcome(Long recoveredMillis, double observedSeconds, int healthyAtEnd, int stableSeconds, boolean observed) {
    }

    static Outcome scan(Rto rto, long injectedMillis, long untilMillis, NavigableMap<Long, ClientTally> perSecond) {
        long first = Math.floorDiv(injectedMillis, 1000);
        long last = Math.floorDiv(untilMillis - 1, 1000);
        int window = (int) Math.max(1, Math.round(rto.evaluationWindowSeconds()));
        int stable = (int) Math.max(1, Math.ceil(rto.stableForSeconds()));
        double observedSeconds = Math.max(0, (untilMillis - injectedMillis) / 1000.0);
        boolean observed = perSecond.subMap(first, true, last, true).values().stream().anyMatch(t -> t.completed() > 0);
        int run = 0;
        for (long s = first; s <= last; s++) {
            run = healthy(rto, perSecond.subMap(Math.max(first, s - window + 1), true, s, true).values()) ? run + 1 : 0;
            if (run == stable) {
                long startSecond = s - stable + 1;
                return new Outcome(Math.max(injectedMillis, startSecond * 1000), observedSeconds, run, stable, true);
            }
        }
        return new Outcome(null, observedSeconds, run, stable, observed);
    }

    static boolean healthy(Rto rto, Iterable<ClientTally> seconds) {
        ClientTally t = ClientTally.sum(seconds);
        if (t.completed() == 0 || !(t.errorRate() <= rto.maxErrorRate())) {
            return false;
        }
        if (!(rto.maxLatencySeconds() > 0) || Double.isInfinite(rto.maxLatencySeconds())) {
            return true;
        }
        double p = t.latencySeconds(rto.latencyPercentile());
        return p < rto.maxLatencySeconds();
    }
}
