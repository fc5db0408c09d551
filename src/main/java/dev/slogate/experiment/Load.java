package dev.slogate.experiment;

import java.time.Duration;
import java.util.List;

/**
 * The open-model load profile: stages run one after another; requests are drawn from the weighted mix.
 * {@code simulation}, when set, names a user's own Gatling Simulation class that replaces the generic one.
 */
public record Load(List<Stage> stages, List<RequestSpec> requests, String simulation, Duration requestTimeout) {
    public Load {
        stages = List.copyOf(stages);
        requests = List.copyOf(requests);
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
