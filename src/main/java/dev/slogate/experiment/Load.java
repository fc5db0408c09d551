package dev.slogate.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The open-model load profile: stages run one after another. Each arrival either sends one request drawn from the
 * weighted mix ({@code requests}), or is a user walking one of the weighted {@code journeys}, with data from
 * {@code feeders}; a load has one or the other. The stages' rates are arrivals per second: requests per second for the
 * mix, users per second for journeys. {@code simulation}, when set, names a user's own Gatling Simulation class that
 * replaces the generic one; {@code simulationClasspath} (jars and class directories, absolute) is where it and its
 * dependencies are. Empty: the class is on slogate's own classpath and reports through {@code load.LoadHooks};
 * otherwise slogate measures every request Gatling records, and the stages only set the run's length (their rates
 * are what the team expects).
 */
public record Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout,
                   List<Journey> journeys, List<Feeder> feeders, List<Path> simulationClasspath) {
    public Load {
        stages = List.copyOf(stages);
        requests = List.copyOf(requests);
        journeys = journeys == null ? List.of() : List.copyOf(journeys);
        feeders = feeders == null ? List.of() : List.copyOf(feeders);
        simulationClasspath = simulationClasspath == null ? List.of() : List.copyOf(simulationClasspath);
    }

    /** A load of single requests from the weighted mix. */
    public Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout) {
        this(stages, requests, simulation, requestTimeout, List.of(), List.of(), List.of());
    }

    /** A load of journeys (or the mix, when {@code journeys} is empty) run by slogate's own simulation. */
    public Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout,
                List<Journey> journeys, List<Feeder> feeders) {
        this(stages, requests, simulation, requestTimeout, journeys, feeders, List.of());
    }

    /** A user's own simulation from {@code simulationClasspath}. */
    public Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout,
                List<Path> simulationClasspath) {
        this(stages, requests, simulation, requestTimeout, List.of(), List.of(), simulationClasspath);
    }

    /** Whether a user's own simulation from its own jar or classes runs, measured through Gatling's stats engine. */
    public boolean isOwnSimulation() {
        return simulation != null && !simulationClasspath.isEmpty();
    }

    /** This load with other stages (same requests, journeys and simulation). */
    public Load withStages(List<Stage> newStages) {
        return new Load(newStages, requests, simulation, requestTimeout, journeys, feeders, simulationClasspath);
    }

    /** This load running {@code className} from {@code classpath} instead. */
    public Load withSimulation(String className, List<Path> classpath) {
        return new Load(stages, requests, className, requestTimeout, journeys, feeders, classpath);
    }

    /** Whether arrivals are users walking journeys rather than single requests. */
    public boolean hasJourneys() {
        return !journeys.isEmpty();
    }

    /** Requests one arrival sends on average: the journeys' step counts weighted by their weights, 1 for the mix. */
    public double requestsPerArrival() {
        long weights = journeys.stream().mapToLong(Journey::weight).sum();
        if (weights == 0) {
            return 1;
        }
        return journeys.stream().mapToDouble(j -> (double) j.weight() * j.steps().size()).sum() / weights;
    }

    /** Arrivals over all stages (the integral of the rate): requests for the mix, users for journeys. */
    public double arrivals() {
        return stages.stream().mapToDouble(s -> s.duration().toNanos() / 1e9
                * (s.kind() == Stage.Kind.RAMP ? (s.from().perSecond() + s.to().perSecond()) / 2 : s.to().perSecond())).sum();
    }

    /** The share of injector {@code index} of {@code count} in the feeders' rows (stages are split elsewhere). */
    public Load forInjector(int index, int count) {
        return feeders.isEmpty() ? this : new Load(stages, requests, simulation, requestTimeout, journeys,
                feeders.stream().map(f -> f.forInjector(index, count)).toList(), simulationClasspath);
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
