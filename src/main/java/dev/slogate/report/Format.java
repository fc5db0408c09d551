package dev.slogate.report;

import dev.slogate.load.JourneySummary;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How every report prints numbers, so HTML, Markdown and JUnit say the same figure the same way. */
public final class Format {
    static final String NONE = "–";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /** Four significant digits at most, no trailing zeros: 312, 0.4213, 1234. */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4));
        return d.abs().compareTo(BigDecimal.valueOf(10_000)) >= 0
                ? String.valueOf(Math.round(v)) : d.stripTrailingZeros().toPlainString();
    }

    public static String ms(Double ms) {
        if (ms == null) {
            return NONE;
        }
        return ms >= 10_000 ? number(ms / 1000) + " s" : number(ms) + " ms";
    }

    public static String percent(Double percent) {
        return percent == null ? NONE : number(percent) + " %";
    }

    static String rps(Double rps) {
        return rps == null ? NONE : number(rps) + " rps";
    }

    /**
     * One journey's users and durations in a line: {@code journey buyer: 37 of 40 users completed it, p95 1650 ms
     * (70 ms without think time); 2 ended by a failed step}.
     */
    static String journey(JourneySummary j) {
        StringBuilder b = new StringBuilder("journey ").append(j.journey()).append(": ").append(j.completed()).append(" of ")
                .append(j.users()).append(" users completed it");
        if (j.withThink().p95Ms() != null) {
            b.append(", p95 ").append(ms(j.withThink().p95Ms())).append(" (").append(ms(j.withoutThink().p95Ms()))
                    .append(" without think time)");
        }
        if (j.failed() > 0) {
            b.append("; ").append(j.failed()).append(" ended by a failed step");
        }
        if (j.noRow() > 0) {
            b.append("; ").append(j.noRow()).append(" found no feeder row");
        }
        return b.toString();
    }

    static String seconds(Double s) {
        return s == null ? NONE : number(s) + " s";
    }

    /** Offset of an instant from the run start, the x axis of every chart: {@code +12.3 s}. */
    static String offset(long atMillis, long startMillis) {
        double s = (atMillis - startMillis) / 1000.0;
        return (s >= 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f s", s);
    }

    static String instant(long epochMillis) {
        return UTC.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * The measured value in the unit people read: seconds below one as milliseconds, ratios as percent.
     * Units understood: {@code s}, {@code ms}, {@code ratio}/{@code fraction}, {@code %}; others are printed as given.
     */
    static String measured(SloResult r) {
        Double v = r.measured();
        if (v == null) {
            return "no data";
        }
        String unit = r.unit() == null ? "" : r.unit().trim().toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "s", "sec", "second", "seconds" -> Math.abs(v) < 1 ? ms(v * 1000) : seconds(v);
            case "ms", "millis", "milliseconds" -> ms(v);
            case "ratio", "fraction" -> percent(v * 100);
            case "%", "percent" -> percent(v);
            case "" -> number(v);
            default -> number(v) + " " + r.unit().trim();
        };
    }

    /** The result's own sentence (it names the number that missed), or one built from its parts. */
    static String sentence(SloResult r) {
        if (r.message() != null && !r.message().isBlank()) {
            return r.message();
        }
        if (r.verdict() == Verdict.NO_DATA) {
            return r.slo() + ": no data in " + r.window() + " from " + r.source() + "; the gate cannot pass without it";
        }
        return r.slo() + " measured " + measured(r) + ", objective " + r.objective() + " in " + r.window();
    }

    /** The one word each exit code is shown as (report headers, the dashboard's verdict). */
    public static String exitLabel(int exitCode) {
        return switch (exitCode) {
            case 0 -> "PASSED";
            case 1 -> "FAILED";
            case 2 -> "INVALID";
            case 3 -> "STOPPED";
            case 4 -> "INCONCLUSIVE";
            default -> "EXIT " + exitCode;
        };
    }

    /** One line saying what the exit code means for the gate. */
    static String exitMeaning(int exitCode) {
        return switch (exitCode) {
            case 0 -> "all SLOs met";
            case 1 -> "an SLO failed";
            case 2 -> "invalid input or unreachable infrastructure";
            case 3 -> "aborted by a stop condition";
            case 4 -> "inconclusive: the run cannot be judged";
            default -> "unknown exit code " + exitCode;
        };
    }
}
