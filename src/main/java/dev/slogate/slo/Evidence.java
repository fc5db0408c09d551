package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Traffic;
import dev.slogate.load.ClientSecond;
import dev.slogate.probe.ProbeResult;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one evaluation of a finished run works on, offered to the {@link Objective}s that judge it: the client's
 * per-second tallies, Prometheus, the write probes' results, the capacity history and the faults' spans; and what it
 * has found so far (results, recoveries).
 */
public final class Evidence {
    public static final String CLIENT = "client";
    public static final String PROMETHEUS = "prometheus";

    private final PrometheusClient prometheus;
    private final CapacityHistory capacity;
    private final List<ProbeResult> probes;
    private final List<Window> windows;
    private final Map<String, FaultSpan> faults;
    private final NavigableMap<Long, ClientTally> perSecond = new TreeMap<>();
    /** The seconds themselves, for objectives that select requests by name. */
    private final NavigableMap<Long, List<ClientSecond>> seconds = new TreeMap<>();
    private final List<SloResult> results = new ArrayList<>();
    private final List<Recovery> recoveries = new ArrayList<>();
    private final Baselines baselines;
    /** Each baseline named by an objective, read once per evaluation. */
    private final Map<String, Baseline> baselineRuns = new HashMap<>();
    /** Once Prometheus is unreachable or refuses us, every later reading says so instead of waiting again. */
    private String prometheusDown;

    Evidence(PrometheusClient prometheus, CapacityHistory capacity, List<ProbeResult> probes, List<Window> windows,
             List<ClientSecond> client, List<FaultSpan> faults, Baselines baselines) {
        this.baselines = baselines;
        this.prometheus = prometheus;
        this.capacity = capacity;
        this.probes = List.copyOf(probes);
        this.windows = List.copyOf(windows);
        this.faults = faults.stream().collect(Collectors.toMap(FaultSpan::name, f -> f, (a, b) -> a));
        Map<Long, List<ClientSecond>> bySecond = client.stream().collect(Collectors.groupingBy(ClientSecond::epochSecond));
        bySecond.forEach((second, list) -> perSecond.put(second, ClientTally.of(list)));
        seconds.putAll(bySecond);
    }

    /**
     * The client's side of a run only (no Prometheus, probes or baselines): what a comparison of two reports measures
     * its windows with, by the same rules as the judging.
     */
    public static Evidence clientOnly(List<Window> windows, List<ClientSecond> client, List<FaultSpan> faults) {
        return new Evidence(null, CapacityHistory.unknown("a report keeps no capacity history"), List.of(), windows, client,
                faults, Baselines.NONE);
    }

    // ---- what a judge reads

    /** An earlier run, as objectives with a baseline read it: its evidence (client side only) or why there is none. */
    public record Baseline(String runId, Evidence evidence, String problem) {
        /** Its window named {@code name}, or null. */
        public Window window(String name) {
            return evidence == null ? null : evidence.windows.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
        }
    }

    /** The earlier run {@code ref} names, read on first use and kept for the rest of the evaluation. */
    public Baseline baseline(String ref) {
        return baselineRuns.computeIfAbsent(ref, r -> {
            try {
                BaselineRun b = baselines.load(r);
                return new Baseline(b.runId(), clientOnly(b.windows(), b.client(), b.faults()), null);
            } catch (IOException | RuntimeException e) {
                return new Baseline(r, null, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            }
        });
    }

    /** Every window of the run. */
    public List<Window> windows() {
        return windows;
    }

    /** The span of a fault injected in this run, or null. */
    public FaultSpan fault(String name) {
        return name == null ? null : faults.get(name);
    }

    /** The client's tally of every second, by epoch second. */
    public NavigableMap<Long, ClientTally> perSecond() {
        return perSecond;
    }

    List<ProbeResult> probes() {
        return probes;
    }

    CapacityHistory capacity() {
        return capacity;
    }

    /**
     * The client seconds of a window, added up. A fault window (and the whole run) takes every second it touches, so
     * the errors of the injection's own second count against the fault; the healthy windows ({@code steady},
     * {@code recovery:*}) take only seconds wholly inside them, so a fault never leaks into their figures.
     */
    public ClientTally tally(Window w) {
        long[] r = clientSeconds(w);
        return r[0] > r[1] ? ClientTally.sum(List.of()) : ClientTally.sum(perSecond.subMap(r[0], true, r[1], true).values());
    }

    /** The requests {@code traffic} selects in a window (all of them when it is null), by the rule of {@link #tally(Window)}. */
    public ClientTally tally(Window w, Traffic traffic) {
        if (traffic == null) {
            return tally(w);
        }
        long[] r = clientSeconds(w);
        if (r[0] > r[1]) {
            return ClientTally.sum(List.of());
        }
        List<ClientSecond> in = new ArrayList<>();
        seconds.subMap(r[0], true, r[1], true).values().forEach(in::addAll);
        return ClientTally.of(in, traffic);
    }

    /** The first and last client second of a window (first > last when it has none), by the rule of {@link #tally}. */
    long[] clientSeconds(Window w) {
        boolean touching = w.name().startsWith(Windows.FAULT_PREFIX) || w.name().equals(Windows.RUN);
        long from = touching ? Math.floorDiv(w.startMillis(), 1000) : Math.floorDiv(w.startMillis() + 999, 1000);
        long to = touching ? Math.floorDiv(w.endMillis() - 1, 1000) : Math.floorDiv(w.endMillis(), 1000) - 1;
        return new long[] {from, to};
    }

    /** The end of what the client observed: the end of the run window, else of the last second. */
    public long observedUntil() {
        return windows.stream().filter(w -> w.name().equals(Windows.RUN)).mapToLong(Window::endMillis).findFirst()
                .orElseGet(() -> perSecond.isEmpty() ? 0 : (perSecond.lastKey() + 1) * 1000);
    }

    // ---- what a judge finds

    public void add(SloResult result) {
        results.add(result);
    }

    /** When the service was back after a fault, for a RECOVERED event on the timeline. */
    public void recovered(Recovery recovery) {
        recoveries.add(recovery);
    }

    List<SloResult> results() {
        return results;
    }

    List<Recovery> recoveries() {
        return recoveries;
    }

    // ---- results

    /** The SLO's verdict on {@code measured}: "label 312 ms > 200 ms in window (source)suffix"; NaN is no data. */
    public static SloResult judge(SloDef slo, Window w, String source, double measured, String unit, String label,
                                  DoubleFunction<String> format, String suffix) {
        if (Double.isNaN(measured)) {
            return noData(slo, w.name(), source, label + " is NaN in " + w.name() + " (" + source + ")");
        }
        boolean pass = slo.op().holds(measured, slo.target());
        String message = label + " " + format.apply(measured) + " " + Units.relation(measured, slo.target()) + " "
                + format.apply(slo.target()) + " in " + w.name() + " (" + source + ")" + suffix;
        return new SloResult(slo.name(), w.name(), source, SloEvaluator.objective(slo), measured, unit, pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    /** A NO_DATA result: "no data: why". */
    public static SloResult noData(SloDef slo, String window, String source, String why) {
        return new SloResult(slo.name(), window, source, SloEvaluator.objective(slo), null, null, Verdict.NO_DATA, "no data: " + why);
    }

    // ---- Prometheus readings

    /** The query's one number at the window's end, or why there is none ({@code whenNaN} prefixes the NaN case). */
    public record Reading(double value, String problem) {
    }

    /** Reads a query at a window's end and judges its value, or says why it cannot. */
    public SloResult prometheusReading(SloDef slo, Window w, String query, boolean needsRange, DoubleFunction<SloResult> judgeValue, String whenNaN) {
        String problem = prometheusProblem(w, needsRange);
        if (problem != null) {
            return noData(slo, w.name(), PROMETHEUS, problem);
        }
        Reading reading = read(query, w, true, whenNaN);
        return reading.problem() != null ? noData(slo, w.name(), PROMETHEUS, reading.problem()) : judgeValue.apply(reading.value());
    }

    /** Why Prometheus cannot judge this window (none, too short for a range, unreachable), or null. */
    public String prometheusProblem(Window w, boolean needsRange) {
        if (prometheus == null) {
            return "no Prometheus to read from; set target.prometheus (or use the sandbox, which runs one)";
        }
        if (needsRange && w.lengthMillis() < SloEvaluator.MIN_PROMETHEUS_WINDOW_MILLIS) {
            return w.name() + " lasted " + Units.seconds(w.lengthMillis() / 1000.0) + "; Prometheus scrapes every second, so a window under "
                    + Units.seconds(SloEvaluator.MIN_PROMETHEUS_WINDOW_MILLIS / 1000.0) + " cannot be judged from it";
        }
        return prometheusDown;
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

    /** The query's one number at the window's end ({@code single}: one series only; else they are added up). */
    public Reading read(String query, Window w, boolean single, String whenNaN) {
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

    // ---- time slices

    /** Each slice's value (NaN: no data in it), or why none could be read. */
    public record SliceValues(double[] values, String problem) {
    }

    /**
     * One query per slice length, read at each slice's end: a range query over the full slices, an instant query for a
     * shorter last one. A slice without a sample is NaN.
     */
    public SliceValues sliceReadings(List<Window> slices, Function<Window, String> queryFor, boolean single) {
        double[] values = new double[slices.size()];
        Arrays.fill(values, Double.NaN);
        Window first = slices.get(0);
        long len = first.lengthMillis();
        int full = (int) slices.stream().filter(x -> x.lengthMillis() == len).count();
        String query = queryFor.apply(first);
        RangeResult range;
        try {
            range = full == 1 ? null : prometheus.queryRange(query, Instant.ofEpochMilli(first.endMillis()),
                    Instant.ofEpochMilli(slices.get(full - 1).endMillis()), Duration.ofMillis(len));
        } catch (PrometheusException e) {
            return new SliceValues(null, failed(e));
        }
        if (range == null) {
            Reading one = read(query, first, single, "");
            values[0] = one.problem() == null ? one.value() : Double.NaN;
            if (one.problem() != null && prometheusDown != null) {
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
            Reading tail = read(queryFor.apply(slices.get(k)), slices.get(k), single, "");
            values[k] = tail.problem() == null ? tail.value() : Double.NaN;
        }
        return new SliceValues(values, null);
    }

    // ---- PromQL text

    /** The window's length in whole seconds (at least 1), as {@code $window} and range selectors use it. */
    public static long seconds(Window w) {
        return Math.max(1, Math.round(w.lengthMillis() / 1000.0));
    }

    /** The query with {@code $window} replaced by the window's length: {@code [$window]} becomes {@code [30s]}. */
    public static String withWindow(String query, Window w) {
        return query.replace("$window", seconds(w) + "s");
    }

    static boolean mentionsWindow(String... queries) {
        for (String q : queries) {
            if (q != null && q.contains("$window")) {
                return true;
            }
        }
        return false;
    }
}
