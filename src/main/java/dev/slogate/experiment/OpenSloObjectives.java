package dev.slogate.experiment;

import dev.slogate.experiment.OpenSloIndicators.Ind;
import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the objectives of an OpenSLO v1 SLO are judged: the budgeting method, a ratio objective's target (of good events
 * or, with time slices, of good slices), a threshold objective's op and value, and the slices' length.
 */
final class OpenSloObjectives {
    /** The slice of a threshold objective's target or a time-sliced SLO that does not say {@code timeSliceWindow}. */
    static final Duration DEFAULT_SLICE = Duration.ofMinutes(1);

    enum Budgeting { OCCURRENCES, TIMESLICES, RATIO_TIMESLICES }

    private final YamlReader r;

    OpenSloObjectives(YamlReader r) {
        this.r = r;
    }

    Budgeting budgeting(Fields spec) {
        String b = spec.text("budgetingMethod", null);
        if (b == null) {
            return Budgeting.OCCURRENCES;
        }
        return switch (b.toLowerCase(Locale.ROOT)) {
            case "occurrences" -> Budgeting.OCCURRENCES;
            case "timeslices" -> Budgeting.TIMESLICES;
            case "ratiotimeslices" -> Budgeting.RATIO_TIMESLICES;
            default -> {
                r.problem(spec.get("budgetingMethod"), "unknown budgetingMethod '" + b + "'"
                        + FaultReader.nearest(b, List.of("Occurrences", "Timeslices", "RatioTimeslices")), "write Occurrences, Timeslices or RatioTimeslices");
                yield null;
            }
        };
    }

    record Objective(Op op, double target, SloDef.TimeSlices slices) {
    }

    /** How one objective is judged; null after reporting why it cannot be. */
    Objective objective(Fields o, Ind ind, Budgeting budgeting) {
        if (budgeting == null) {
            return null;
        }
        if (ind.good() == null) {
            return thresholdObjective(o, budgeting);
        }
        Double target = target(o, true);
        for (String k : List.of("op", "value")) {
            if (o.has(k)) {
                r.warning(o.get(k), k + " on a ratioMetric objective is ignored: the share of good events must reach target",
                        "remove " + k + "; it applies to thresholdMetric objectives");
            }
        }
        boolean good = ind.good();
        if (budgeting == Budgeting.OCCURRENCES) {
            ignoredSliceKeys(o, List.of("timeSliceTarget", "timeSliceWindow"), "budgetingMethod is Occurrences");
            // OpenSLO's target is the good fraction; a bad/total ratio must stay at or under its complement.
            return target == null ? null : new Objective(good ? Op.GTE : Op.LTE, good ? target : 1 - target, null);
        }
        Duration slice = sliceWindow(o);
        if (budgeting == Budgeting.RATIO_TIMESLICES) {
            ignoredSliceKeys(o, List.of("timeSliceTarget"), "RatioTimeslices averages the slices' ratios");
            return target == null || slice == null ? null
                    : new Objective(good ? Op.GTE : Op.LTE, good ? target : 1 - target, new SloDef.TimeSlices(slice, null));
        }
        YamlNode st = o.require("timeSliceTarget", "write timeSliceTarget: 0.95 (a slice is good when at least this share of its events is good)");
        Double sliceTarget = st == null ? null : r.fraction(st, o.path("timeSliceTarget"));
        if (sliceTarget != null && sliceTarget == 0) {
            r.problem(st, o.path("timeSliceTarget") + " is 0, but it must lie above 0 and at most 1", "write timeSliceTarget: 0.95");
            return null;
        }
        return target == null || slice == null || sliceTarget == null ? null
                : new Objective(good ? Op.GTE : Op.LTE, good ? sliceTarget : 1 - sliceTarget, new SloDef.TimeSlices(slice, target));
    }

    private Objective thresholdObjective(Fields o, Budgeting budgeting) {
        String opText = o.requireText("op", "write op: lt (one of lt, lte, gt, gte)");
        Op op = null;
        try {
            op = opText == null ? null : Op.fromId(opText);
        } catch (IllegalArgumentException e) {
            r.problem(o.get("op"), "unknown op '" + opText + "'", "write op: lt, lte, gt or gte");
        }
        YamlNode v = o.require("value", "write value: the threshold the query is compared with, e.g. 0.3");
        Double value = v == null ? null : r.number(v, o.path("value"));
        ignoredSliceKeys(o, List.of("timeSliceTarget"), "a thresholdMetric slice is good when its value meets op and value");
        if (!o.has("target") && !o.has("targetPercent")) {
            if (o.has("timeSliceWindow")) {
                r.warning(o.get("timeSliceWindow"), "timeSliceWindow is ignored: without target, the query is judged once at the end of each window",
                        "add target: 0.99 to judge the share of good slices");
            }
            return op == null || value == null ? null : new Objective(op, value, null);
        }
        Double target = target(o, false);
        Duration slice = sliceWindow(o);
        if (budgeting == Budgeting.RATIO_TIMESLICES) {
            r.warning(o.node(), "RatioTimeslices averages ratios; this thresholdMetric objective is judged as Timeslices:"
                    + " the share of slices whose value meets op and value", "write budgetingMethod: Timeslices");
        }
        return op == null || value == null || target == null || slice == null ? null : new Objective(op, value, new SloDef.TimeSlices(slice, target));
    }

    private void ignoredSliceKeys(Fields o, List<String> keys, String why) {
        for (String k : keys) {
            if (o.has(k)) {
                r.warning(o.get(k), k + " is ignored: " + why, "remove " + k + ", or set the budgetingMethod that uses it");
            }
        }
    }

    /** {@code target} (a fraction) or {@code targetPercent}; null after reporting. */
    private Double target(Fields o, boolean required) {
        if (o.has("target") && o.has("targetPercent")) {
            r.problem(o.get("targetPercent"), o.where() + " has both target and targetPercent", "keep one: target: 0.999 is targetPercent: 99.9");
            return null;
        }
        if (o.has("targetPercent")) {
            Double pct = r.number(o.get("targetPercent"), o.path("targetPercent"));
            if (pct != null && (pct <= 0 || pct > 100)) {
                r.problem(o.get("targetPercent"), o.path("targetPercent") + " is " + FaultReader.fmt(pct) + ", but must lie above 0 and at most 100",
                        "write targetPercent: 99.9");
                return null;
            }
            return pct == null ? null : pct / 100;
        }
        YamlNode t = required ? o.require("target", "write target: 0.99 (the fraction of good events)") : o.get("target");
        if (t == null) {
            return null;
        }
        Double v = r.fraction(t, o.path("target"));
        if (v != null && v == 0) {
            r.problem(t, o.path("target") + " is 0, but it must lie above 0 and at most 1", "write target: 0.99");
            return null;
        }
        return v;
    }

    private static final Pattern SHORTHAND = Pattern.compile("([0-9]+)([smhdwMQY])");

    /** {@code timeSliceWindow}: a duration shorthand ({@code 1m}, {@code 5m}, {@code 1h}) or a number of minutes; 1m when absent. */
    private Duration sliceWindow(Fields o) {
        YamlNode w = o.get("timeSliceWindow");
        if (w == null) {
            r.warning(o.node(), o.where() + " has no timeSliceWindow: it is judged in slices of " + Durations.format(DEFAULT_SLICE),
                    "write timeSliceWindow: 1m (or the slice length your SLO tool uses)");
            return DEFAULT_SLICE;
        }
        Double minutes = YamlReader.finite(w);
        Duration d = null;
        if (minutes != null) {
            d = minutes > 0 && minutes <= Durations.MAX.toMinutes() ? Duration.ofMillis(Math.round(minutes * 60_000)) : null;
        } else if (w instanceof YamlNode.Scalar s && s.text() != null) {
            Matcher m = SHORTHAND.matcher(s.text().trim());
            if (m.matches() && m.group(1).length() < 7) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "w" -> Duration.ofDays(7 * n);
                    case "M" -> Duration.ofDays(30 * n);
                    case "Q" -> Duration.ofDays(91 * n);
                    default -> Duration.ofDays(365 * n);
                };
                d = d.isZero() ? null : d;
            }
        }
        if (d == null) {
            r.problem(w, o.path("timeSliceWindow") + " must be a duration such as 1m, 5m or 1h (or a number of minutes), found " + w.describe(),
                    "write timeSliceWindow: 1m");
        } else if (d.compareTo(Durations.MAX) > 0) {
            r.warning(w, "timeSliceWindow is longer than any run (" + Durations.format(Durations.MAX) + "): each window is judged as one slice",
                    "write a slice shorter than the windows you judge, e.g. 1m");
        }
        return d;
    }
}
