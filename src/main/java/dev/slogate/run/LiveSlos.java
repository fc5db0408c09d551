package dev.slogate.run;

import dev.slogate.experiment.ObjectiveKind;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.SloDef;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.report.RunReport;
import dev.slogate.slo.ClientTally;
import dev.slogate.slo.Objective;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.SloStatus.State;
import dev.slogate.slo.SloStatus;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.StepSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Every SLO x window of a run while it goes on ({@link SloStatus}), for the live dashboard and the injector's
 * {@code slogate_slo_status} metric. It reads what judging reads: the final client seconds, added up exactly per window
 * ({@link ClientTally}, with the windows' own second rule: a {@code fault:} window and {@code run} take every second they
 * touch, the others only seconds wholly inside them), and the windows as the report names them, opened and closed by
 * the run's events ({@code steady} ends at the first injection, {@code fault:<name>} runs from its injection to its
 * revert, {@code recovery:<name>} up to 30 s after it, {@code step:<n>} as the load plan says).
 *
 * <p>The states, for a kind that can say live ({@link ObjectiveKind#live}: client-side latency and error rate):
 * <ul>
 *   <li>{@code NO_DATA_YET}: the window has not opened yet (its fault is not injected) or no request of it has an
 *       outcome yet;</li>
 *   <li>{@code MET_SO_FAR}: the window's seconds so far meet the objective (and, while it is open, so do its last
 *       {@value #RECENT_SECONDS} seconds);</li>
 *   <li>{@code AT_RISK}: the window is still open (or its last seconds are not final yet) and either everything so far
 *       misses the objective (it would fail if it ended now) or the last {@value #RECENT_SECONDS} seconds alone miss it
 *       (it is heading that way);</li>
 *   <li>{@code FAILED}: the window is over, every one of its seconds is final, and it misses the objective: the
 *       judging at the end will say FAIL for it (a window still open is never FAILED: more good seconds can still
 *       bring it back).</li>
 * </ul>
 * Kinds that only the end can judge (Prometheus queries, RTO, RPO, scaling response) stay {@code NO_DATA_YET}, "judged
 * at the end". An SLO judged in time slices is forecast over its whole window. Once the run is judged
 * ({@link #finished}), every status is the judging's: FAIL is FAILED, PASS is MET_SO_FAR, anything else NO_DATA_YET.
 * Thread-safe: the run's threads feed it, any thread may read {@link #statuses()}.
 */
public final class LiveSlos implements RunListener {
    static final int RECENT_SECONDS = 5;
    /** Seconds kept to re-fold a window whose bounds arrive late (an injection or revert that took its time). */
    static final int TAIL_SECONDS = 600;
    static final String JUDGED_AT_THE_END = "judged at the end";
    private static final long OPEN = Long.MAX_VALUE;

    private List<SloDef> slos = List.of();
    /** Every window the run can have, in the report's order (run, steady, fault:a, recovery:a, ..., step:n). */
    private final Map<String, LiveWindow> windows = new LinkedHashMap<>();
    private final NavigableMap<Long, ClientTally> tail = new TreeMap<>();
    private long lastSecond = Long.MIN_VALUE;
    private boolean firstInjectionSeen;
    private Map<String, List<SloResult>> judged;

    @Override
    public synchronized void started(String runId, Scenario scenario, long startMillis) {
        slos = scenario.slos();
        long plannedEnd = startMillis + scenario.duration().toMillis();
        List<FaultSpan> planned = scenario.faults().stream()
                .map(f -> new FaultSpan(f.name(), startMillis + f.at().toMillis(), startMillis + f.end().toMillis())).toList();
        List<StepSpan> steps = ScalingTimeline.steps(scenario, startMillis);
        windows.clear();
        for (Window w : Windows.of(startMillis, Math.max(startMillis, plannedEnd), planned, steps)) {
            LiveWindow live = new LiveWindow(w.name());
            windows.put(w.name(), live);
            if (w.name().equals(Windows.RUN) || w.name().equals(Windows.STEADY)) {
                open(live, startMillis, OPEN);
            } else if (w.name().startsWith(Windows.STEP_PREFIX)) {
                open(live, w.startMillis(), w.endMillis());
            }
        }
        for (ScheduledFault f : scenario.faults()) {
            windows.get(Windows.FAULT_PREFIX + f.name()).waitingFor = "fault " + f.name() + " not injected yet (planned at "
                    + seconds(f.at().toMillis()) + ")";
            windows.get(Windows.RECOVERY_PREFIX + f.name()).waitingFor = "fault " + f.name() + " not reverted yet";
        }
    }

    @Override
    public synchronized void event(Event e) {
        if (windows.isEmpty()) {
            return;
        }
        long at = e.atMillis();
        switch (e.kind()) {
            case FAULT_INJECTED -> {
                if (!firstInjectionSeen) {
                    firstInjectionSeen = true;
                    close(windows.get(Windows.STEADY), at);
                }
                // a recovery window ends at the next injection at or after its revert
                windows.values().stream().filter(w -> w.name.startsWith(Windows.RECOVERY_PREFIX) && w.opened && w.endMillis > at)
                        .forEach(w -> close(w, Math.max(at, w.startMillis)));
                LiveWindow fault = windows.get(Windows.FAULT_PREFIX + e.subject());
                if (fault != null && !fault.opened) {
                    open(fault, at, OPEN);
                }
            }
            case FAULT_REVERTED -> {
                LiveWindow fault = windows.get(Windows.FAULT_PREFIX + e.subject());
                if (fault != null && fault.opened) {
                    close(fault, Math.max(at, fault.startMillis));
                    LiveWindow recovery = windows.get(Windows.RECOVERY_PREFIX + e.subject());
                    if (recovery != null && !recovery.opened) {
                        open(recovery, fault.endMillis, fault.endMillis + Windows.RECOVERY_MILLIS);
                    }
                }
            }
            case RUN_END -> windows.values().stream().filter(w -> w.opened && w.endMillis > at)
                    .forEach(w -> close(w, Math.max(at, w.startMillis)));
            default -> {
            }
        }
    }

    @Override
    public synchronized void second(ClientSecond second) {
        long s = second.epochSecond();
        ClientTally t = ClientTally.of(List.of(second));
        tail.merge(s, t, (a, b) -> ClientTally.sum(List.of(a, b)));
        lastSecond = Math.max(lastSecond, s);
        for (LiveWindow w : windows.values()) {
            if (w.opened && s >= w.from() && s <= w.to()) {
                w.add(s, t);
            }
        }
        while (!tail.isEmpty() && tail.firstKey() <= lastSecond - TAIL_SECONDS) {
            tail.pollFirstEntry();
        }
    }

    @Override
    public synchronized void finished(RunReport report) {
        judged = report.results().stream().collect(Collectors.groupingBy(r -> r.slo() + "\n" + r.window(), LinkedHashMap::new,
                Collectors.toList()));
    }

    /** A snapshot: one status per SLO x window, in the order of the scenario's SLOs and the report's windows. */
    public synchronized List<SloStatus> statuses() {
        List<SloStatus> out = new ArrayList<>();
        List<Window> known = windows.values().stream().map(w -> new Window(w.name, 0, 0)).toList();
        for (SloDef slo : slos) {
            List<String> names = slo.windows().isEmpty() ? List.of(Windows.RUN) : slo.windows();
            List<String> unknown = Windows.unknown(names, known);
            for (String name : unknown) {
                out.add(finalOr(slo, name, new SloStatus(slo.name(), name, State.NO_DATA_YET, "window " + name + " is not in this run")));
            }
            List<Window> resolved = Windows.resolve(names.stream().filter(n -> !unknown.contains(n)).toList(), known);
            if (resolved.isEmpty() && unknown.isEmpty()) {
                String asked = String.join(", ", names);
                out.add(finalOr(slo, asked, new SloStatus(slo.name(), asked, State.NO_DATA_YET, "no window of this run matches " + asked)));
            }
            for (Window w : resolved) {
                out.add(finalOr(slo, w.name(), status(slo, windows.get(w.name()))));
            }
        }
        return List.copyOf(out);
    }

    /** The judging's word once the run is judged, else the forecast. */
    private SloStatus finalOr(SloDef slo, String window, SloStatus live) {
        List<SloResult> results = judged == null ? null : judged.get(slo.name() + "\n" + window);
        if (judged == null) {
            return live;
        }
        if (results == null || results.isEmpty()) {
            return new SloStatus(slo.name(), window, State.NO_DATA_YET, "not judged");
        }
        State state = results.stream().anyMatch(r -> r.verdict() == Verdict.FAIL) ? State.FAILED
                : results.stream().allMatch(r -> r.verdict() == Verdict.PASS) ? State.MET_SO_FAR : State.NO_DATA_YET;
        return new SloStatus(slo.name(), window, state, results.stream().map(SloResult::message).collect(Collectors.joining("; ")));
    }

    private SloStatus status(SloDef slo, LiveWindow w) {
        String window = w.name;
        ObjectiveKind kind = slo.kind();
        Formatter f = Formatter.of(slo);
        if (kind.live(slo, liveOf(new Tally())).isEmpty()) {
            return new SloStatus(slo.name(), window, State.NO_DATA_YET, JUDGED_AT_THE_END);
        }
        if (!w.opened) {
            return new SloStatus(slo.name(), window, State.NO_DATA_YET, w.waitingFor == null ? "not open yet" : w.waitingFor);
        }
        boolean over = w.endMillis != OPEN && lastSecond >= w.to();
        double measured = kind.live(slo, liveOf(w.tally)).orElse(Double.NaN);
        if (Double.isNaN(measured)) {
            return new SloStatus(slo.name(), window, State.NO_DATA_YET, "no request " + (over ? "completed in " : "completed yet in ") + window);
        }
        String sliced = slo.slices() == null ? "" : "; over the whole window so far (judged in slices at the end)";
        String detail = f.describe(measured) + sliced;
        if (slo.op().holds(measured, slo.target())) {
            if (!over) {
                double recent = kind.live(slo, liveOf(recent(w))).orElse(Double.NaN);
                if (!Double.isNaN(recent) && !slo.op().holds(recent, slo.target())) {
                    return new SloStatus(slo.name(), window, State.AT_RISK, detail + "; last " + RECENT_SECONDS + " s: " + f.value(recent));
                }
            }
            return new SloStatus(slo.name(), window, State.MET_SO_FAR, detail);
        }
        return new SloStatus(slo.name(), window, over ? State.FAILED : State.AT_RISK, detail);
    }

    /** The last few final seconds of a window. */
    private Tally recent(LiveWindow w) {
        Tally t = new Tally();
        long to = Math.min(w.to(), lastSecond);
        seconds(Math.max(w.from(), to - RECENT_SECONDS + 1), to).values().forEach(t::add);
        return t;
    }

    private void open(LiveWindow w, long start, long end) {
        w.opened = true;
        w.startMillis = start;
        w.endMillis = end;
        seconds(w.from(), Math.min(w.to(), lastSecond)).forEach(w::add);
    }

    /** The kept seconds from {@code first} to {@code last}, none when last < first. */
    private NavigableMap<Long, ClientTally> seconds(long first, long last) {
        return last < first ? new TreeMap<>() : tail.subMap(first, true, last, true);
    }

    /** Ends a window earlier than it was open to; seconds folded in beyond its new last second come out again. */
    private void close(LiveWindow w, long end) {
        if (w == null || !w.opened || end >= w.endMillis) {
            return;
        }
        w.endMillis = end;
        List<Long> beyond = w.folded.tailSet(w.to(), false).stream().toList();
        for (Long s : beyond) {
            ClientTally t = tail.get(s);
            if (t != null) {
                w.tally.subtract(t);
            }
            w.folded.remove(s);
        }
    }

    private static ObjectiveKind.Live liveOf(Tally t) {
        return new ObjectiveKind.Live() {
            @Override
            public double latencySeconds(double percentile) {
                return t.latency.getTotalCount() == 0 ? Double.NaN : t.latency.getValueAtPercentile(percentile) / 1e6;
            }

            @Override
            public double okShare() {
                return t.completed == 0 ? Double.NaN : (double) t.ok / t.completed;
            }
        };
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d s", millis / 1000);
    }

    /** One window as the run goes: its bounds once open, and its seconds added up. */
    private static final class LiveWindow {
        final String name;
        /** Fault and run windows take every second they touch; steady, recovery and step windows only whole ones. */
        final boolean touching;
        boolean opened;
        long startMillis;
        long endMillis = OPEN;
        String waitingFor;
        final Tally tally = new Tally();
        final TreeSet<Long> folded = new TreeSet<>();

        LiveWindow(String name) {
            this.name = name;
            this.touching = name.startsWith(Windows.FAULT_PREFIX) || name.equals(Windows.RUN);
        }

        /** The first client second of the window (the rule of the judging's Evidence.tally). */
        long from() {
            return touching ? Math.floorDiv(startMillis, 1000) : Math.floorDiv(startMillis + 999, 1000);
        }

        /** Its last client second; unbounded while it is open. */
        long to() {
            if (endMillis == OPEN) {
                return OPEN;
            }
            return touching ? Math.floorDiv(endMillis - 1, 1000) : Math.floorDiv(endMillis, 1000) - 1;
        }

        void add(long second, ClientTally t) {
            folded.add(second); // the same second again (another injector's part of it) adds up too
            tally.add(t);
        }
    }

    /** A {@link ClientTally} that grows and, when a window turns out shorter, shrinks. */
    private static final class Tally {
        long completed;
        long ok;
        final Histogram latency = LatencyHistograms.create();

        void add(ClientTally t) {
            completed += t.completed();
            ok += t.ok();
            latency.add(t.latency());
        }

        void subtract(ClientTally t) {
            completed -= t.completed();
            ok -= t.ok();
            latency.subtract(t.latency());
        }
    }

    /** How a kind writes its value: "p95 latency 143 ms (< 200 ms)", "error rate 2.1 % (< 1 %)". */
    private record Formatter(String label, DoubleFunction<String> format, String op, double target) {
        static Formatter of(SloDef slo) {
            Objective.Sliced s = slo.kind() instanceof Objective o ? o.sliced(slo) : null;
            return s == null ? new Formatter(slo.name(), v -> String.format(Locale.ROOT, "%.4g", v), slo.op().symbol(), slo.target())
                    : new Formatter(s.label(), s.format(), slo.op().symbol(), slo.target());
        }

        String value(double v) {
            return format.apply(v);
        }

        String describe(double measured) {
            return label + " " + value(measured) + " (" + op + " " + value(target) + ")";
        }
    }
}
