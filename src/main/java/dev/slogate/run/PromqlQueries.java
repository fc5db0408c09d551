package dev.slogate.run;

import dev.slogate.experiment.SloDef;
import java.util.ArrayList;
import java.util.List;

/** The PromQL an SLO will send, in the form Prometheus can check before the run ({@code $window} filled with 1m). */
public final class PromqlQueries {
    private PromqlQueries() {
    }

    public static List<String> of(SloDef slo) {
        List<String> queries = new ArrayList<>();
        if (slo.indicator() instanceof SloDef.Ratio r && r.source() == SloDef.Source.PROMETHEUS) {
            for (String q : new String[] {r.good(), r.bad(), r.total()}) {
                if (q != null && !q.isBlank()) {
                    queries.add(r.counter() ? "sum(increase((" + q + ")[1m:1s]))" : q.replace("$window", "1m"));
                }
            }
        } else if (slo.indicator() instanceof SloDef.Threshold t) {
            queries.add(t.query().replace("$window", "1m"));
        } else if (slo.indicator() instanceof SloDef.Latency l && l.histogram() != null) {
            String sel = l.selector() == null || l.selector().isBlank() ? "" : "{" + l.selector() + "}";
            queries.add("histogram_quantile(0.5, sum by (le) (increase(" + l.histogram() + "_bucket" + sel + "[1m])))");
        }
        return queries;
    }
}
