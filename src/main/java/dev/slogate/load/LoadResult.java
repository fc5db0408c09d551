package dev.slogate.load;

import java.util.List;

/**
 * How the load went. {@code saturated} means a constant stage fell below 95 % of its target rate: the injector, not
 * the system under test, was the bottleneck, so the run cannot be judged. {@code message} says what happened.
 */
public record LoadResult(int gatlingExitCode, List<StageResult> stages, boolean saturated, String message) {
    public LoadResult {
        stages = List.copyOf(stages);
    }
}
