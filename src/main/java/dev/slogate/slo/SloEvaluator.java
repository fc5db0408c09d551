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
            if (i instanceof Latency l) {
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

    /** The objective as a person writes it: "p95 < 200 ms", "error rate < 1 %", "RTO <= 20 s". */
    public static String objective(SloDef slo) {
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
            boolean touching = w.name().startsWith(Windows.FAULT_PREFIX) || w.name().equals(Windows.RUN);
            long from = touching ? Math.floorDiv(w.startMillis(), 1000) : Math.floorDiv(w.startMillis() + 999, 1000);
            long to = touching ? Math.floorDiv(w.endMillis() - 1, 1000) : Math.floorDiv(w.endMillis(), 1000) - 1;
            return from > to ? ClientTally.sum(List.of()) : ClientTally.sum(perSecond.subMap(from, true, to, true).values());
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
                switch (e.kind()) {
                    case UNREACHABLE, TIMEOUT, UNAUTHORIZED -> prometheusDown = e.getMessage();
                    default -> {
                    }
                }
                return new Reading(Double.NaN, e.getMessage());
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
