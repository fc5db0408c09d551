package dev.slogate.load.fleet;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** How a fleet splits a load and joins what its injectors measured. */
public final class FleetMath {
    private FleetMath() {
    }

    /**
     * One injector's share of {@code load}: every stage's rates divided by {@code injectors}; same mix or journeys and
     * timeout (the feeders' rows are split by {@code Load.forInjector}). A user's own simulation runs as written in
     * every injector (its stages' rates are only what the team expects).
     */
    public static Load share(Load load, int injectors) {
        if (injectors < 1) {
            throw new IllegalArgumentException("--injectors must be at least 1, was " + injectors);
        }
        List<Stage> stages = load.stages().stream().map(s -> new Stage(s.kind(), new Rate(s.from().perSecond() / injectors),
                new Rate(s.to().perSecond() / injectors), s.duration())).toList();
        return load.withStages(stages);
    }

    /**
     * The fleet's second: requests and targets summed, each series' histograms added (HdrHistogram addition is exact,
     * so a percentile of the result is the percentile of all the injectors' requests, not an average of percentiles).
     */
    public static ClientSecond merge(long epochSecond, Collection<ClientSecond> parts) {
        double target = 0;
        long sent = 0;
        Map<ClientSecond.SeriesKey, Histogram> latency = new HashMap<>();
        for (ClientSecond p : parts) {
            if (p.epochSecond() != epochSecond) {
                throw new IllegalArgumentException("second " + p.epochSecond() + " merged into " + epochSecond);
            }
            target += p.targetRps();
            sent += p.sent();
            p.latency().forEach((key, h) -> latency.computeIfAbsent(key, k -> LatencyHistograms.create()).add(h));
        }
        return new ClientSecond(epochSecond, target, sent, latency);
    }
}
