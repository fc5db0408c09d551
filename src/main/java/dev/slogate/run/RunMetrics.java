package dev.slogate.run;

import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.load.ClientSecond;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloStatus;
import dev.slogate.timeline.Event;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run on the injector's {@code /metrics} (beside {@code slogate_client_*}), so the team's own Prometheus and
 * Grafana show the faults and the SLOs next to the service's metrics:
 * <ul>
 *   <li>{@code slogate_fault_active{fault,type,target}}: 1 while the fault is injected, 0 once reverted;</li>
 *   <li>{@code slogate_run_info{run_id,scenario}}: 1 from the load's start;</li>
 *   <li>{@code slogate_slo_status{slo,window}}: the live status of every SLO x window ({@link LiveSlos}), read at each
 *       scrape: 0 no data yet, 1 met so far, 2 at risk, 3 failed.</li>
 * </ul>
 * It serves the statuses of a {@link LiveSlos}: the run's own (which the run feeds), or one of its own fed by the same calls.
 */
public final class RunMetrics implements RunListener {
    private final LiveSlos slos;
    /** Whether this exporter feeds {@link #slos} (its own) or the run does (shared). */
    private final boolean feeds;
    private final Gauge faultActive;
    private final Info runInfo;
    /** The fault's type and targets by name, from the scenario and its injection event. */
    private final Map<String, String[]> labels = new ConcurrentHashMap<>();
    private volatile Scenario scenario;

    /** Exports into {@code registry} with a {@link LiveSlos} of its own. */
    public RunMetrics(PrometheusRegistry registry) {
        this(registry, new LiveSlos(), true);
    }

    /** Exports into {@code registry} the statuses of {@code shared}, which the run feeds (so they are computed once). */
    public RunMetrics(PrometheusRegistry registry, LiveSlos shared) {
        this(registry, shared, false);
    }

    private RunMetrics(PrometheusRegistry registry, LiveSlos slos, boolean feeds) {
        this.slos = slos;
        this.feeds = feeds;
        faultActive = Gauge.builder().name("slogate_fault_active")
                .help("1 while slogate has the fault injected, 0 once it is reverted; target: what it hit")
                .labelNames("fault", "type", "target").register(registry);
        runInfo = Info.builder().name("slogate_run_info")
                .help("The slogate run this injector serves (always 1)")
                .labelNames("run_id", "scenario").register(registry);
        GaugeWithCallback.builder().name("slogate_slo_status")
                .help("Live status of an SLO over a window: 0 no data yet (or judged only at the end), 1 met so far,"
                        + " 2 at risk, 3 failed (the window is over and missed its objective)")
                .labelNames("slo", "window")
                .callback(cb -> slos.statuses().forEach(s -> cb.call(value(s.state()), s.slo(), s.window())))
                .register(registry);
    }

    /** The number {@code slogate_slo_status} gives a state. */
    public static double value(SloStatus.State state) {
        return switch (state) {
            case NO_DATA_YET -> 0;
            case MET_SO_FAR -> 1;
            case AT_RISK -> 2;
            case FAILED -> 3;
        };
    }

    /** The SLO statuses this exporter serves. */
    public LiveSlos liveSlos() {
        return slos;
    }

    @Override
    public void started(String runId, Scenario scenario, long startMillis) {
        this.scenario = scenario;
        if (feeds) {
            slos.started(runId, scenario, startMillis);
        }
        runInfo.setLabelValues(runId, scenario.name());
    }

    @Override
    public void second(ClientSecond second) {
        if (feeds) {
            slos.second(second);
        }
    }

    @Override
    public void event(Event e) {
        if (feeds) {
            slos.event(e);
        }
        switch (e.kind()) {
            case FAULT_INJECTED -> {
                String[] l = labels.computeIfAbsent(e.subject(), name -> faultLabels(name, e.detail()));
                faultActive.labelValues(l).set(1);
            }
            case FAULT_REVERTED -> {
                String[] l = labels.get(e.subject());
                if (l != null) {
                    faultActive.labelValues(l).set(0);
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void finished(RunReport report) {
        if (feeds) {
            slos.finished(report);
        }
    }

    /** fault, type and targets: the injection event says "{@code <type><what it does> on <targets>}". */
    private String[] faultLabels(String name, String detail) {
        Scenario s = scenario;
        ScheduledFault f = s == null ? null : s.faults().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        if (f == null) {
            return new String[] {name, "", detail};
        }
        String prefix = f.fault().type() + f.fault().kind().describe(f.fault()) + " on ";
        return new String[] {name, f.fault().type().id(), detail.startsWith(prefix) ? detail.substring(prefix.length()) : detail};
    }
}
