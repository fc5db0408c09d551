package dev.slogate.experiment;

import dev.slogate.yaml.Durations;
import java.time.Duration;

/** How {@code slogate plan} writes numbers in its sentences: "200ms", "1.5s", "99.9%", "0.5". */
public final class Wording {
    private Wording() {
    }

    /** Seconds as a duration; under a second in whole milliseconds: 200ms, 20s, 1m30s. */
    public static String seconds(double s) {
        Duration d = Duration.ofNanos(Math.round(s * 1e9));
        return d.compareTo(Duration.ofSeconds(1)) < 0 && d.toNanos() % 1_000_000 == 0 && !d.isZero() ? d.toMillis() + "ms" : Durations.format(d);
    }

    /** A fraction as a percentage: 0.001 is 0.1%. */
    public static String percent(double fraction) {
        return number(Math.round(fraction * 100 * 1e6) / 1e6) + "%";
    }

    /** A number without a needless ".0". */
    public static String number(double v) {
        return FaultReader.fmt(v);
    }
}
