package dev.slogate.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads SLO files: slogate {@code Objectives} documents and OpenSLO v1 {@code SLO} (and {@code SLI}) documents.
 * Keeps where each window and RTO fault name was written so a scenario can check them against its faults.
 */
final class SloReader {
    /** The {@code good} of a client-side availability: requests that got their expected status. */
    static final String CLIENT_GOOD = "ok";
    static final String WINDOWS_ANNOTATION = "slogate.dev/windows";
    static final List<String> FIXED_WINDOWS = List.of("steady", "run", "fault:*", "recovery:*", "step:*");

    /** A name written in a file, with its location. */
    record Ref(String name, YamlNode at) {
    }

    /**
     * One SLO, the windows as written, and, for an RTO, the faults it covers ({@code all} or names). {@code def} is
     * null when the SLO has problems; its windows are still checked against the scenario.
     */
    record Loaded(java.nio.file.Path file, String name, SloDef def, List<Ref> windows, List<Ref> rtoFaults, boolean needsPrometheus) {
    }

    private final YamlReader r;
    private final PromqlChecker checker;
    private final List<Loaded> out = new ArrayList<>();

    private SloReader(YamlReader r, PromqlChecker checker) {
        this.r = r;
        this.checker = checker;
    }

    /** The SLOs of one file's documents; OpenSLO references resolve in the file first, then in {@code objects}. */
    static List<Loaded> read(YamlReader r, List<YamlNode> docs, PromqlChecker checker, OpenSloObjects objects) {
        SloReader reader = new SloReader(r, checker);
        OpenSloReader openSlo = new OpenSloReader(reader, r, objects.withOwn(r.file(), docs), reader.out);
        for (YamlNode doc : docs) {
            reader.document(doc, openSlo);
        }
        return reader.out;
    }

    private static String text(YamlNode.MapNode m, String key) {
        YamlNode.Entry e = m.entries().get(key);
        return e != null && e.value() instanceof YamlNode.Scalar s ? s.text() : null;
    }

    private void document(YamlNode doc, OpenSloReader openSlo) {
        String api = doc instanceof YamlNode.MapNode m ? text(m, "apiVersion") : null;
        if (OpenSloReader.V1.equals(api)) {
            openSlo.document(doc);
        } else if (OpenSloReader.V1ALPHA.equals(api)) {
            YamlNode at = ((YamlNode.MapNode) doc).entries().get("apiVersion").value();
            r.problem(at, "apiVersion openslo/v1alpha is not supported; slogate reads OpenSLO v1",
                    "convert the file to openslo/v1: thresholdMetric: {source, query} becomes thresholdMetric: {metricSource: {type: Prometheus,"
                            + " spec: {query}}}, objectives[].ratioMetrics moves to spec.indicator.spec.ratioMetric, timeWindows becomes timeWindow");
        } else if ("slogate/v1".equals(api)) {
            objectives(doc);
        } else {
            Fields top = r.fields(doc, "the SLO document", List.of("apiVersion", "kind", "metadata", "spec"));
            YamlNode at = top.get("apiVersion") != null ? top.get("apiVersion") : doc;
            r.problem(at, api == null ? "an SLO document needs apiVersion" : "apiVersion is '" + api + "', expected 'openslo/v1' or 'slogate/v1'",
                    "write apiVersion: openslo/v1 with kind: SLO, or apiVersion: slogate/v1 with kind: Objectives");
        }
    }

    // ---- slogate Objectives -------------------------------------------------------------------------------------

    private void objectives(YamlNode doc) {
        Fields top = r.fields(doc, "the Objectives document", List.of("apiVersion", "kind", "metadata", "spec"));
        Headers.expect(r, top, "slogate/v1", "Objectives");
        r.fields(top.require("metadata", "write metadata: {name: my-objectives}"), "metadata", Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED)
                .requireText("name", "write metadata: {name: my-objectives}");
        Fields spec = r.fields(top.require("spec", "write spec: {objectives: [...]}"), "spec", List.of("objectives"));
        YamlNode list = spec.require("objectives", "write spec.objectives as a list, e.g. - {name: p95, latency: {percentile: 95, below: 200ms}}");
        List<YamlNode> items = list == null ? null : r.list(list, "spec.objectives");
        if (items != null && items.isEmpty()) {
            r.problem(list, "spec.objectives is empty", "add at least one objective: latency, errorRate, availability or rto");
        }
        for (int i = 0; items != null && i < items.size(); i++) {
            objective(items.get(i), "spec.objectives[" + i + "]");
        }
    }

    private static final List<String> OBJECTIVE_KINDS = List.of("latency", "errorRate", "availability", "rto", "scaling", "rpo");

    private void objective(YamlNode node, String where) {
        int before = r.problems().count();
        Fields f = r.fields(node, where, List.of("name", "description", "latency", "errorRate", "availability", "rto", "scaling", "rpo",
                "windows", "faults"));
        String name = f.requireText("name", "write name: p95-latency (names the SLO in reports)");
        String description = f.text("description", "");
        List<String> kinds = OBJECTIVE_KINDS.stream().filter(f::has).toList();
        if (!f.isMap()) {
            return;
        }
        if (kinds.size() != 1) {
            r.problem(kinds.size() > 1 ? f.get(kinds.get(1)) : node,
                    kinds.isEmpty() ? where + " says nothing to measure" : where + " has both " + kinds.get(0) + " and " + kinds.get(1),
                    "give each objective exactly one of: " + String.join(", ", OBJECTIVE_KINDS));
            return;
        }
        String kind = kinds.get(0);
        String at = f.path(kind);
        boolean rto = kind.equals("rto") || kind.equals("rpo"); // both are judged per fault
        if (rto && f.has("windows")) {
            r.problem(f.entry("windows").line(), f.entry("windows").column(), "an " + kind + " objective is judged per fault, not over windows",
                    "remove windows and write faults: [all] or faults: [fault-name, ...]");
        }
        if (!rto && f.has("faults")) {
            r.problem(f.entry("faults").line(), f.entry("faults").column(), "faults only applies to rto and rpo objectives",
                    "use windows: [\"fault:name\"] to judge " + kind + " during a fault");
        }
        SloDef.Indicator indicator = null;
        Op op = null;
        Double target = null;
        boolean prometheus = false;
        switch (kind) {
            case "latency" -> {
                Fields l = r.fields(f.get(kind), at, List.of("percentile", "below", "histogram", "selector"));
                Double p = percentile(l, "write percentile: 95");
                Duration below = l.requireDuration("below", "write below: 200ms", false);
                String histogram = l.text("histogram", null);
                String selector = labelSelector(l);
                if (histogram != null && histogram.endsWith("_bucket")) {
                    r.problem(l.get("histogram"), at + ".histogram names the metric without _bucket", "write histogram: "
                            + histogram.substring(0, histogram.length() - "_bucket".length()));
                } else if (histogram != null && p != null) {
                    promql(l.get("histogram"), "histogram_quantile(" + p / 100 + ", sum by (le) (rate(" + histogram + "_bucket"
                            + (selector == null ? "" : "{" + selector + "}") + "[1m])))");
                }
                prometheus = histogram != null;
                indicator = new SloDef.Latency(p == null ? 0 : p, histogram, selector);
                op = Op.LT;
                target = below == null ? null : below.toNanos() / 1e9;
            }
            case "errorRate", "availability" -> {
                boolean errors = kind.equals("errorRate");
                String goodOrBad = errors ? "bad" : "good";
                String limit = errors ? "below" : "atLeast";
                Fields e = r.fields(f.get(kind), at, List.of(limit, "source", goodOrBad, "total", "counter"));
                target = e.requireFraction(limit, "write " + limit + ": " + (errors ? "1%" : "99.9%"));
                SloDef.Source source = source(e, goodOrBad);
                boolean counter = Boolean.TRUE.equals(e.bool("counter", true));
                String part = null;
                String total = null;
                if (source == SloDef.Source.PROMETHEUS) {
                    part = e.requireText(goodOrBad, "write " + goodOrBad + ": a PromQL counter selector, e.g. "
                            + (errors ? "'haproxy_frontend_http_responses_total{code=\"5xx\"}'" : "'haproxy_frontend_http_responses_total{code=\"2xx\"}'"));
                    total = e.requireText("total", "write total: a PromQL counter selector, e.g. haproxy_frontend_http_requests_total");
                    ratioQuery(e.get(goodOrBad), part, counter);
                    ratioQuery(e.get("total"), total, counter);
                    prometheus = true;
                }
                // Ratio.measuresGood() tells the evaluator which side is counted, so a client-side availability
                // still needs a non-null good: "ok" (the requests that got their expected status).
                if (source == SloDef.Source.CLIENT && !errors) {
                    part = CLIENT_GOOD;
                }
                indicator = new SloDef.Ratio(source, errors ? null : part, errors ? part : null, total, counter);
                op = errors ? Op.LT : Op.GTE;
            }
            case "rpo" -> {
                Fields o = r.fields(f.get(kind), at, List.of("below", "probe"));
                Duration below = o.requireDuration("below", "write below: 5m (the most recent data a fault may lose; 0s: none)", true);
                String probe = o.requireText("probe", "write probe: writes (the name of a write-integrity probe in the scenario's spec.probes)");
                indicator = probe == null ? null : new SloDef.Rpo(probe);
                op = Op.LTE;
                target = below == null ? null : below.toNanos() / 1e9;
            }
            default -> {
                boolean scaling = kind.equals("scaling");
                Fields o = r.fields(f.get(kind), at, scaling
                        ? List.of("below", "stableFor", "errorRateBelow", "latency", "evaluationWindow", "measure", "deployment", "capacity")
                        : List.of("below", "stableFor", "errorRateBelow", "latency", "evaluationWindow"));
                Duration below = o.requireDuration("below", "write below: 20s (the longest acceptable recovery)", false);
                Duration stable = o.duration("stableFor", Duration.ofSeconds(5), true);
                Double maxErrors = o.fraction("errorRateBelow", 0.01);
                Duration eval = o.duration("evaluationWindow", Duration.ofSeconds(3), false);
                double pct = 99;
                double maxLatency = Double.POSITIVE_INFINITY;
                if (o.has("latency")) {
                    Fields l = r.fields(o.get("latency"), o.path("latency"), List.of("percentile", "below"));
                    Double p = percentile(l, "write percentile: 99");
                    Duration lb = l.requireDuration("below", "write below: 500ms", false);
                    pct = p == null ? pct : p;
                    maxLatency = lb == null ? maxLatency : lb.toNanos() / 1e9;
                }
                indicator = stable == null || maxErrors == null || eval == null ? null
                        : new SloDef.Rto(maxErrors, pct, maxLatency, eval.toNanos() / 1e9, stable.toNanos() / 1e9);
                if (scaling) {
                    String measure = o.text("measure", "recovered");
                    if (measure != null && !measure.equals("recovered") && !measure.equals("capacity")) {
                        r.problem(o.get("measure"), "unknown measure '" + measure + "'",
                                "write measure: recovered (latency and errors back within target, the default) or measure: capacity (the desired pods running)");
                    }
                    String deployment = o.text("deployment", null);
                    if (deployment != null) {
                        promql(o.get("deployment"), "kube_deployment_spec_replicas{" + deployment.strip().replaceAll("^\\{|}$", "") + "}");
                    }
                    CapacityReader.Capacity capacity = null;
                    if (o.has("capacity")) {
                        if (deployment != null) {
                            r.problem(o.get("capacity"), "both deployment and capacity say where the replicas come from",
                                    "keep capacity: {from: ..., workload: ..., namespace: ...} and drop deployment:");
                        }
                        capacity = CapacityReader.read(r, o.get("capacity"), o.path("capacity"), this::promql);
                        indicator = capacity == null ? null : indicator;
                        deployment = capacity == null ? deployment : capacity.deployment();
                    }
                    indicator = indicator == null ? null : new SloDef.Scaling((SloDef.Rto) indicator, "capacity".equals(measure),
                            deployment == null ? null : deployment.strip().replaceAll("^\\{|}$", ""), capacity == null ? null : capacity.workload());
                }
                op = Op.LTE;
                target = below == null ? null : below.toNanos() / 1e9;
            }
        }
        List<Ref> windows = rto ? List.of() : kind.equals("scaling") && !f.has("windows") ? List.of(new Ref("step:*", f.node())) : windows(f);
        if (kind.equals("scaling")) {
            windows.stream().filter(w -> !w.name().startsWith("step:")).findFirst().ifPresent(w -> r.problem(w.at(),
                    "a scaling objective is judged per load step, not over '" + w.name() + "'",
                    "write windows: [\"step:*\"] (every step and ramp) or [\"step:<stage number>\"], or leave windows out"));
        }
        List<Ref> faults = rto ? rtoFaults(f) : List.of();
        SloDef def = null;
        if (r.problems().count() == before && name != null && indicator != null && target != null) {
            List<String> names = rto ? rtoWindows(faults) : windows.stream().map(Ref::name).toList();
            def = new SloDef(name, description, indicator, op, target, names, r.file(), node.line());
        }
        out.add(new Loaded(r.file(), name == null ? where : name, def, windows, faults, prometheus));
    }

    private Double percentile(Fields l, String hint) {
        YamlNode v = l.require("percentile", hint);
        Double p = v == null ? null : r.number(v, l.path("percentile"));
        if (p != null && (p <= 0 || p >= 100)) {
            r.problem(v, l.path("percentile") + " is " + FaultReader.fmt(p) + ", but a percentile lies between 0 and 100 (both excluded)",
                    "write percentile: 99 for p99, or 99.9 for p99.9");
            return null;
        }
        return p;
    }

    /** Label matchers for a latency histogram: a map {@code {job: demo}} or PromQL text {@code job="demo"}. */
    private String labelSelector(Fields l) {
        YamlNode v = l.get("selector");
        if (v == null || v instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        if (v instanceof YamlNode.MapNode) {
            Map<String, String> labels = r.textMap(v, l.path("selector"));
            return labels == null ? null : labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(","));
        }
        String t = r.text(v, l.path("selector"));
        return t == null ? null : t.replaceAll("^\\s*\\{|}\\s*$", "");
    }

    private SloDef.Source source(Fields e, String goodOrBad) {
        String s = e.text("source", null);
        if (s == null) {
            if (e.has(goodOrBad) || e.has("total")) {
                r.problem(e.node(), e.where() + " has Prometheus queries but measures client-side", "add source: prometheus, or remove " + goodOrBad + " and total");
            }
            return SloDef.Source.CLIENT;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "client" -> {
                if (e.has(goodOrBad) || e.has("total")) {
                    r.problem(e.get("source"), e.where() + " has Prometheus queries but source: client", "write source: prometheus, or remove " + goodOrBad + " and total");
                }
                return SloDef.Source.CLIENT;
            }
            case "prometheus" -> {
                return SloDef.Source.PROMETHEUS;
            }
            default -> {
                r.problem(e.get("source"), "unknown source '" + s + "'", "write source: client (slogate's own measurements) or source: prometheus");
                return null;
            }
        }
    }

    private List<Ref> windows(Fields f) {
        if (!f.has("windows")) {
            return List.of(new Ref("run", f.node()));
        }
        List<YamlNode> items = r.list(f.get("windows"), f.path("windows"));
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String w = r.text(items.get(i), f.path("windows") + "[" + i + "]");
            if (w != null && windowSyntax(w.trim(), items.get(i))) {
                refs.add(new Ref(w.trim(), items.get(i)));
            }
        }
        if (items != null && items.isEmpty()) {
            r.problem(f.get("windows"), f.path("windows") + " is empty", "remove it to judge the whole run, or list windows: [steady, run]");
        }
        return refs;
    }

    private boolean windowSyntax(String w, YamlNode at) {
        boolean ok = FIXED_WINDOWS.contains(w) || w.matches("(fault|recovery):[^\\s*]+") || w.matches("step:[1-9][0-9]{0,8}");
        if (!ok && w.matches("step:[0-9]+")) {
            r.problem(at, "window '" + (w.length() > 20 ? w.substring(0, 20) + "..." : w) + "' names no stage a load can have",
                    "write step:<stage number>, counting the stages of spec.load.stages from 1, or step:* for all of them");
        } else if (!ok) {
            r.problem(at, "unknown window '" + w + "'" + FaultReader.nearest(w, FIXED_WINDOWS),
                    "windows are steady, run, fault:*, recovery:*, step:*, fault:<fault name>, recovery:<fault name> or step:<stage number>");
        }
        return ok;
    }

    /** The stage number of a {@code step:<n>} window that passed {@link #windowSyntax} (at most 9 digits, so an int). */
    static int stepNumber(String window) {
        return Integer.parseInt(window.substring("step:".length()));
    }

    private List<Ref> rtoFaults(Fields f) {
        if (!f.has("faults")) {
            return List.of(new Ref("all", f.node()));
        }
        List<YamlNode> items = r.list(f.get("faults"), f.path("faults"));
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String n = r.text(items.get(i), f.path("faults") + "[" + i + "]");
            if (n != null) {
                refs.add(new Ref(n.trim(), items.get(i)));
            }
        }
        if (items != null && items.isEmpty()) {
            r.problem(f.get("faults"), f.path("faults") + " is empty", "write faults: [all] or name the faults");
        }
        return refs;
    }

    private static List<String> rtoWindows(List<Ref> faults) {
        return faults.stream().anyMatch(x -> x.name().equals("all")) ? List.of("fault:*")
                : faults.stream().map(x -> "fault:" + x.name()).distinct().toList();
    }

    /**
     * Checks a Prometheus ratio query as the evaluator will run it: a counter's increase over the window, taken of the
     * selector itself or, for anything else, of a 1 s subquery of it (SloEvaluator.ratioQuery).
     */
    private void ratioQuery(YamlNode at, String query, boolean counter) {
        if (query != null) {
            promql(at, counter ? counterIncrease(query) : query.replace("$window", "1m"));
        }
    }

    /**
     * The query slogate reads for a counter, over a 1m stand-in for the window, as SloEvaluator.ratioQuery builds it:
     * the increase of the selector itself or, for anything else, of a 1 s subquery of it.
     */
    static String counterIncrease(String query) {
        return "sum(increase(" + (PromqlSyntax.isPlainSelector(query) ? query + "[1m]" : "(" + query + ")[1m:1s]") + "))";
    }

    private void promql(YamlNode at, String query) {
        promql(r, at, query);
    }

    /**
     * Checks {@code query}, as it will run, offline always and against the live server when there is one; a problem is
     * reported at {@code at} in {@code in}'s file, inside the query where it can be located.
     */
    void promql(YamlReader in, YamlNode at, String query) {
        if (at != null) {
            PromqlQueries.of(checker).check(in, at, query);
        }
    }

    /** The windows of {@code metadata.annotations["slogate.dev/windows"]}: "steady, fault:*"; the whole run when absent. */
    List<Ref> annotationWindows(Fields meta) {
        YamlNode ann = meta.get("annotations");
        YamlNode value = ann instanceof YamlNode.MapNode m && m.entries().containsKey(WINDOWS_ANNOTATION) ? m.entries().get(WINDOWS_ANNOTATION).value() : null;
        if (value == null) {
            return List.of(new Ref("run", meta.node()));
        }
        String text = r.text(value, "metadata.annotations." + WINDOWS_ANNOTATION);
        List<Ref> refs = new ArrayList<>();
        for (String w : text == null ? new String[0] : text.split(",")) {
            if (!w.isBlank() && windowSyntax(w.trim(), value)) {
                refs.add(new Ref(w.trim(), value));
            }
        }
        if (text != null && refs.isEmpty() && text.isBlank()) {
            r.problem(value, WINDOWS_ANNOTATION + " is empty", "write \"steady,run\" or remove the annotation to judge the whole run");
        }
        return refs;
    }
}
