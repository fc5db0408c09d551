package dev.slogate.slo;

import dev.slogate.experiment.StopCondition;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LiveSecond;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Watches the client's live seconds as they arrive and says when a stop condition has held for its sustained duration:
 * that many consecutive seconds in which {@code metric op threshold} was true. Requests stalled past the timeline's
 * threshold count as they stand: as failing for an error rate, at the age they reached for latency, so a stall trips a
 * stop condition while it happens rather than when its requests finally time out. A second with nothing to count
 * (or, for latency, no answer and no stall), or a gap between seconds, breaks the streak. Once tripped it stays tripped.
 * Feed one merged {@link LiveSecond} per second, in order. Not thread-safe.
 */
public final class StopConditionMonitor {
    private final List<StopCondition> conditions;
    private final int[] streak;
    private Long lastSecond;
    private String reason;

    public StopConditionMonitor(List<StopCondition> conditions) {
        this.conditions = List.copyOf(conditions);
        this.streak = new int[this.conditions.size()];
    }

    /** The reason to stop, once a condition has held long enough (and from then on); empty while none has. */
    public Optional<String> offer(LiveSecond second) {
        if (reason != null) {
            return Optional.of(reason);
        }
        boolean gap = lastSecond != null && second.epochSecond() != lastSecond + 1;
        lastSecond = second.epochSecond();
        for (int i = 0; i < conditions.size(); i++) {
            StopCondition c = conditions.get(i);
            double value = measure(c.metric(), second);
            boolean holds = !Double.isNaN(value) && c.op().holds(value, c.threshold());
            streak[i] = holds ? (gap ? 1 : streak[i] + 1) : 0;
            if (holds && streak[i] >= required(c)) {
                boolean latency = c.metric() == StopCondition.Metric.P99_LATENCY_SECONDS;
                reason = (latency ? "p99 latency " : "error rate ") + format(c.metric(), value) + " " + c.op().symbol() + " "
                        + format(c.metric(), c.threshold())
                        + " for " + streak[i] + " s in a row (stop condition"
                        + (second.stalled() > 0 ? "; counting " + second.stalled() + " requests unanswered for over "
                                + Units.latency(second.stallAfterMillis() / 1000.0) : "") + ")";
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    private static int required(StopCondition c) {
        return (int) Math.max(1, Math.ceil(c.sustained().toMillis() / 1000.0));
    }

    /** A final second, as a live one with nothing in flight. */
    public Optional<String> offer(ClientSecond second) {
        return offer(new LiveSecond(second, 0, 0, LatencyHistograms.create(), 0));
    }

    private static double measure(StopCondition.Metric metric, LiveSecond s) {
        return switch (metric) {
            case ERROR_RATE -> s.errorRateCountingStalls();
            case P99_LATENCY_SECONDS -> {
                Histogram h = s.latencyCountingStalls();
                yield h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e6;
            }
        };
    }

    private static String format(StopCondition.Metric metric, double value) {
        return switch (metric) {
            case ERROR_RATE -> Units.percent(value);
            case P99_LATENCY_SECONDS -> Units.latency(value);
        };
    }
}
