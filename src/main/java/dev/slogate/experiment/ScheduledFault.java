package dev.slogate.experiment;

import java.time.Duration;

/** A fault placed on the run's timeline: injected {@code at} after the start, reverted {@code at + duration}. */
public record ScheduledFault(String name, Duration at, FaultSpec fault) {
    public Duration end() {
        return at.plus(fault.duration());
    }
}
