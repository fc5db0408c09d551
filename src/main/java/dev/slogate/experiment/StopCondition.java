package dev.slogate.experiment;

import java.time.Duration;

/** Aborts the run (faults reverted, exit 3) when {@code metric op threshold} holds for {@code sustained}. */
public record StopCondition(Metric metric, Op op, double threshold, Duration sustained) {
    public enum Metric { ERROR_RATE, P99_LATENCY_SECONDS }
}
