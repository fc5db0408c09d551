package dev.slogate.slo;

import dev.slogate.experiment.StopCondition;
import dev.slogate.load.ClientSecond;
import java.util.List;
import java.util.Optional;

/**
 * Watches the client's seconds as they arrive and says when a stop condition has held for its sustained duration:
 * that many consecutive seconds in which {@code metric op threshold} was true. A second in which no request completed
 * (or, for latency, none got an answer), or a gap between seconds, breaks the streak. Once tripped it stays tripped.
 * Feed one merged {@link ClientSecond} per second, in order. Not thread-safe.
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
    public Optional<String> offer(ClientSecond second) {
        if (reason != null) {
            return Optional.of(reason);
        }
        boolean gap = lastSecond != null && second.epochSecond() != lastSecond + 1;
        lastSecond = second.epochSecond();
        ClientTally tally = ClientTally.of(List.of(second));
        for (int i = 0; i < conditions.size(); i++) {
            StopCondition c = conditions.get(i);
            double value = measure(c.metric(), tally);
            boolean holds = !Double.isNaN(value) && c.op().holds(value, c.threshold());
            streak[i] = holds ? (gap ? 1 : streak[i] + 1) : 0;
            if (holds && streak[i] >= required(c)) {
                boolean latency = c.metric() == StopCondition.Metric.P99_LATENCY_SECONDS;
                reason = (latency ? "p99 latency " : "error rate ") + format(c.metric(), value) + " " + c.op().symbol() + " "
                        + format(c.metric(), c.threshold())
                        + " for " + streak[i] + " s in a row (stop condition)";
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

    private static double measure(StopCondition.Metric metric, ClientTally t) {
        return switch (metric) {
            case ERROR_RATE -> t.errorRate();
            case P99_LATENCY_SECONDS -> t.latencySeconds(99);
        };
    }

    private static String format(StopCondition.Metric metric, double value) {
        return switch (metric) {
            case ERROR_RATE -> Units.percent(value);
            case P99_LATENCY_SECONDS -> Units.latency(value);
        };
    }
}
