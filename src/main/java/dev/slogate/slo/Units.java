package dev.slogate.slo;

import java.util.Locale;

/** How measured numbers are written in verdict messages: "312 ms", "4.25 ms", "1.52 s", "0.5 %", "p99.9". */
final class Units {
    private Units() {
    }

    static String latency(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return String.valueOf(seconds);
        }
        double ms = seconds * 1000;
        // HdrHistogram keeps 3 significant digits, so finer figures than these would be noise
        return Math.abs(ms) < 10 ? trim(ms, 2) + " ms" : Math.abs(ms) < 1000 ? trim(ms, 0) + " ms" : trim(seconds, 2) + " s";
    }

    static String seconds(double seconds) {
        return trim(seconds, 1) + " s";
    }

    static String percent(double fraction) {
        return trim(fraction * 100, 3) + " %";
    }

    static String percentile(double p) {
        return "p" + trim(p, 3);
    }

    static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? String.valueOf(v) : trim(v, 6);
    }

    /** The relation that actually holds between two numbers, for a sentence such as "312 ms > 200 ms". */
    static String relation(double measured, double target) {
        return measured > target ? ">" : measured < target ? "<" : "=";
    }

    private static String trim(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }
}
