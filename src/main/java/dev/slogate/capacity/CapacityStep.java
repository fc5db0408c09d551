package dev.slogate.capacity;

import java.util.List;

/**
 * One rate tried by a capacity search, judged over its window after the settle period. Latencies in milliseconds
 * (null without answers), {@code errorPercent} of completed requests, {@code held} when every judged SLO passed,
 * {@code broken} the messages of the SLOs that failed, {@code saturated} when the injector could not send the rate.
 */
public record CapacityStep(int index, double targetRps, double achievedRps, Double p50Ms, Double p95Ms, Double p99Ms,
                           double errorPercent, boolean held, boolean saturated, List<String> broken) {
    public CapacityStep {
        broken = List.copyOf(broken);
    }
}
