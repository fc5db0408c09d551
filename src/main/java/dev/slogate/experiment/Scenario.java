package dev.slogate.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One experiment: where the load goes, how much, which faults when, which SLOs judge it and when to give up.
 * Loaded from {@code scenarios/*.yaml}; fault and SLO references are already resolved. {@code kubernetes} (null without a
 * cluster) says how to reach the cluster that Kubernetes and Chaos Mesh faults act on; {@code probes} run beside the load;
 * {@code grafana} (null without) is where the run writes its annotations.
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
        KubernetesSettings kubernetes,
        List<ProbeSpec> probes,
        GrafanaSettings grafana) {

    public Scenario {
        faults = List.copyOf(faults);
        slos = List.copyOf(slos);
        stopConditions = List.copyOf(stopConditions);
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    /** A scenario without Grafana annotations. */
    public Scenario(String name, String description, Target target, Load load, List<ScheduledFault> faults, List<SloDef> slos,
                    List<StopCondition> stopConditions, Path source, KubernetesSettings kubernetes, List<ProbeSpec> probes) {
        this(name, description, target, load, faults, slos, stopConditions, source, kubernetes, probes, null);
    }

    /** A scenario without a cluster ({@code kubernetes} null) and without probes. */
    public Scenario(String name, String description, Target target, Load load, List<ScheduledFault> faults, List<SloDef> slos,
                    List<StopCondition> stopConditions, Path source) {
        this(name, description, target, load, faults, slos, stopConditions, source, null, List.of());
    }

    /** Length of the run: the sum of the load stages. */
    public Duration duration() {
        return load.duration();
    }
}
