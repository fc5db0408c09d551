package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * {@code latency: {percentile: 95, below: 200ms}}: a latency percentile, always from the client, and also from a
 * Prometheus histogram when {@code histogram} names one. Each source is a result of its own; when both are read and they
 * disagree widely, the client's result says so.
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
        ObjectiveInput l = block.keys(List.of("percentile", "below", "histogram", "selector"));
        Double p = l.percentile("write percentile: 95");
        Duration below = l.requireDuration("below", "write below: 200ms", false);
        String histogram = l.text("histogram", null);
        String selector = l.labels("selector");
        if (histogram != null && histogram.endsWith("_bucket")) {
            l.problem("histogram", l.path("histogram") + " names the metric without _bucket", "write histogram: "
                    + histogram.substring(0, histogram.length() - "_bucket".length()));
        } else if (histogram != null && p != null) {
            l.promql("histogram", "histogram_quantile(" + p / 100 + ", sum by (le) (rate(" + histogram + "_bucket"
                    + (selector == null ? "" : "{" + selector + "}") + "[1m])))");
        }
        return new Reading(new Latency(p == null ? 0 : p, histogram, selector), Op.LT, below == null ? null : below.toNanos() / 1e9,
                histogram != null);
    }

    @Override
    public String sentence(SloDef slo) {
        Latency l = (Latency) slo.indicator();
        return "p" + Wording.number(l.percentile()) + " latency " + slo.op().symbol() + " " + Wording.seconds(slo.target())
                + (l.histogram() == null ? " (client)" : " (client and Prometheus " + l.histogram() + ")");
    }

    @Override
    public String objective(SloDef slo) {
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
        return OptionalDouble.of(recent.latencySeconds(((Latency) slo.indicator()).percentile()));
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        Latency l = (Latency) slo.indicator();
        String label = label(l);
        ClientTally tally = e.tally(w);
        SloResult client = tally.latency().getTotalCount() == 0
                ? Evidence.noData(slo, w.name(), Evidence.CLIENT, "no request got an answer in " + w.name() + " (client)")
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
