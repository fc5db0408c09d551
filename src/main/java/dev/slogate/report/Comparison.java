package dev.slogate.report;

import dev.slogate.slo.ClientTally;
import dev.slogate.slo.Evidence;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A run side by side with a baseline run ({@code slogate compare}): every SLO x window x source result both have, with
 * the change of its value, and the client latency distribution of every window both have, from the exact merge of its
 * seconds' histograms.
 *
 * <p>A result got {@link Change#WORSE} when its verdict went from PASS to FAIL, when it lost its data, or when its value
 * moved the wrong way (up for an objective {@code <}/{@code <=}, down for {@code >}/{@code >=}) by more than the
 * tolerance: {@code tolerance} of the baseline's value for times and other numbers (and at least 1 ms for times), and
 * {@code ratioTolerance} percentage points (absolute) for ratios. The exit code: 0 nothing got worse, 1 something did,
 * 4 the runs cannot be compared (different scenarios, or no result in common).
 */
public record Comparison(Run base, Run run, double tolerance, double ratioTolerance, List<Row> rows, List<Figure> figures,
                         List<Distribution> distributions, List<String> notes, int exitCode, String outcome) {

    public static final double DEFAULT_TOLERANCE = 0.10;
    public static final double DEFAULT_RATIO_TOLERANCE = 0.001;
    /** Percentiles of the distributions, 100 being the maximum. */
    static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100};
    /** Latency changes below this (seconds) are within HdrHistogram's precision and a timer's noise. */
    static final double LATENCY_FLOOR = 0.001;
    static final String WHOLE_RUN = "run";

    public Comparison {
        rows = List.copyOf(rows);
        figures = List.copyOf(figures);
        distributions = List.copyOf(distributions);
        notes = List.copyOf(notes);
    }

    /** One side of the comparison. */
    public record Run(String runId, String scenario, long startMillis, int exitCode, String outcome) {
        static Run of(RunReport r) {
            return new Run(r.runId(), r.scenario(), r.startMillis(), r.exitCode(), r.outcome());
        }
    }

    public enum Change { BETTER, SAME, WORSE, NO_DATA, ONLY_BASE, ONLY_RUN }

    /** One SLO x window x source; {@code delta} = run - base, {@code deltaPercent} of the base (null when base is 0). */
    public record Row(String slo, String window, String source, String objective, String unit, Double base, Double run,
                      Double delta, Double deltaPercent, Verdict baseVerdict, Verdict runVerdict, Change change) {
    }

    /** A key figure of the whole run in both: not gated, for reading. */
    public record Figure(String name, String unit, Double base, Double run) {
    }

    /** The latency distribution of one window in both runs, in ms at each of {@link #PERCENTILES} (null: no data). */
    public record Distribution(String window, long baseCount, long runCount, List<Point> points) {
        public Distribution {
            points = List.copyOf(points);
        }
    }

    public record Point(double percentile, Double baseMs, Double runMs) {
    }

    public static Comparison of(RunReport base, RunReport run) {
        return of(base, run, DEFAULT_TOLERANCE, DEFAULT_RATIO_TOLERANCE);
    }

    public static Comparison of(RunReport base, RunReport run, double tolerance, double ratioTolerance) {
        List<String> notes = new ArrayList<>();
        Map<String, SloResult> before = byKey(base.results());
        Map<String, SloResult> after = byKey(run.results());
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, SloResult> e : after.entrySet()) {
            rows.add(row(before.get(e.getKey()), e.getValue(), tolerance, ratioTolerance));
        }
        for (Map.Entry<String, SloResult> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                rows.add(row(e.getValue(), null, tolerance, ratioTolerance));
            }
        }
        Set<String> onlyBase = new LinkedHashSet<>();
        Set<String> onlyRun = new LinkedHashSet<>();
        rows.forEach(r -> (r.change() == Change.ONLY_BASE ? onlyBase : r.change() == Change.ONLY_RUN ? onlyRun : new LinkedHashSet<String>())
                .add(r.slo() + " over " + r.window()));
        if (!onlyBase.isEmpty()) {
            notes.add("only in the baseline, not compared: " + String.join(", ", onlyBase));
        }
        if (!onlyRun.isEmpty()) {
            notes.add("only in this run, not compared: " + String.join(", ", onlyRun));
        }
        if (base.exitCode() != 0) {
            notes.add("the baseline run itself ended with exit " + base.exitCode() + " (" + Format.exitMeaning(base.exitCode()) + ")");
        }
        long compared = rows.stream().filter(r -> r.change() != Change.ONLY_BASE && r.change() != Change.ONLY_RUN).count();
        List<Row> worse = rows.stream().filter(r -> r.change() == Change.WORSE).toList();
        long better = rows.stream().filter(r -> r.change() == Change.BETTER).count();
        String limits = "beyond " + Format.number(tolerance * 100) + " % (ratios " + Format.number(ratioTolerance * 100) + " percentage points)";
        int code;
        String outcome;
        if (!Objects.equals(base.scenario(), run.scenario())) {
            code = 4;
            outcome = "Not comparable: the baseline ran scenario " + base.scenario() + " and this run " + run.scenario()
                    + "; a gate compares runs of the same scenario.";
        } else if (compared == 0) {
            code = 4;
            outcome = "Not comparable: the runs have no SLO result in common (same SLO name, window and source).";
        } else if (!worse.isEmpty()) {
            code = 1;
            outcome = worse.size() + " of " + compared + " SLO results got worse than baseline " + base.runId() + " " + limits + ": "
                    + String.join("; ", worse.stream().map(r -> r.slo() + " over " + r.window() + " " + shown(r.unit(), r.base())
                    + " → " + shown(r.unit(), r.run())).toList()) + ".";
        } else {
            code = 0;
            outcome = "No SLO result got worse than baseline " + base.runId() + " " + limits + ": " + compared + " compared, "
                    + better + " better.";
        }
        return new Comparison(Run.of(base), Run.of(run), tolerance, ratioTolerance, rows, figures(base, run),
                distributions(base, run), notes, code, outcome);
    }

    private static Map<String, SloResult> byKey(List<SloResult> results) {
        Map<String, SloResult> out = new LinkedHashMap<>();
        for (SloResult r : results) {
            out.putIfAbsent(r.slo() + "\u0000" + r.window() + "\u0000" + r.source(), r);
        }
        return out;
    }

    static Row row(SloResult base, SloResult run, double tolerance, double ratioTolerance) {
        SloResult any = run != null ? run : base;
        if (base == null || run == null) {
            return new Row(any.slo(), any.window(), any.source(), any.objective(), any.unit(), base == null ? null : base.measured(),
                    run == null ? null : run.measured(), null, null, base == null ? null : base.verdict(),
                    run == null ? null : run.verdict(), base == null ? Change.ONLY_RUN : Change.ONLY_BASE);
        }
        String unit = run.unit() != null ? run.unit() : base.unit();
        Double b = base.measured();
        Double v = run.measured();
        Double delta = b == null || v == null ? null : v - b;
        Double pct = delta == null || b == 0 ? null : 100 * delta / Math.abs(b);
        return new Row(run.slo(), run.window(), run.source(), run.objective(), unit, b, v, delta, pct, base.verdict(),
                run.verdict(), change(base, run, unit, tolerance, ratioTolerance));
    }

    private static Change change(SloResult base, SloResult run, String unit, double tolerance, double ratioTolerance) {
        if (run.measured() == null) {
            return base.measured() == null ? Change.NO_DATA : Change.WORSE;
        }
        if (base.measured() == null) {
            return Change.NO_DATA;
        }
        if (base.verdict() == Verdict.PASS && run.verdict() == Verdict.FAIL) {
            return Change.WORSE;
        }
        int direction = direction(run.objective());
        double worsening = direction * (run.measured() - base.measured()); // > 0: worse
        boolean ratio = "ratio".equals(unit);
        double allowed = ratio ? ratioTolerance
                : "s".equals(unit) ? Math.max(LATENCY_FLOOR, tolerance * Math.abs(base.measured())) : tolerance * Math.abs(base.measured());
        if (direction != 0 && worsening > allowed + 1e-12) {
            return Change.WORSE;
        }
        if (base.verdict() == Verdict.FAIL && run.verdict() == Verdict.PASS || direction != 0 && -worsening > allowed + 1e-12) {
            return Change.BETTER;
        }
        return Change.SAME;
    }

    /** +1 when higher is worse (the objective reads {@code < limit}), -1 when lower is worse, 0 when it does not say. */
    static int direction(String objective) {
        if (objective == null) {
            return 0;
        }
        int best = -1;
        int dir = 0;
        for (String op : List.of(" <= ", " < ", " >= ", " > ")) {
            int at = objective.indexOf(op);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                dir = op.contains("<") ? 1 : -1;
            }
        }
        return dir;
    }

    static String shown(String unit, Double v) {
        if (v == null) {
            return "no data";
        }
        return switch (unit == null ? "" : unit) {
            case "s" -> Math.abs(v) < 1 ? Format.ms(v * 1000) : Format.seconds(v);
            case "ratio" -> Format.percent(v * 100);
            default -> Format.number(v) + (unit == null || unit.isEmpty() ? "" : " " + unit);
        };
    }

    private static List<Figure> figures(RunReport base, RunReport run) {
        RunFigures b = RunFigures.of(base);
        RunFigures r = RunFigures.of(run);
        List<Figure> out = new ArrayList<>(List.of(
                new Figure("requests sent", "", (double) b.sent(), (double) r.sent()),
                new Figure("achieved rate", "rps", b.achievedRps(), r.achievedRps()),
                new Figure("p50 latency", "ms", b.p50Ms(), r.p50Ms()),
                new Figure("p99 latency", "ms", b.p99Ms(), r.p99Ms()),
                new Figure("max latency", "ms", b.maxMs(), r.maxMs()),
                new Figure("error rate", "%", b.errorPercent(), r.errorPercent())));
        Map<String, Double> baseRto = new LinkedHashMap<>();
        b.recoveries().forEach(x -> baseRto.put(x.fault(), x.seconds()));
        Set<String> faults = new LinkedHashSet<>(baseRto.keySet());
        Map<String, Double> runRto = new LinkedHashMap<>();
        r.recoveries().forEach(x -> runRto.put(x.fault(), x.seconds()));
        faults.addAll(runRto.keySet());
        faults.forEach(f -> out.add(new Figure("RTO " + f, "s", baseRto.get(f), runRto.get(f))));
        return out;
    }

    /** The whole run, then every other window both runs have, in the run's order. */
    private static List<Distribution> distributions(RunReport base, RunReport run) {
        Evidence b = Evidence.clientOnly(base.windows(), base.client(), ReportBaselines.faults(base.windows()));
        Evidence r = Evidence.clientOnly(run.windows(), run.client(), ReportBaselines.faults(run.windows()));
        List<Distribution> out = new ArrayList<>();
        Map<String, Window> baseWindows = new LinkedHashMap<>();
        base.windows().forEach(w -> baseWindows.putIfAbsent(w.name(), w));
        List<Window> ordered = new ArrayList<>(run.windows());
        ordered.sort((x, y) -> Boolean.compare(!x.name().equals(WHOLE_RUN), !y.name().equals(WHOLE_RUN)));
        for (Window w : ordered) {
            Window bw = baseWindows.get(w.name());
            if (bw != null && out.stream().noneMatch(d -> d.window().equals(w.name()))) {
                out.add(distribution(w.name(), b.tally(bw), r.tally(w)));
            }
        }
        return out;
    }

    static Distribution distribution(String window, ClientTally base, ClientTally run) {
        List<Point> points = new ArrayList<>();
        for (double p : PERCENTILES) {
            points.add(new Point(p, ms(base, p), ms(run, p)));
        }
        return new Distribution(window, base.latency().getTotalCount(), run.latency().getTotalCount(), points);
    }

    private static Double ms(ClientTally t, double percentile) {
        if (t.latency().getTotalCount() == 0) {
            return null;
        }
        long us = percentile >= 100 ? t.latency().getMaxValue() : percentile <= 0 ? t.latency().getMinValue()
                : t.latency().getValueAtPercentile(percentile);
        return us / 1000.0;
    }

    /** "p99.9", "max", "min". */
    static String percentileName(double p) {
        return p >= 100 ? "max" : p <= 0 ? "min" : "p" + Format.number(p).toLowerCase(Locale.ROOT);
    }
}
