package dev.slogate.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One experiment: where the load goes, how much, which faults when, which SLOs judge it and when to give up.
 * Loaded from {@code scenarios/*.yaml}; fault and SLO references are already resolved.
 */
public record Scenario(
        String name,
        String description,
        Target target,
        Load load,
        List<ScheduledFault> faults,
        List<SloDef> slos,
        List<StopCondition> stopConditions,
        Path source,
        KubernetesSettings kubernetes) {

    public Scenario {
        faults = List.copyOf(faults);
        slos = List.copyOf(slos);
        stopConditions = List.copyOf(stopConditions);
    }

    /** A scenario without a cluster ({@code kubernetes} null). */
    public Scenario(String name, String description, Target target, Load load, List<ScheduledFault> faults, List<SloDef> slos,
                    List<StopCondition> stopConditions, Path source) {
        this(name, description, target, load, faults, slos, stopConditions, source, null);
    }

    /** Length of the run: the sum of the load stages. */
    public Duration duration() {
        return load.duration();
    }
}
