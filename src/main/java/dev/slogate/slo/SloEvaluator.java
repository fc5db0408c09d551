package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Rto;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.experiment.SloDef.Threshold;
import dev.slogate.load.ClientSecond;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Judges SLOs over the windows of a finished run, from the client's per-second histograms and, when given, Prometheus.
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

    private static final String CLIENT = "client";
    private static final String PROMETHEUS = "prometheus";
    // A plain instant-vector selector: optional metric name, optional {matchers}; nothing else.
    private static final Pattern PLAIN_SELECTOR = Pattern.compile(
            "\\s*[a-zA-Z_:][a-zA-Z0-9_:]*\\s*(\\{(?:[^{}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})?\\s*|\\s*\\{(?:[^{}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\}\\s*");

    private final PrometheusClient prometheus;
    private final CapacityHistory capacity;
    private List<dev.slogate.probe.ProbeResult> probes = List.of();

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
    public SloEvaluator withProbes(List<dev.slogate.probe.ProbeResult> results) {
        this.probes = List.copyOf(results);
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
        Run run = new Run(windows, client, faults);
        for (SloDef slo : slos) {
            evaluate(slo, run);
        }
        return new Evaluation(run.results, run.recoveries);
    }

    private void evaluate(SloDef slo, Run run) {
        List<String> names = slo.windows().isEmpty() ? List.of(Windows.RUN) : slo.windows();
        String source = sourceOf(slo);
        List<String> unknown = Windows.unknown(names, run.windows);
        for (String name : unknown) {
            run.results.add(noData(slo, name, source, objective(slo), "window " + name + " did not occur in this run"
                    + (name.contains(":") ? " (was its fault injected?)" : "")));
        }
        List<Window> resolved = Windows.resolve(names.stream().filter(n -> !unknown.contains(n)).toList(), run.windows);
        if (resolved.isEmpty() && unknown.isEmpty()) {
            String asked = String.join(", ", names);
            run.results.add(noData(slo, asked, source, objective(slo), "no window of this run matches " + asked + " (no fault was injected)"));
        }
        for (Window w : resolved) {
            if (w.cut() != null) { // the fault did not last as scheduled: what the window holds is not what was asked
                run.results.add(noData(slo, w.name(), source, objective(slo), w.cut() + "; " + w.name()
                        + " did not run as scheduled, so it is not judged"));
                continue;
            }
            SloDef.Indicator i = slo.indicator();
            if (slo.slices() != null && (i instanceof Latency || i instanceof Ratio || i instanceof Threshold)) {
                run.results.add(timeSliced(slo, w, run));
            } else if (i instanceof Latency l) {
                latency(slo, l, w, run);
            } else if (i instanceof Ratio r) {
                run.results.add(r.source() == Source.PROMETHEUS ? prometheusRatio(slo, r, w, run) : clientRatio(slo, r, w, run));
            } else if (i instanceof Threshold t) {
                run.results.add(threshold(slo, t, w, run));
            } else if (i instanceof Rto r) {
                run.results.add(rto(slo, r, w, run));
            } else if (i instanceof SloDef.Scaling s) {
                run.results.add(ScalingResponse.judge(slo, s, w, run.perSecond, run.windows, capacity));
            } else if (i instanceof SloDef.Rpo r) {
                run.results.add(RpoJudge.judge(slo, r, w, probes));
            }
        }
    }

    // ---- latency

    private void latency(SloDef slo, Latency l, Window w, Run run) {
        String label = Units.percentile(l.percentile()) + " latency";
        ClientTally tally = run.tally(w);
        SloResult client = tally.latency().getTotalCount() == 0
                ? noData(slo, w.name(), CLIENT, objective(slo), "no request got an answer in " + w.name() + " (client)")
                : judge(slo, w, CLIENT, tally.latencySeconds(l.percentile()), "s", label, Units::latency, "");
        if (l.histogram() == null || l.histogram().isBlank()) {
            run.results.add(client);
            return;
        }
        String query = "histogram_quantile(" + Units.number(l.percentile() / 100) + ", sum by (le) (increase("
                + l.histogram().strip() + "_bucket" + braces(l.selector()) + "[" + seconds(w) + "s])))";
        SloResult server = prometheusReading(slo, w, query, true, run,
                value -> judge(slo, w, PROMETHEUS, value, "s", label, Units::latency, ""),
                "no request was observed in " + l.histogram().strip() + " during " + w.name() + ": ");
        if (client.measured() != null && server.measured() != null && disagree(client.measured(), server.measured())) {
            client = new SloResult(client.slo(), client.window(), client.source(), client.objective(), client.measured(),
                    client.unit(), client.verdict(), client.message() + "; server-side " + label + " is "
                    + Units.latency(server.measured()) + ", more than " + Units.number(DISAGREEMENT_FACTOR)
                    + "x apart: check the histogram's buckets, or what the client waits for that the server does not measure (queueing, network, connection setup)");
        }
        run.results.add(client);
        run.results.add(server);
    }

    static boolean disagree(double a, double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        return hi - lo > DISAGREEMENT_SECONDS && (lo <= 0 || hi / lo > DISAGREEMENT_FACTOR);
    }

    // ---- ratios

    private SloResult clientRatio(SloDef slo, Ratio r, Window w, Run run) {
        ClientTally t = run.tally(w);
        if (t.completed() == 0) {
            return noData(slo, w.name(), CLIENT, objective(slo), "no request completed in " + w.name() + " (client)");
        }
        double measured = r.measuresGood() ? (double) t.ok() / t.completed() : t.errorRate();
        String counts = r.measuresGood() ? "; " + t.ok() + " of " + t.completed() + " requests succeeded"
                : "; " + t.failed() + " of " + t.completed() + " requests failed";
        return judge(slo, w, CLIENT, measured, "ratio", ratioLabel(r), Units::percent, counts);
    }

    private SloResult prometheusRatio(SloDef slo, Ratio r, Window w, Run run) {
        String part = r.measuresGood() ? r.good() : r.bad();
        if (part == null || (r.total() == null && (r.good() == null || r.bad() == null))) {
            return noData(slo, w.name(), PROMETHEUS, objective(slo), "a Prometheus ratio needs a good or bad query and a total query");
        }
        String problem = prometheusProblem(w, r.counter() || mentionsWindow(part, r.total()), run);
        if (problem != null) {
            return noData(slo, w.name(), PROMETHEUS, objective(slo), problem);
        }
        Reading num = run.read(ratioQuery(part, r.counter(), w), w, !r.counter(), "");
        if (num.problem() != null) {
            return noData(slo, w.name(), PROMETHEUS, objective(slo), num.problem());
        }
        double total;
        String totalQuery;
        if (r.total() != null) {
            totalQuery = ratioQuery(r.total(), r.counter(), w);
            Reading den = run.read(totalQuery, w, !r.counter(), "");
            if (den.problem() != null) {
                return noData(slo, w.name(), PROMETHEUS, objective(slo), den.problem());
            }
            total = den.value();
        } else {
            totalQuery = ratioQuery(r.bad(), r.counter(), w);
            Reading other = run.read(totalQuery, w, !r.counter(), "");
            if (other.problem() != null) {
                return noData(slo, w.name(), PROMETHEUS, objective(slo), other.problem());
            }
            total = num.value() + other.value();
        }
        if (!(total > 0)) {
            return noData(slo, w.name(), PROMETHEUS, objective(slo), "no events in " + w.name() + ": '" + totalQuery + "' is "
                    + Units.number(total) + " at its end");
        }
        String counts = "; " + Units.number(num.value()) + " of " + Units.number(total) + " events";
        return judge(slo, w, PROMETHEUS, num.value() / total, "ratio", ratioLabel(r), Units::percent, counts);
    }

    /**
     * The query read for one side of a ratio. A counter is increased over the window; increase() takes a range of a
     * selector, so anything but a plain selector is turned into a 1 s subquery first.
     */
    static String ratioQuery(String query, boolean counter, Window w) {
        String q = query.strip();
        if (!counter) {
            return withWindow(q, w);
        }
        String range = isPlainSelector(q) ? q + "[" + seconds(w) + "s]" : "(" + q + ")[" + seconds(w) + "s:1s]";
        return "sum(increase(" + range + "))";
    }

    static boolean isPlainSelector(String query) {
        return PLAIN_SELECTOR.matcher(query).matches();
    }

    private static String ratioLabel(Ratio r) {
        return r.measuresGood() ? "availability" : "error rate";
    }

    // ---- threshold

    private SloResult threshold(SloDef slo, Threshold t, Window w, Run run) {
        return prometheusReading(slo, w, withWindow(t.query().strip(), w), mentionsWindow(t.query()), run,
                value -> judge(slo, w, PROMETHEUS, value, "", slo.name(), Units::number, ""), "");
    }

    // ---- time slices

    /** The slices of {@code w}: {@code length} each from its start; a last part of at least {@code minTail} ms is a slice of its own. */
    static List<Window> slices(Window w, java.time.Duration length, long minTail) {
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

    /** Each slice's value (NaN: no data in it), or why none could be read. */
    private record SliceValues(double[] values, String problem) {
    }

    /**
     * A time-sliced SLO over one window: the indicator in each slice, client side from the per-second timeline, server
     * side from one Prometheus range query over the full slices (and an instant query for a shorter last one).
     */
    private SloResult timeSliced(SloDef slo, Window w, Run run) {
        SloDef.TimeSlices ts = slo.slices();
        String source = sourceOf(slo);
        boolean client = source.equals(CLIENT);
        List<Window> slices = slices(w, ts.length(), client ? 1000 : MIN_PROMETHEUS_WINDOW_MILLIS);
        SliceValues sv = client ? clientSlices(slo, w, slices, run) : prometheusSlices(slo, slices, run);
        if (sv.problem() != null) {
            return noData(slo, w.name(), source, objective(slo), sv.problem());
        }
        double[] v = sv.values();
        int missing = (int) java.util.Arrays.stream(v).filter(Double::isNaN).count();
        String of = v.length + (v.length == 1 ? " slice" : " slices") + " of " + sliceLength(ts);
        if (missing == v.length) {
            return noData(slo, w.name(), source, objective(slo), "no slice of " + w.name() + " had data (" + of + ")");
        }
        String label = sliceLabel(slo);
        DoubleFunction<String> format = sliceFormat(slo);
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
        double worst = slo.op() == dev.slogate.experiment.Op.LT || slo.op() == dev.slogate.experiment.Op.LTE ? 1 : 0;
        double sum = 0;
        for (double x : v) {
            sum += Double.isNaN(x) ? worst : x;
        }
        return judge(slo, w, source, sum / v.length, "ratio", "average " + label + " of " + of, Units::percent,
                (missing > 0 ? "; " + missing + " without data, counted as " + Units.percent(worst) : "") + left);
    }

    private static String sliceLength(SloDef.TimeSlices ts) {
        return dev.slogate.experiment.Durations.format(ts.length());
    }

    private static String sliceLabel(SloDef slo) {
        SloDef.Indicator i = slo.indicator();
        return i instanceof Latency l ? Units.percentile(l.percentile()) + " latency" : i instanceof Ratio r ? ratioLabel(r) : "value";
    }

    private static DoubleFunction<String> sliceFormat(SloDef slo) {
        return slo.indicator() instanceof Latency ? Units::latency : slo.indicator() instanceof Ratio ? Units::percent : Units::number;
    }

    private SliceValues clientSlices(SloDef slo, Window w, List<Window> slices, Run run) {
        List<List<ClientTally>> per = new ArrayList<>();
        slices.forEach(x -> per.add(new ArrayList<>()));
        long[] range = run.seconds(w);
        for (Map.Entry<Long, ClientTally> e : range[0] > range[1] ? Map.<Long, ClientTally>of().entrySet()
                : run.perSecond.subMap(range[0], true, range[1], true).entrySet()) {
            long startMillis = e.getKey() * 1000;
            int k = 0;
            while (k < slices.size() - 1 && startMillis >= slices.get(k).endMillis()) {
                k++;
            }
            per.get(k).add(e.getValue());
        }
        double[] values = new double[slices.size()];
        for (int k = 0; k < values.length; k++) {
            ClientTally t = ClientTally.sum(per.get(k));
            if (slo.indicator() instanceof Latency l) {
                values[k] = t.latency().getTotalCount() == 0 ? Double.NaN : t.latencySeconds(l.percentile());
            } else if (slo.indicator() instanceof Ratio r) {
                values[k] = t.completed() == 0 ? Double.NaN : r.measuresGood() ? (double) t.ok() / t.completed() : t.errorRate();
            } else {
                return new SliceValues(null, "a client-side indicator of this kind cannot be judged in time slices");
            }
        }
        return new SliceValues(values, null);
    }

    private SliceValues prometheusSlices(SloDef slo, List<Window> slices, Run run) {
        String problem = prometheusProblem(slices.get(0), true, run);
        if (problem != null) {
            return new SliceValues(null, problem);
        }
        if (slo.indicator() instanceof Threshold t) {
            return sliceReadings(slices, sw -> withWindow(t.query().strip(), sw), run, true);
        }
        Ratio r = (Ratio) slo.indicator();
        if (r.total() == null) {
            return new SliceValues(null, "a ratio judged in time slices needs a total query");
        }
        String part = r.measuresGood() ? r.good() : r.bad();
        SliceValues num = sliceReadings(slices, sw -> ratioQuery(part, r.counter(), sw), run, !r.counter());
        if (num.problem() != null) {
            return num;
        }
        SliceValues den = sliceReadings(slices, sw -> ratioQuery(r.total(), r.counter(), sw), run, !r.counter());
        if (den.problem() != null) {
            return den;
        }
        double[] values = new double[slices.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = den.values()[k] > 0 ? num.values()[k] / den.values()[k] : Double.NaN;
        }
        return new SliceValues(values, null);
    }

    /**
     * One query per slice length, read at each slice's end: a range query over the full slices, an instant query for a
     * shorter last one. A slice without a sample is NaN.
     */
    private SliceValues sliceReadings(List<Window> slices, java.util.function.Function<Window, String> queryFor, Run run, boolean single) {
        double[] values = new double[slices.size()];
        java.util.Arrays.fill(values, Double.NaN);
        Window first = slices.get(0);
        long len = first.lengthMillis();
        int full = (int) slices.stream().filter(x -> x.lengthMillis() == len).count();
        String query = queryFor.apply(first);
        RangeResult range;
        try {
            range = full == 1 ? null : prometheus.queryRange(query, Instant.ofEpochMilli(first.endMillis()),
                    Instant.ofEpochMilli(slices.get(full - 1).endMillis()), java.time.Duration.ofMillis(len));
        } catch (PrometheusException e) {
            return new SliceValues(null, run.failed(e));
        }
        if (range == null) {
            Reading one = run.read(query, first, single, "");
            values[0] = one.problem() == null ? one.value() : Double.NaN;
            if (one.problem() != null && run.prometheusDown != null) {
                return new SliceValues(null, one.problem());
            }
        } else {
            if (single && range.series().size() > 1) {
                return new SliceValues(null, "'" + query + "' returned " + range.series().size() + " series; aggregate it (sum(...), max(...)) so it yields one number");
            }
            TreeMap<Long, Double> byTime = new TreeMap<>();
            for (RangeResult.Series series : range.series()) {
                series.points().forEach(p -> byTime.merge(p.epochMillis(), p.value(), Double::sum));
            }
            for (int k = 0; k < full; k++) {
                long at = slices.get(k).endMillis();
                Map.Entry<Long, Double> e = byTime.floorEntry(at + 500);
                values[k] = e != null && e.getKey() >= at - 500 ? e.getValue() : Double.NaN;
            }
        }
        for (int k = full; k < slices.size(); k++) { // the shorter last slice
            Reading tail = run.read(queryFor.apply(slices.get(k)), slices.get(k), single, "");
            values[k] = tail.problem() == null ? tail.value() : Double.NaN;
        }
        return new SliceValues(values, null);
    }

    // ---- recovery time

    private SloResult rto(SloDef slo, Rto rto, Window w, Run run) {
        String fault = Windows.faultOf(w.name());
        FaultSpan span = fault == null ? null : run.faults.get(fault);
        if (span == null) {
            return noData(slo, w.name(), CLIENT, objective(slo), "RTO is measured per fault; " + w.name() + " is not the window of an injected fault");
        }
        RecoveryScan.Outcome o = RecoveryScan.scan(rto, span.injectedMillis(), run.observedUntil(), run.perSecond);
        if (!o.observed()) {
            return noData(slo, w.name(), CLIENT, objective(slo), "no request completed after " + fault + " was injected (client)");
        }
        run.recoveries.add(new Recovery(slo.name(), fault, span.injectedMillis(), o.recoveredMillis()));
        String criteria = "error rate <= " + Units.percent(rto.maxErrorRate())
                + (rto.maxLatencySeconds() > 0 && !Double.isInfinite(rto.maxLatencySeconds())
                ? " and " + Units.percentile(rto.latencyPercentile()) + " < " + Units.latency(rto.maxLatencySeconds()) : "")
                + " over " + Units.seconds(Math.max(1, Math.round(rto.evaluationWindowSeconds())));
        if (o.recoveredMillis() == null) {
            String message = "never recovered within " + Units.seconds(o.observedSeconds()) + " after " + fault
                    + " (client): " + criteria + " did not hold for " + Units.seconds(o.stableSeconds()) + " before the run ended"
                    + (o.healthyAtEnd() > 0 ? " (it had held for the last " + Units.seconds(o.healthyAtEnd()) + ")" : "")
                    + "; measured is the time observed so far, a lower bound of the RTO";
            return new SloResult(slo.name(), w.name(), CLIENT, objective(slo), o.observedSeconds(), "s", Verdict.FAIL, message);
        }
        double seconds = (o.recoveredMillis() - span.injectedMillis()) / 1000.0;
        String how = seconds == 0 ? "; the service stayed within " + criteria
                : "; back within " + criteria + " at +" + Units.seconds(seconds) + " and stable for " + Units.seconds(o.stableSeconds());
        boolean pass = slo.op().holds(seconds, slo.target());
        String message = "RTO " + Units.seconds(seconds) + " " + Units.relation(seconds, slo.target()) + " " + Units.seconds(slo.target())
                + " after " + fault + " (client)" + how;
        return new SloResult(slo.name(), w.name(), CLIENT, objective(slo), seconds, "s", pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    // ---- Prometheus readings

    private SloResult prometheusReading(SloDef slo, Window w, String query, boolean needsRange, Run run,
                                        DoubleFunction<SloResult> judgeValue, String whenNaN) {
        String problem = prometheusProblem(w, needsRange, run);
        if (problem != null) {
            return noData(slo, w.name(), PROMETHEUS, objective(slo), problem);
        }
        Reading reading = run.read(query, w, true, whenNaN);
        return reading.problem() != null ? noData(slo, w.name(), PROMETHEUS, objective(slo), reading.problem())
                : judgeValue.apply(reading.value());
    }

    private String prometheusProblem(Window w, boolean needsRange, Run run) {
        if (prometheus == null) {
            return "no Prometheus to read from; set target.prometheus (or use the sandbox, which runs one)";
        }
        if (needsRange && w.lengthMillis() < MIN_PROMETHEUS_WINDOW_MILLIS) {
            return w.name() + " lasted " + Units.seconds(w.lengthMillis() / 1000.0) + "; Prometheus scrapes every second, so a window under "
                    + Units.seconds(MIN_PROMETHEUS_WINDOW_MILLIS / 1000.0) + " cannot be judged from it";
        }
        return run.prometheusDown;
    }

    private record Reading(double value, String problem) {
    }

    // ---- shared helpers

    private static SloResult judge(SloDef slo, Window w, String source, double measured, String unit, String label,
                                   DoubleFunction<String> format, String suffix) {
        if (Double.isNaN(measured)) {
            return noData(slo, w.name(), source, objective(slo), label + " is NaN in " + w.name() + " (" + source + ")");
        }
        boolean pass = slo.op().holds(measured, slo.target());
        String message = label + " " + format.apply(measured) + " " + Units.relation(measured, slo.target()) + " "
                + format.apply(slo.target()) + " in " + w.name() + " (" + source + ")" + suffix;
        return new SloResult(slo.name(), w.name(), source, objective(slo), measured, unit, pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    private static SloResult noData(SloDef slo, String window, String source, String objective, String why) {
        return new SloResult(slo.name(), window, source, objective, null, null, Verdict.NO_DATA, "no data: " + why);
    }

    /**
     * The objective as a person writes it: "p95 < 200 ms", "error rate < 1 %", "RTO <= 20 s"; in time slices
     * "availability >= 95 % in >= 99.5 % of 1m slices" or "average availability >= 99 % over 1m slices".
     */
    public static String objective(SloDef slo) {
        SloDef.TimeSlices ts = slo.slices();
        if (ts == null) {
            return wholeWindowObjective(slo);
        }
        return ts.goodShare() == null ? "average " + wholeWindowObjective(slo) + " over " + sliceLength(ts) + " slices"
                : wholeWindowObjective(slo) + " in >= " + Units.percent(ts.goodShare()) + " of " + sliceLength(ts) + " slices";
    }

    private static String wholeWindowObjective(SloDef slo) {
        String op = slo.op().symbol();
        SloDef.Indicator i = slo.indicator();
        if (i instanceof Latency l) {
            return Units.percentile(l.percentile()) + " " + op + " " + Units.latency(slo.target());
        }
        if (i instanceof Ratio r) {
            return ratioLabel(r) + " " + op + " " + Units.percent(slo.target());
        }
        if (i instanceof Rto) {
            return "RTO " + op + " " + Units.seconds(slo.target());
        }
        if (i instanceof SloDef.Scaling s) {
            return "scaling response" + (s.measureCapacity() ? " (capacity) " : " ") + op + " " + Units.seconds(slo.target());
        }
        if (i instanceof SloDef.Rpo) {
            return RpoJudge.objective(slo);
        }
        return "value " + op + " " + Units.number(slo.target());
    }

    private static String sourceOf(SloDef slo) {
        if (slo.indicator() instanceof Ratio r) {
            return r.source() == Source.PROMETHEUS ? PROMETHEUS : CLIENT;
        }
        if (slo.indicator() instanceof SloDef.Rpo) {
            return RpoJudge.SOURCE;
        }
        return slo.indicator() instanceof Threshold ? PROMETHEUS : CLIENT;
    }

    private static String braces(String selector) {
        if (selector == null || selector.isBlank()) {
            return "";
        }
        String s = selector.strip();
        return s.startsWith("{") ? s : "{" + s + "}";
    }

    private static long seconds(Window w) {
        return Math.max(1, Math.round(w.lengthMillis() / 1000.0));
    }

    private static String withWindow(String query, Window w) {
        return query.replace("$window", seconds(w) + "s");
    }

    private static boolean mentionsWindow(String... queries) {
        for (String q : queries) {
            if (q != null && q.contains("$window")) {
                return true;
            }
        }
        return false;
    }

    /** What one evaluation works on, and what it has found so far. */
    private final class Run {
        final List<Window> windows;
        final Map<String, FaultSpan> faults;
        final NavigableMap<Long, ClientTally> perSecond = new TreeMap<>();
        final List<SloResult> results = new ArrayList<>();
        final List<Recovery> recoveries = new ArrayList<>();
        /** Once Prometheus is unreachable or refuses us, every later reading says so instead of waiting again. */
        String prometheusDown;

        Run(List<Window> windows, List<ClientSecond> client, List<FaultSpan> faults) {
            this.windows = List.copyOf(windows);
            this.faults = faults.stream().collect(Collectors.toMap(FaultSpan::name, f -> f, (a, b) -> a));
            Map<Long, List<ClientSecond>> bySecond = client.stream().collect(Collectors.groupingBy(ClientSecond::epochSecond));
            bySecond.forEach((second, list) -> perSecond.put(second, ClientTally.of(list)));
        }

        /**
         * The client seconds of a window, added up. A fault window (and the whole run) takes every second it touches, so
         * the errors of the injection's own second count against the fault; the healthy windows ({@code steady},
         * {@code recovery:*}) take only seconds wholly inside them, so a fault never leaks into their figures.
         */
        ClientTally tally(Window w) {
            long[] r = seconds(w);
            return r[0] > r[1] ? ClientTally.sum(List.of()) : ClientTally.sum(perSecond.subMap(r[0], true, r[1], true).values());
        }

        /** The first and last client second of a window (first > last when it has none), by the rule of {@link #tally}. */
        long[] seconds(Window w) {
            boolean touching = w.name().startsWith(Windows.FAULT_PREFIX) || w.name().equals(Windows.RUN);
            long from = touching ? Math.floorDiv(w.startMillis(), 1000) : Math.floorDiv(w.startMillis() + 999, 1000);
            long to = touching ? Math.floorDiv(w.endMillis() - 1, 1000) : Math.floorDiv(w.endMillis(), 1000) - 1;
            return new long[] {from, to};
        }

        /** The reason a query failed; once Prometheus is unreachable or refuses us, later readings say so at once. */
        String failed(PrometheusException e) {
            switch (e.kind()) {
                case UNREACHABLE, TIMEOUT, UNAUTHORIZED -> prometheusDown = e.getMessage();
                default -> {
                }
            }
            return e.getMessage();
        }

        long observedUntil() {
            return windows.stream().filter(w -> w.name().equals(Windows.RUN)).mapToLong(Window::endMillis).findFirst()
                    .orElseGet(() -> perSecond.isEmpty() ? 0 : (perSecond.lastKey() + 1) * 1000);
        }

        /** The query's one number at the window's end, or why there is none ({@code whenNaN} prefixes the NaN case). */
        Reading read(String query, Window w, boolean single, String whenNaN) {
            if (prometheusDown != null) {
                return new Reading(Double.NaN, prometheusDown);
            }
            QueryResult r;
            try {
                r = prometheus.query(query, Instant.ofEpochMilli(w.endMillis()));
            } catch (PrometheusException e) {
                return new Reading(Double.NaN, failed(e));
            }
            if (r.isEmpty()) {
                return new Reading(Double.NaN, "Prometheus returned nothing for '" + query + "' at the end of " + w.name()
                        + "; is the metric scraped? (a counter that appears only with its first event can be written 'x or vector(0)')");
            }
            if (single && r.samples().size() > 1) {
                return new Reading(Double.NaN, "'" + query + "' returned " + r.samples().size()
                        + " series; aggregate it (sum(...), max(...)) so it yields one number");
            }
            double value = r.samples().stream().mapToDouble(QueryResult.Sample::value).sum();
            if (Double.isNaN(value)) {
                return new Reading(value, whenNaN + "'" + query + "' is NaN at the end of " + w.name());
            }
            return new Reading(value, null);
        }
    }
}
