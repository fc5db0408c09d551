package dev.slogate.slo;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.load.ClientSecond;
import dev.slogate.probe.ProbeResult;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import dev.slogate.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.regex.Pattern;

/**
 * Judges SLOs over the windows of a finished run, from the client's per-second histograms and, when given, Prometheus.
 * It resolves each SLO's windows and hands every one to the SLO's kind ({@link Objective#judge}), or measures it in
 * time slices as the kind says ({@link Objective#sliced}); it knows no kind itself.
 * <ul>
 *   <li>A client second counts in a fault window (and in {@code run}) when it touches it, in {@code steady} and
 *   {@code recovery:*} only when it lies wholly inside: the second of an injection counts against the fault.</li>
 *   <li>Prometheus is read at each window's end; call after the last scrape covering the run (about 2 s after its end).
 *   Windows shorter than {@link #MIN_PROMETHEUS_WINDOW_MILLIS} are not judged from Prometheus, which scrapes every
 *   second.</li>
 *   <li>Missing data is never a pass: no requests, an empty or NaN answer, or an unreachable Prometheus give NO_DATA
 *   with the reason.</li>
 *   <li>A window that was cut (its fault reverted by someone else, {@link Window#cut}) is not judged: NO_DATA, saying why.</li>
 * </ul>
 */
public final class SloEvaluator {
    public static final long MIN_PROMETHEUS_WINDOW_MILLIS = 3_000;
    /** Client and server latency disagree when one is more than this factor of the other... */
    public static final double DISAGREEMENT_FACTOR = 2.0;
    /** ...and they are more than this many seconds apart. */
    public static final double DISAGREEMENT_SECONDS = 0.050;

    // A plain instant-vector selector: optional metric name, optional {matchers}; nothing else.
    private static final Pattern PLAIN_SELECTOR = Pattern.compile(
            "\\s*[a-zA-Z_:][a-zA-Z0-9_:]*\\s*(\\{(?:[^{}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})?\\s*|\\s*\\{(?:[^{}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\}\\s*");

    private final PrometheusClient prometheus;
    private final CapacityHistory capacity;
    private List<ProbeResult> probes = List.of();
    private Baselines baselines = Baselines.NONE;

    /** @param prometheus where server-side indicators are read; null when there is none (they then get NO_DATA) */
    public SloEvaluator(PrometheusClient prometheus) {
        this(prometheus, CapacityHistory.unknown("no capacity history was given to the evaluator"));
    }

    /** @param capacity desired and ready replicas over time, for the capacity time of scaling objectives */
    public SloEvaluator(PrometheusClient prometheus, CapacityHistory capacity) {
        this.prometheus = prometheus;
        this.capacity = capacity;
    }

    /** The write-integrity probes' results, which {@code rpo} objectives are judged from. */
    public SloEvaluator withProbes(List<ProbeResult> results) {
        this.probes = List.copyOf(results);
        return this;
    }

    /** Where the earlier runs that objectives with a {@code baseline} name are read from. */
    public SloEvaluator withBaselines(Baselines earlier) {
        this.baselines = earlier;
        return this;
    }

    /** Every SLO's results and the recoveries its RTO objectives saw. */
    public record Evaluation(List<SloResult> results, List<Recovery> recoveries) {
        public Evaluation {
            results = List.copyOf(results);
            recoveries = List.copyOf(recoveries);
        }
    }

    /** One result per SLO × window (× source for latency), in the order of {@code slos} and {@code windows}. */
    public List<SloResult> evaluate(List<SloDef> slos, List<Window> windows, List<ClientSecond> client, List<FaultSpan> faults) {
        return evaluateWithRecoveries(slos, windows, client, faults).results();
    }

    /** As {@link #evaluate}, plus when the service recovered after each fault, for RECOVERED events on the timeline. */
    public Evaluation evaluateWithRecoveries(List<SloDef> slos, List<Window> windows, List<ClientSecond> client, List<FaultSpan> faults) {
        Evidence run = new Evidence(prometheus, capacity, probes, windows, client, faults, baselines);
        for (SloDef slo : slos) {
            evaluate(slo, run);
        }
        return new Evaluation(run.results(), run.recoveries());
    }

    private void evaluate(SloDef slo, Evidence run) {
        List<String> names = slo.windows().isEmpty() ? List.of(Windows.RUN) : slo.windows();
        String source = sourceOf(slo);
        List<String> unknown = Windows.unknown(names, run.windows());
        for (String name : unknown) {
            run.add(noData(slo, name, source, "window " + name + " did not occur in this run"
                    + (name.contains(":") ? " (was its fault injected?)" : "")));
        }
        List<Window> resolved = Windows.resolve(names.stream().filter(n -> !unknown.contains(n)).toList(), run.windows());
        if (resolved.isEmpty() && unknown.isEmpty()) {
            String asked = String.join(", ", names);
            run.add(noData(slo, asked, source, "no window of this run matches " + asked + " (no fault was injected)"));
        }
        Objective kind = kind(slo);
        Objective.Sliced sliced = slo.slices() == null ? null : kind.sliced(slo);
        for (Window w : resolved) {
            if (w.cut() != null) { // the fault did not last as scheduled: what the window holds is not what was asked
                run.add(noData(slo, w.name(), source, w.cut() + "; " + w.name() + " did not run as scheduled, so it is not judged"));
            } else if (sliced != null) {
                run.add(timeSliced(slo, sliced, w, run));
            } else {
                kind.judge(slo, w, run);
            }
        }
    }

    /** The judging half of an SLO's kind; every registered kind judges. */
    private static Objective kind(SloDef slo) {
        if (slo.kind() instanceof Objective o) {
            return o;
        }
        throw new IllegalStateException("objective kind " + slo.kind().getClass().getName() + " cannot judge: implement "
                + Objective.class.getName());
    }

    static boolean disagree(double a, double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        return hi - lo > DISAGREEMENT_SECONDS && (lo <= 0 || hi / lo > DISAGREEMENT_FACTOR);
    }

    /**
     * The query read for one side of a ratio. A counter is increased over the window; increase() takes a range of a
     * selector, so anything but a plain selector is turned into a 1 s subquery first.
     */
    static String ratioQuery(String query, boolean counter, Window w) {
        String q = query.strip();
        if (!counter) {
            return Evidence.withWindow(q, w);
        }
        String range = isPlainSelector(q) ? q + "[" + Evidence.seconds(w) + "s]" : "(" + q + ")[" + Evidence.seconds(w) + "s:1s]";
        return "sum(increase(" + range + "))";
    }

    static boolean isPlainSelector(String query) {
        return PLAIN_SELECTOR.matcher(query).matches();
    }

    // ---- time slices

    /** The slices of {@code w}: {@code length} each from its start; a last part of at least {@code minTail} ms is a slice of its own. */
    static List<Window> slices(Window w, Duration length, long minTail) {
        long len = Math.max(1, length.toMillis());
        List<Window> out = new ArrayList<>();
        long at = w.startMillis();
        while (w.endMillis() - at >= len) {
            out.add(new Window(w.name(), at, at + len));
            at += len;
        }
        if (out.isEmpty() || w.endMillis() - at >= minTail) {
            out.add(new Window(w.name(), at, w.endMillis()));
        }
        return out;
    }

    /**
     * A time-sliced SLO over one window: the indicator in each slice, client side from the per-second timeline, server
     * side from one Prometheus range query over the full slices (and an instant query for a shorter last one).
     */
    private SloResult timeSliced(SloDef slo, Objective.Sliced sliced, Window w, Evidence run) {
        SloDef.TimeSlices ts = slo.slices();
        String source = sourceOf(slo);
        boolean client = source.equals(Evidence.CLIENT);
        List<Window> slices = slices(w, ts.length(), client ? 1000 : MIN_PROMETHEUS_WINDOW_MILLIS);
        Evidence.SliceValues sv = client ? clientSlices(sliced, w, slices, run) : prometheusSlices(sliced, slices, run);
        if (sv.problem() != null) {
            return noData(slo, w.name(), source, sv.problem());
        }
        double[] v = sv.values();
        int missing = (int) Arrays.stream(v).filter(Double::isNaN).count();
        String of = v.length + (v.length == 1 ? " slice" : " slices") + " of " + sliceLength(ts);
        if (missing == v.length) {
            return noData(slo, w.name(), source, "no slice of " + w.name() + " had data (" + of + ")");
        }
        String label = sliced.label();
        DoubleFunction<String> format = sliced.format();
        long judged = slices.get(slices.size() - 1).endMillis();
        String left = !client && w.endMillis() - judged >= 1 ? "; the last " + Units.seconds((w.endMillis() - judged) / 1000.0)
                + ", too short to read from Prometheus, is not judged" : "";
        if (ts.goodShare() != null) {
            int good = 0;
            for (double x : v) {
                good += !Double.isNaN(x) && slo.op().holds(x, slo.target()) ? 1 : 0;
            }
            double share = (double) good / v.length;
            boolean pass = share >= ts.goodShare();
            String message = good + " of " + of + " good (" + label + " " + slo.op().symbol() + " " + format.apply(slo.target()) + " in each): "
                    + Units.percent(share) + " " + Units.relation(share, ts.goodShare()) + " " + Units.percent(ts.goodShare()) + " in " + w.name()
                    + " (" + source + ")" + (missing > 0 ? "; " + missing + " without data, counted as bad" : "") + left;
            return new SloResult(slo.name(), w.name(), source, objective(slo), share, "ratio", pass ? Verdict.PASS : Verdict.FAIL, message);
        }
        // RatioTimeslices: the average of the slices' ratios; a slice without data counts as the worst ratio
        double worst = slo.op() == Op.LT || slo.op() == Op.LTE ? 1 : 0;
        double sum = 0;
        for (double x : v) {
            sum += Double.isNaN(x) ? worst : x;
        }
        return Evidence.judge(slo, w, source, sum / v.length, "ratio", "average " + label + " of " + of, Units::percent,
                (missing > 0 ? "; " + missing + " without data, counted as " + Units.percent(worst) : "") + left);
    }

    private static String sliceLength(SloDef.TimeSlices ts) {
        return Durations.format(ts.length());
    }

    private Evidence.SliceValues clientSlices(Objective.Sliced sliced, Window w, List<Window> slices, Evidence run) {
        List<List<ClientTally>> per = new ArrayList<>();
        slices.forEach(x -> per.add(new ArrayList<>()));
        long[] range = run.clientSeconds(w);
        for (Map.Entry<Long, ClientTally> e : range[0] > range[1] ? Map.<Long, ClientTally>of().entrySet()
                : run.perSecond().subMap(range[0], true, range[1], true).entrySet()) {
            long startMillis = e.getKey() * 1000;
            int k = 0;
            while (k < slices.size() - 1 && startMillis >= slices.get(k).endMillis()) {
                k++;
            }
            per.get(k).add(e.getValue());
        }
        double[] values = new double[slices.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = sliced.client(ClientTally.sum(per.get(k)));
        }
        return new Evidence.SliceValues(values, null);
    }

    private Evidence.SliceValues prometheusSlices(Objective.Sliced sliced, List<Window> slices, Evidence run) {
        String problem = run.prometheusProblem(slices.get(0), true);
        return problem != null ? new Evidence.SliceValues(null, problem) : sliced.prometheus(slices, run);
    }

    private static SloResult noData(SloDef slo, String window, String source, String why) {
        return Evidence.noData(slo, window, source, why);
    }

    /**
     * The objective as a person writes it: "p95 < 200 ms", "error rate < 1 %", "RTO <= 20 s"; in time slices
     * "availability >= 95 % in >= 99.5 % of 1m slices" or "average availability >= 99 % over 1m slices".
     */
    public static String objective(SloDef slo) {
        SloDef.TimeSlices ts = slo.slices();
        String whole = slo.kind().objective(slo);
        if (ts == null) {
            return whole;
        }
        return ts.goodShare() == null ? "average " + whole + " over " + sliceLength(ts) + " slices"
                : whole + " in >= " + Units.percent(ts.goodShare()) + " of " + sliceLength(ts) + " slices";
    }

    private static String sourceOf(SloDef slo) {
        return slo.kind().source(slo);
    }
}
