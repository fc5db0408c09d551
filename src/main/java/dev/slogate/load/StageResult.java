package dev.slogate.load;

/**
 * What one stage achieved: mean requests sent per second over the stage's whole seconds, skipping its first second
 * (the injector settles there). {@code kind} is "ramp", "hold" or "step"; for a ramp both rates are means.
 * {@code achievedRps} is NaN when the stage had no whole second to measure (too short, or the run stopped before it).
 */
public record StageResult(int index, String kind, double targetRps, double achievedRps) {
}
