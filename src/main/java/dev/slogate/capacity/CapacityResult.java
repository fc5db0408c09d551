package dev.slogate.capacity;

import java.util.List;

/**
 * What a capacity search found. {@code maxSustainableRps}: the highest rate tried at which every SLO held (null if
 * none did); {@code lowestBrokenRps}: the lowest rate at which one broke (null if none did); {@code firstBroken}: the
 * SLOs that broke there. {@code exitCode}: 0 knee found, 1 SLOs broke already at the first rate, 4 inconclusive
 * (the injector could not send more, the ceiling was reached, or no SLO had data). {@code fault}: the fault active
 * during every step, or null.
 */
public record CapacityResult(String runId, String scenario, String target, String fault, List<CapacityStep> steps,
                             Double maxSustainableRps, Double lowestBrokenRps, List<String> firstBroken, int exitCode,
                             String outcome) {
    public CapacityResult {
        steps = List.copyOf(steps);
        firstBroken = List.copyOf(firstBroken);
    }
}
