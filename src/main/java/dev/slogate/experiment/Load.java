package dev.slogate.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The open-model load profile: stages run one after another; requests are drawn from the weighted mix.
 * {@code simulation}, when set, names a user's own Gatling Simulation class that replaces the generic one;
 * {@code simulationClasspath} (jars and class directories, absolute) is where it and its dependencies are. Empty: the
 * class is on slogate's own classpath and reports through {@code load.LoadHooks}; otherwise slogate measures every
 * request Gatling records, and the stages only set the run's length (their rates are what the team expects).
 */
public record Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout,
                   List<Path> simulationClasspath) {
    public Load {
        stages = List.copyOf(stages);
        requests = List.copyOf(requests);
        simulationClasspath = simulationClasspath == null ? List.of() : List.copyOf(simulationClasspath);
    }

    public Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout) {
        this(stages, requests, simulation, requestTimeout, List.of());
    }

    /** Whether a user's own simulation from its own jar or classes runs, measured through Gatling's stats engine. */
    public boolean isOwnSimulation() {
        return simulation != null && !simulationClasspath.isEmpty();
    }

    /** This load with other stages (same requests and simulation). */
    public Load withStages(List<Stage> newStages) {
        return new Load(newStages, requests, simulation, requestTimeout, simulationClasspath);
    }

    /** This load running {@code className} from {@code classpath} instead. */
    public Load withSimulation(String className, List<Path> classpath) {
        return new Load(stages, requests, className, requestTimeout, classpath);
    }

    public Duration duration() {
        return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The highest rate any stage asks for. */
    public double peakRate() {
        return stages.stream().mapToDouble(s -> Math.max(s.from().perSecond(), s.to().perSecond())).max().orElse(0);
    }

    /** The target rate at a moment of the run (offset from its start), or 0 after the last stage. */
    public double targetRpsAt(Duration offset) {
        Duration start = Duration.ZERO;
        for (Stage s : stages) {
            Duration end = start.plus(s.duration());
            if (offset.compareTo(end) < 0) {
                return s.rateAt(offset.minus(start));
            }
            start = end;
        }
        return 0;
    }
}
