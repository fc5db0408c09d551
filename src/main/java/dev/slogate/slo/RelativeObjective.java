package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Baseline;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The keys {@code notWorseThan} and {@code baseline} that the latency, ratio and RTO kinds share, and the judging of
 * such an objective: the run's value over a window against an earlier run's value over the window of the same name,
 * both measured the same way from the client's per-second histograms (exact merges, never the reports' summaries). A
 * baseline that cannot be read, lacks the window, or has no data in it gives NO_DATA: a gate never passes on it.
 */
final class RelativeObjective {
    static final String NOT_WORSE_THAN = "notWorseThan";
    static final String BASELINE = "baseline";
    static final List<String> KEYS = List.of(NOT_WORSE_THAN, BASELINE);

    private RelativeObjective() {
    }

    /** How an allowance is written. */
    enum Allowance {
        /** A percentage of the baseline's value ({@code 10%}) or an amount of time ({@code 20ms}): latency, RTO. */
        SHARE_OR_TIME,
        /** Percentage points of a ratio ({@code 0.1%}): a share of an error rate near 0 would allow nothing. */
        POINTS
    }

    /** Whether the block asks for a baseline. */
    static boolean asked(ObjectiveInput o) {
        return o.has(NOT_WORSE_THAN) || o.has(BASELINE);
    }

    /** Reads {@code notWorseThan} and {@code baseline}; null after a problem. {@code fixedKey} is the kind's fixed limit. */
    static Baseline read(ObjectiveInput o, Allowance allowance, String fixedKey) {
        if (o.has(fixedKey)) {
            o.problem(fixedKey, o.path(fixedKey) + " and " + NOT_WORSE_THAN + " both set a limit",
                    "write " + fixedKey + " for a fixed limit, or " + NOT_WORSE_THAN + " with " + BASELINE
                            + " for one relative to an earlier run (two objectives for both)");
            return null;
        }
        String run = o.requireText(BASELINE, "write baseline: the report folder of an earlier run, or its run id in the reports folder");
        if (run != null && run.isBlank()) {
            o.problem(BASELINE, o.path(BASELINE) + " is empty", "write baseline: the report folder of an earlier run, or its run id");
            run = null;
        }
        boolean points = allowance == Allowance.POINTS;
        String text = o.requireText(NOT_WORSE_THAN, points ? "write notWorseThan: 0.1% (percentage points above the baseline's)"
                : "write notWorseThan: 10% (of the baseline's value) or notWorseThan: 20ms");
        if (text == null) {
            return null;
        }
        if (points || text.strip().endsWith("%")) {
            Double f = o.fraction(NOT_WORSE_THAN, null);
            return f == null || run == null ? null : new Baseline(run.strip(), f, !points);
        }
        Duration d = o.duration(NOT_WORSE_THAN, null, true);
        return d == null || run == null ? null : new Baseline(run.strip(), d.toNanos() / 1e9, false);
    }

    /** As {@code slogate plan} writes it: "not worse than baseline 20261201-101500-demo +10%". */
    static String sentence(Baseline b, boolean points) {
        return "not worse than baseline " + b.run() + " " + allowance(b, points, true);
    }

    /** As results state it: "p95 <= baseline + 10 %", "availability >= baseline - 0.1 pp". */
    static String objective(String label, Baseline b, boolean points, boolean higherIsWorse) {
        return label + (higherIsWorse ? " <= baseline + " : " >= baseline - ") + allowance(b, points, false);
    }

    private static String allowance(Baseline b, boolean points, boolean plan) {
        if (points) {
            return plan ? "+" + Wording.percent(b.allowance()) + " (percentage points)" : Units.number(b.allowance() * 100) + " pp";
        }
        if (b.relative()) {
            return plan ? "+" + Wording.percent(b.allowance()) : Units.percent(b.allowance());
        }
        return plan ? "+" + Wording.seconds(b.allowance()) : Units.latency(b.allowance());
    }

    /** A value measured over a window, or why there is none. */
    record Value(double value, String missing) {
        static Value of(double v) {
            return new Value(v, null);
        }

        static Value none(String why) {
            return new Value(Double.NaN, why);
        }
    }

    /** How a kind measures a window of a run (the one judged, or the baseline). */
    interface Measure {
        Value of(Evidence run, Window w);
    }

    /**
     * Judges the run's value {@code now} over {@code w} against the baseline's value over its window of the same name:
     * it passes when {@code now <= base x (1 + allowance)} (relative) or {@code now <= base + allowance}, and for a
     * measure where higher is better when {@code now >= base - allowance}.
     */
    static SloResult judge(SloDef slo, Window w, Evidence e, Baseline b, Value now, String label, String unit,
                           DoubleFunction<String> format, boolean higherIsWorse, Measure measure) {
        String source = Evidence.CLIENT;
        if (now.missing() != null) {
            return Evidence.noData(slo, w.name(), source, now.missing());
        }
        Evidence.Baseline base = e.baseline(b.run());
        if (base.problem() != null) {
            return Evidence.noData(slo, w.name(), source, "baseline " + b.run() + " cannot be read: " + base.problem());
        }
        Window bw = base.window(w.name());
        if (bw == null) {
            return Evidence.noData(slo, w.name(), source, "baseline run " + base.runId() + " has no window " + w.name()
                    + (w.name().startsWith(Windows.FAULT_PREFIX) || w.name().startsWith(Windows.RECOVERY_PREFIX)
                    ? " (it did not inject that fault)" : "") + "; compare runs of the same scenario");
        }
        if (bw.cut() != null) {
            return Evidence.noData(slo, w.name(), source, "in baseline run " + base.runId() + ", " + bw.cut() + "; its "
                    + w.name() + " did not run as scheduled");
        }
        Value was = measure.of(base.evidence(), bw);
        if (was.missing() != null) {
            return Evidence.noData(slo, w.name(), source, "baseline run " + base.runId() + ": " + was.missing());
        }
        double limit = limit(b, was.value(), higherIsWorse);
        double v = now.value();
        boolean pass = higherIsWorse ? v <= limit : v >= limit;
        String message = label + " " + format.apply(v) + " " + Units.relation(v, limit) + " " + format.apply(limit) + " in "
                + w.name() + " (" + source + "): baseline run " + base.runId() + " had " + format.apply(was.value())
                + (higherIsWorse ? ", + " : ", - ") + allowance(b, !b.relative() && "ratio".equals(unit), false)
                + (b.relative() ? " of it" : "") + " allowed";
        return new SloResult(slo.name(), w.name(), source, SloEvaluator.objective(slo), v, unit, pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    /** The worst value allowed, given the baseline's. */
    static double limit(Baseline b, double base, boolean higherIsWorse) {
        double room = b.relative() ? Math.abs(base) * b.allowance() : b.allowance();
        return higherIsWorse ? base + room : base - room;
    }
}
