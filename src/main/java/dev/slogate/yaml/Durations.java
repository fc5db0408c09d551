package dev.slogate.yaml;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the compact durations used in every slogate file: {@code 500us}, {@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h30m}.
 */
public final class Durations {
    /** The longest duration a slogate file may write, and the longest run. */
    public static final Duration MAX = Duration.ofHours(24);
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase();
        Matcher m = PART.matcher(t);
        long nanos = 0;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            double value = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            double part = value * unitNanos;
            if (part > Long.MAX_VALUE / 2.0 || nanos + (long) part < 0) {
                throw new IllegalArgumentException("'" + text + "' is far longer than any run; write at most " + format(MAX));
            }
            nanos += Math.round(part);
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a number with a unit: 500ms, 30s, 2m, 1h or 1m30s");
        }
        return Duration.ofNanos(nanos);
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0 && ms < 1000) {
            return trim(d.toNanos() / 1e6) + "ms"; // a sub-millisecond part (500us, 1.5ms) is kept, to the microsecond
        }
        if (ms == 0) {
            return "0s";
        }
        if (ms % 1000 != 0) {
            return ms < 60_000 ? trim(ms / 1000.0) + "s" : ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
