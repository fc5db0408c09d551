package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Traffic;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * {@code latency: {percentile: 95, below: 200ms}}: a latency percentile, always from the client, and also from a
 * Prometheus histogram when {@code histogram} names one. Each source is a result of its own; when both are read and they
 * disagree widely, the client's result says so. {@code latency: {percentile: 95, notWorseThan: 10%, baseline: <run>}}
 * judges it against an earlier run's same window instead, from the client only ({@link RelativeObjective}).
 */
public final class LatencyObjective implements Objective {
    @Override
    public Class<Latency> indicator() {
        return Latency.class;
    }

    @Override
    public List<String> keys() {
        return List.of("latency");
    }

    @Override
    public Reading read(ObjectiveInput block) {
        ObjectiveInput l = block.keys(List.of("percentile", "below", "histogram", "selector", RelativeObjective.NOT_WORSE_THAN,
                RelativeObjective.BASELINE));
        Traffic traffic = l.picksTraffic("selector") ? l.traffic("selector") : null;
        if (traffic != null && l.has("histogram")) {
            l.problem("selector", l.path("selector") + " picks the client's requests (" + traffic + "), but with histogram a selector"
                    + " filters the Prometheus histogram's labels", "judge the " + traffic + " in an objective of its own without histogram");
        }
        if (RelativeObjective.asked(l)) {
            Double p = l.percentile("write percentile: 95");
            SloDef.Baseline b = RelativeObjective.read(l, RelativeObjective.Allowance.SHARE_OR_TIME, "below");
            if (l.has("histogram")) {
                l.problem("histogram", "a latency against a baseline is judged from the client's histograms only, which every report keeps",
                        "remove histogram, or judge the Prometheus histogram in an objective with below");
            }
            return new Reading(p == null || b == null ? null : new Latency(p, null, null, b, traffic), Op.LTE, b == null ? null : b.allowance(), false);
        }
        Double p = l.percentile("write percentile: 95");
        Duration below = l.requireDuration("below", "write below: 200ms", false);
        String histogram = l.text("histogram", null);
        String selector = traffic != null || l.picksTraffic("selector") ? null : l.labels("selector");
        if (selector != null && histogram == null) {
            l.problem("selector", l.path("selector") + " has Prometheus labels, but there is no histogram to filter",
                    "add histogram: <metric>, or pick the client's requests: selector: {request: checkout}, {group: browse} or {journey: buyer}");
        }
        if (histogram != null && histogram.endsWith("_bucket")) {
            l.problem("histogram", l.path("histogram") + " names the metric without _bucket", "write histogram: "
                    + histogram.substring(0, histogram.length() - "_bucket".length()));
        } else if (histogram != null && p != null) {
            l.promql("histogram", "histogram_quantile(" + p / 100 + ", sum by (le) (rate(" + histogram + "_bucket"
                    + (selector == null ? "" : "{" + selector + "}") + "[1m])))");
        }
        return new Reading(new Latency(p == null ? 0 : p, histogram, selector, null, traffic), Op.LT, below == null ? null : below.toNanos() / 1e9,
                histogram != null);
    }

    @Override
    public String sentence(SloDef slo) {
        Latency l = (Latency) slo.indicator();
        if (l.baseline() != null) {
            return "p" + Wording.number(l.percentile()) + " latency" + of(l.traffic()) + " " + RelativeObjective.sentence(l.baseline(), false) + " (client)";
        }
        return "p" + Wording.number(l.percentile()) + " latency" + of(l.traffic()) + " " + slo.op().symbol() + " " + Wording.seconds(slo.target())
                + (l.histogram() == null ? " (client)" : " (client and Prometheus " + l.histogram() + ")");
    }

    @Override
    public String objective(SloDef slo) {
        Latency l = (Latency) slo.indicator();
        if (l.baseline() != null) {
            return RelativeObjective.objective(Units.percentile(l.percentile()), l.baseline(), false, true);
        }
        return Units.percentile(((Latency) slo.indicator()).percentile()) + " " + slo.op().symbol() + " " + Units.latency(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return Evidence.CLIENT;
    }

    @Override
    public boolean readsPrometheus(SloDef slo) {
        return ((Latency) slo.indicator()).histogram() != null;
    }

    @Override
    public OptionalDouble live(SloDef slo, Live recent) {
        if (((Latency) slo.indicator()).baseline() != null) {
            return OptionalDouble.empty(); // its limit is known from the baseline's window only
        }
        return OptionalDouble.of(recent.latencySeconds(((Latency) slo.indicator()).percentile()));
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        Latency l = (Latency) slo.indicator();
        String label = label(l);
        if (l.baseline() != null) {
            RelativeObjective.Measure measure = (run, window) -> {
                ClientTally t = run.tally(window, l.traffic());
                return t.latency().getTotalCount() == 0
                        ? RelativeObjective.Value.none("no request" + of(l.traffic()) + " got an answer in " + window.name() + " (client)")
                        : RelativeObjective.Value.of(t.latencySeconds(l.percentile()));
            };
            e.add(RelativeObjective.judge(slo, w, e, l.baseline(), measure.of(e, w), label, "s", Units::latency, true, measure));
            return;
        }
        ClientTally tally = e.tally(w, l.traffic());
        SloResult client = tally.latency().getTotalCount() == 0
                ? Evidence.noData(slo, w.name(), Evidence.CLIENT, "no request" + of(l.traffic()) + " got an answer in " + w.name() + " (client)")
                : Evidence.judge(slo, w, Evidence.CLIENT, tally.latencySeconds(l.percentile()), "s", label, Units::latency, "");
        if (l.histogram() == null || l.histogram().isBlank()) {
            e.add(client);
            return;
        }
        String query = "histogram_quantile(" + Units.number(l.percentile() / 100) + ", sum by (le) (increase("
                + l.histogram().strip() + "_bucket" + braces(l.selector()) + "[" + Evidence.seconds(w) + "s])))";
        SloResult server = e.prometheusReading(slo, w, query, true,
                value -> Evidence.judge(slo, w, Evidence.PROMETHEUS, value, "s", label, Units::latency, ""),
                "no request was observed in " + l.histogram().strip() + " during " + w.name() + ": ");
        if (client.measured() != null && server.measured() != null && SloEvaluator.disagree(client.measured(), server.measured())) {
            client = new SloResult(client.slo(), client.window(), client.source(), client.objective(), client.measured(),
                    client.unit(), client.verdict(), client.message() + "; server-side " + label + " is "
                    + Units.latency(server.measured()) + ", more than " + Units.number(SloEvaluator.DISAGREEMENT_FACTOR)
                    + "x apart: check the histogram's buckets, or what the client waits for that the server does not measure (queueing, network, connection setup)");
        }
        e.add(client);
        e.add(server);
    }

    @Override
    public Sliced sliced(SloDef slo) {
        Latency l = (Latency) slo.indicator();
        if (l.baseline() != null || l.traffic() != null) {
            return null;
        }
        return new Sliced() {
            @Override
            public String label() {
                return LatencyObjective.label(l);
            }

            @Override
            public DoubleFunction<String> format() {
                return Units::latency;
            }

            @Override
            public double client(ClientTally t) {
                return t.latency().getTotalCount() == 0 ? Double.NaN : t.latencySeconds(l.percentile());
            }

            @Override
            public Evidence.SliceValues prometheus(List<Window> slices, Evidence evidence) {
                return new Evidence.SliceValues(null, "a latency is judged in time slices from the client only");
            }
        };
    }

    /** " of journey buyer" for a selection of requests, "" for all of them. */
    static String of(Traffic t) {
        return t == null ? "" : " of " + t;
    }

    private static String label(Latency l) {
        return Units.percentile(l.percentile()) + " latency";
    }

    private static String braces(String selector) {
        if (selector == null || selector.isBlank()) {
            return "";
        }
        String s = selector.strip();
        return s.startsWith("{") ? s : "{" + s + "}";
    }
}
