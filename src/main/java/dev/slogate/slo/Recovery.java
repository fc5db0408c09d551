package dev.slogate.slo;

import dev.slogate.timeline.Event;
import java.util.Optional;

/**
 * When the service was back after a fault, as one RTO objective judged it: {@code recoveredMillis} is null when it
 * never recovered before the run ended. The harness puts {@link #event()} on the run's timeline.
 */
public record Recovery(String slo, String fault, long injectedMillis, Long recoveredMillis) {

    public boolean recovered() {
        return recoveredMillis != null;
    }

    /** Seconds from injection to recovery; NaN when it never recovered. */
    public double rtoSeconds() {
        return recoveredMillis == null ? Double.NaN : (recoveredMillis - injectedMillis) / 1000.0;
    }

    /** A RECOVERED event for the timeline, when the service recovered. */
    public Optional<Event> event() {
        return recovered()
                ? Optional.of(new Event(recoveredMillis, Event.Kind.RECOVERED, fault, "RTO " + Units.seconds(rtoSeconds()) + " (" + slo + ")"))
                : Optional.empty();
    }
}
