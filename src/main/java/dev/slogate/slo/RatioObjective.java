package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Traffic;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * {@code errorRate: {below: 1%}} and {@code availability: {atLeast: 99.9%}}, and OpenSLO ratio indicators: a ratio of
 * events, from the client's requests or from two Prometheus queries (good or bad, and total). Against an earlier run,
 * {@code errorRate: {notWorseThan: 0.1%, baseline: <run>}} allows percentage points (absolute: a share of an error rate
 * of 0 would allow nothing), from the client only ({@link RelativeObjective}).
 */
public final class RatioObjective implements Objective {
    @Override
    public Class<Ratio> indicator() {
        return Ratio.class;
    }

    @Override
    public List<String> keys() {
        return List.of("errorRate", "availability");
    }

    @Override
    public Reading read(ObjectiveInput block) {
        boolean errors = block.key().equals("errorRate");
        String goodOrBad = errors ? "bad" : "good";
        String limit = errors ? "below" : "atLeast";
        ObjectiveInput e = block.keys(List.of(limit, "source", goodOrBad, "total", "counter", "selector", RelativeObjective.NOT_WORSE_THAN,
                RelativeObjective.BASELINE));
        Traffic traffic = e.traffic("selector");
        if (RelativeObjective.asked(e)) {
            SloDef.Baseline b = RelativeObjective.read(e, RelativeObjective.Allowance.POINTS, limit);
            for (String server : List.of("source", goodOrBad, "total", "counter")) {
                if (e.has(server) && !(server.equals("source") && "client".equals(e.text("source", null)))) {
                    e.problem(server, "a " + block.key() + " against a baseline is judged from the client's requests only, which every report keeps",
                            "remove " + server + ", or judge the Prometheus ratio in an objective with " + limit);
                    break;
                }
            }
            Ratio r = new Ratio(Source.CLIENT, errors ? null : CLIENT_GOOD, null, null, true, b, traffic);
            return new Reading(b == null ? null : r, errors ? Op.LTE : Op.GTE, b == null ? null : b.allowance(), false);
        }
        Double target = e.requireFraction(limit, "write " + limit + ": " + (errors ? "1%" : "99.9%"));
        Source source = e.source(goodOrBad);
        boolean counter = Boolean.TRUE.equals(e.bool("counter", true));
        String part = null;
        String total = null;
        if (source == Source.PROMETHEUS) {
            part = e.requireText(goodOrBad, "write " + goodOrBad + ": a PromQL counter selector, e.g. "
                    + (errors ? "'haproxy_frontend_http_responses_total{code=\"5xx\"}'" : "'haproxy_frontend_http_responses_total{code=\"2xx\"}'"));
            total = e.requireText("total", "write total: a PromQL counter selector, e.g. haproxy_frontend_http_requests_total");
            checkQuery(e, goodOrBad, part, counter);
            checkQuery(e, "total", total, counter);
        }
        // Ratio.measuresGood() tells which side is counted, so a client-side availability still needs a non-null good:
        // "ok" (the requests that got their expected status).
        if (source == Source.CLIENT && !errors) {
            part = CLIENT_GOOD;
        }
        if (traffic != null && source == Source.PROMETHEUS) {
            e.problem("selector", e.path("selector") + " picks the client's requests (" + traffic + "), but this ratio reads Prometheus",
                    "remove selector (the queries select the series), or judge the client's " + traffic + " in an objective of its own");
        }
        return new Reading(new Ratio(source, errors ? null : part, errors ? part : null, total, counter, null, traffic), errors ? Op.LT : Op.GTE, target,
                source == Source.PROMETHEUS);
    }

    /** The {@code good} of a client-side availability: requests that got their expected status. */
    static final String CLIENT_GOOD = "ok";

    /**
     * Checks a Prometheus ratio query as the evaluator will run it: a counter's increase over the window, taken of the
     * selector itself or, for anything else, of a 1 s subquery of it ({@link SloEvaluator#ratioQuery}).
     */
    private static void checkQuery(ObjectiveInput e, String key, String query, boolean counter) {
        if (query != null) {
            e.promql(key, counter ? ObjectiveInput.counterIncrease(query) : query.replace("$window", "1m"));
        }
    }

    @Override
    public String sentence(SloDef slo) {
        Ratio r = (Ratio) slo.indicator();
        if (r.baseline() != null) {
            return label(r) + LatencyObjective.of(r.traffic()) + " " + RelativeObjective.sentence(r.baseline(), true) + " (client)";
        }
        return (r.measuresGood() ? "availability" : "error rate") + LatencyObjective.of(r.traffic()) + " " + slo.op().symbol() + " " + Wording.percent(slo.target())
                + (r.source() == Source.CLIENT ? " (client)"
                : " (Prometheus " + (r.measuresGood() ? r.good() : r.bad()) + " / " + r.total() + (r.counter() ? ", counters" : "") + ")");
    }

    @Override
    public String objective(SloDef slo) {
        Ratio r = (Ratio) slo.indicator();
        if (r.baseline() != null) {
            return RelativeObjective.objective(label(r), r.baseline(), true, !r.measuresGood());
        }
        return label((Ratio) slo.indicator()) + " " + slo.op().symbol() + " " + Units.percent(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return ((Ratio) slo.indicator()).source() == Source.PROMETHEUS ? Evidence.PROMETHEUS : Evidence.CLIENT;
    }

    @Override
    public boolean readsPrometheus(SloDef slo) {
        return ((Ratio) slo.indicator()).source() == Source.PROMETHEUS;
    }

    @Override
    public OptionalDouble live(SloDef slo, Live recent) {
        Ratio r = (Ratio) slo.indicator();
        return r.source() != Source.CLIENT || r.baseline() != null ? OptionalDouble.empty()
                : OptionalDouble.of(r.measuresGood() ? recent.okShare() : 1.0 - recent.okShare());
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        Ratio r = (Ratio) slo.indicator();
        if (r.baseline() != null) {
            RelativeObjective.Measure measure = (run, window) -> {
                ClientTally t = run.tally(window, r.traffic());
                return t.completed() == 0 ? RelativeObjective.Value.none("no request" + LatencyObjective.of(r.traffic())
                        + " completed in " + window.name() + " (client)")
                        : RelativeObjective.Value.of(r.measuresGood() ? (double) t.ok() / t.completed() : t.errorRate());
            };
            e.add(RelativeObjective.judge(slo, w, e, r.baseline(), measure.of(e, w), label(r), "ratio", Units::percent,
                    !r.measuresGood(), measure));
            return;
        }
        e.add(r.source() == Source.PROMETHEUS ? prometheus(slo, r, w, e) : client(slo, r, w, e));
    }

    private static SloResult client(SloDef slo, Ratio r, Window w, Evidence e) {
        ClientTally t = e.tally(w, r.traffic());
        if (t.completed() == 0) {
            return Evidence.noData(slo, w.name(), Evidence.CLIENT, "no request" + LatencyObjective.of(r.traffic()) + " completed in "
                    + w.name() + " (client)");
        }
        double measured = r.measuresGood() ? (double) t.ok() / t.completed() : t.errorRate();
        String counts = r.measuresGood() ? "; " + t.ok() + " of " + t.completed() + " requests succeeded"
                : "; " + t.failed() + " of " + t.completed() + " requests failed";
        return Evidence.judge(slo, w, Evidence.CLIENT, measured, "ratio", label(r), Units::percent, counts);
    }

    private static SloResult prometheus(SloDef slo, Ratio r, Window w, Evidence e) {
        String source = Evidence.PROMETHEUS;
        String part = r.measuresGood() ? r.good() : r.bad();
        if (part == null || (r.total() == null && (r.good() == null || r.bad() == null))) {
            return Evidence.noData(slo, w.name(), source, "a Prometheus ratio needs a good or bad query and a total query");
        }
        String problem = e.prometheusProblem(w, r.counter() || Evidence.mentionsWindow(part, r.total()));
        if (problem != null) {
            return Evidence.noData(slo, w.name(), source, problem);
        }
        Evidence.Reading num = e.read(SloEvaluator.ratioQuery(part, r.counter(), w), w, !r.counter(), "");
        if (num.problem() != null) {
            return Evidence.noData(slo, w.name(), source, num.problem());
        }
        double total;
        String totalQuery;
        if (r.total() != null) {
            totalQuery = SloEvaluator.ratioQuery(r.total(), r.counter(), w);
            Evidence.Reading den = e.read(totalQuery, w, !r.counter(), "");
            if (den.problem() != null) {
                return Evidence.noData(slo, w.name(), source, den.problem());
            }
            total = den.value();
        } else {
            totalQuery = SloEvaluator.ratioQuery(r.bad(), r.counter(), w);
            Evidence.Reading other = e.read(totalQuery, w, !r.counter(), "");
            if (other.problem() != null) {
                return Evidence.noData(slo, w.name(), source, other.problem());
            }
            total = num.value() + other.value();
        }
        if (!(total > 0)) {
            return Evidence.noData(slo, w.name(), source, "no events in " + w.name() + ": '" + totalQuery + "' is "
                    + Units.number(total) + " at its end");
        }
        String counts = "; " + Units.number(num.value()) + " of " + Units.number(total) + " events";
        return Evidence.judge(slo, w, source, num.value() / total, "ratio", label(r), Units::percent, counts);
    }

    @Override
    public Sliced sliced(SloDef slo) {
        Ratio r = (Ratio) slo.indicator();
        if (r.baseline() != null || r.traffic() != null) {
            return null;
        }
        return new Sliced() {
            @Override
            public String label() {
                return RatioObjective.label(r);
            }

            @Override
            public DoubleFunction<String> format() {
                return Units::percent;
            }

            @Override
            public double client(ClientTally t) {
                return t.completed() == 0 ? Double.NaN : r.measuresGood() ? (double) t.ok() / t.completed() : t.errorRate();
            }

            @Override
            public Evidence.SliceValues prometheus(List<Window> slices, Evidence e) {
                if (r.total() == null) {
                    return new Evidence.SliceValues(null, "a ratio judged in time slices needs a total query");
                }
                String part = r.measuresGood() ? r.good() : r.bad();
                Evidence.SliceValues num = e.sliceReadings(slices, sw -> SloEvaluator.ratioQuery(part, r.counter(), sw), !r.counter());
                if (num.problem() != null) {
                    return num;
                }
                Evidence.SliceValues den = e.sliceReadings(slices, sw -> SloEvaluator.ratioQuery(r.total(), r.counter(), sw), !r.counter());
                if (den.problem() != null) {
                    return den;
                }
                double[] values = new double[slices.size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = den.values()[k] > 0 ? num.values()[k] / den.values()[k] : Double.NaN;
                }
                return new Evidence.SliceValues(values, null);
            }
        };
    }

    private static String label(Ratio r) {
        return r.measuresGood() ? "availability" : "error rate";
    }
}
