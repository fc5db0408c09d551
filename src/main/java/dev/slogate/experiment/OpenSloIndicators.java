package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SLIs of OpenSLO v1 files: an inline {@code indicator} or a {@code kind: SLI} document, its ratio (good or bad over
 * total, or raw) or threshold metric, each metric source's PromQL (checked as it will run) and the {@code DataSource} it
 * may refer to.
 */
final class OpenSloIndicators {
    /** Sloth's window placeholder, read as slogate's {@code $window}. */
    private static final Pattern SLOTH_WINDOW = Pattern.compile("\\{\\{\\s*\\.window\\s*}}");

    private final SloReader owner;
    private final OpenSloObjects objects;

    OpenSloIndicators(SloReader owner, OpenSloObjects objects) {
        this.owner = owner;
        this.objects = objects;
    }

    /**
     * A read indicator. {@code good}: true for good/total and raw success ratios, false for bad/total and raw failure
     * ratios, null for a threshold metric.
     */
    record Ind(SloDef.Indicator indicator, Boolean good) {
    }

    /** A query and where it was written. */
    private record Query(String text, YamlNode at) {
    }

    /** The SLI: an inline {@code indicator: {metadata, spec}} or a referenced {@code kind: SLI} document, read with its own file's reader. */
    Ind indicator(YamlReader ir, YamlNode node, String where, boolean document) {
        Fields outer = document ? ir.fields(node, where, List.of("apiVersion", "kind", "metadata", "spec"))
                : ir.fields(node, where, List.of("metadata", "spec"));
        if (!document && outer.has("metadata")) {
            ir.fields(outer.get("metadata"), outer.path("metadata"), Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED);
        }
        Fields spec = ir.fields(outer.require("spec", "write " + where + ".spec with ratioMetric or thresholdMetric"), where + ".spec",
                List.of("description", "ratioMetric", "thresholdMetric"));
        if (spec.has("ratioMetric") && spec.has("thresholdMetric")) {
            ir.problem(spec.get("thresholdMetric"), spec.where() + " has both ratioMetric and thresholdMetric", "keep one; an SLI measures one thing");
            return null;
        }
        if (spec.has("thresholdMetric")) {
            Query q = metricQuery(ir, spec.get("thresholdMetric"), spec.path("thresholdMetric"));
            if (q != null) {
                owner.promql(ir, q.at(), q.text().replace("$window", "1m"));
            }
            return q == null ? null : new Ind(new SloDef.Threshold(q.text()), null);
        }
        if (!spec.has("ratioMetric")) {
            spec.require("ratioMetric", "write ratioMetric (good or bad, and total) or thresholdMetric (one query)");
            return null;
        }
        Fields ratio = ir.fields(spec.get("ratioMetric"), spec.path("ratioMetric"), List.of("counter", "good", "bad", "total", "raw", "rawType"));
        if (ratio.has("raw")) {
            return raw(ir, ratio);
        }
        if (ratio.has("rawType")) {
            ir.warning(ratio.get("rawType"), "rawType is ignored: it applies to a raw ratio, and this one has good or bad and total", "remove rawType");
        }
        Boolean counter = ratio.bool("counter", null);
        Query good = ratio.has("good") ? metricQuery(ir, ratio.get("good"), ratio.path("good")) : null;
        Query bad = ratio.has("bad") ? metricQuery(ir, ratio.get("bad"), ratio.path("bad")) : null;
        YamlNode totalNode = ratio.require("total", "write total: {metricSource: {type: Prometheus, spec: {query: ...}}}");
        Query total = totalNode == null ? null : metricQuery(ir, totalNode, ratio.path("total"));
        if (!ratio.has("good") && !ratio.has("bad")) {
            ir.problem(ratio.node(), ratio.where() + " needs good or bad (and total)", "write good: {metricSource: {type: Prometheus, spec: {query: ...}}}");
            return null;
        } else if (ratio.has("good") && ratio.has("bad")) {
            ir.problem(ratio.get("bad"), ratio.where() + " has both good and bad", "keep one: the ratio is good/total or bad/total");
            return null;
        }
        if (good == null && bad == null || total == null) {
            return null;
        }
        // Without counter, a query that already takes a range (rate(x[5m]), $window) is read as is; a bare selector is a counter.
        Query part = good == null ? bad : good;
        boolean isCounter = counter != null ? counter : !takesRange(part.text()) && !takesRange(total.text());
        for (Query q : List.of(part, total)) {
            owner.promql(ir, q.at(), isCounter ? SloReader.counterIncrease(q.text()) : q.text().replace("$window", "1m"));
        }
        return new Ind(new SloDef.Ratio(SloDef.Source.PROMETHEUS, good == null ? null : good.text(), good == null ? bad.text() : null, total.text(),
                isCounter), good != null);
    }

    private static boolean takesRange(String query) {
        return query.contains("$window") || query.matches("(?s).*\\[[^\\]]*[0-9smhdwy]\\s*(:[^\\]]*)?].*");
    }

    /** A precomputed ratio: its average over the window (or slice) is compared with the target. */
    private Ind raw(YamlReader ir, Fields ratio) {
        for (String k : List.of("good", "bad", "total")) {
            if (ratio.has(k)) {
                ir.problem(ratio.get(k), ratio.where() + " has both raw and " + k, "keep raw (with rawType) or good/bad and total, not both");
                return null;
            }
        }
        if (ratio.has("counter")) {
            ir.warning(ratio.get("counter"), "counter is ignored with raw: a raw ratio is read as the ratio it is", "remove counter");
        }
        String type = ratio.requireText("rawType", "write rawType: success (the raw ratio is good/total) or failure (bad/total)");
        Boolean good = type == null ? null : switch (type.toLowerCase(Locale.ROOT)) {
            case "success" -> Boolean.TRUE;
            case "failure" -> Boolean.FALSE;
            default -> {
                ir.problem(ratio.get("rawType"), "unknown rawType '" + type + "'", "write rawType: success or rawType: failure");
                yield null;
            }
        };
        Query q = metricQuery(ir, ratio.get("raw"), ratio.path("raw"));
        if (q == null || good == null) {
            return null;
        }
        String averaged = "avg_over_time((" + q.text().strip() + ")[$window:1s])";
        owner.promql(ir, q.at(), averaged.replace("$window", "1m"));
        return new Ind(new SloDef.Threshold(averaged), good);
    }

    /**
     * The PromQL of {@code {metricSource: {type: Prometheus, spec: {query}}}} ({@code promql} is read like {@code query};
     * the other keys of the free-form {@code spec} are not read). Sloth's {@code {{.window}}} is read as {@code $window}.
     */
    private Query metricQuery(YamlReader ir, YamlNode node, String where) {
        Fields m = ir.fields(node, where, List.of("metricSource"));
        Fields src = ir.fields(m.require("metricSource", "write metricSource: {type: Prometheus, spec: {query: ...}}"), where + ".metricSource",
                List.of("metricSourceRef", "type", "spec"));
        if (!src.isMap()) {
            return null;
        }
        String type = src.text("type", null);
        String ref = src.text("metricSourceRef", null);
        if (ref != null) {
            OpenSloObjects.Named ds = objects.find("DataSource", ref);
            if (ds == null && type == null) {
                ir.problem(src.get("metricSourceRef"), "metricSourceRef '" + ref + "' names no kind: DataSource document in " + objects.searched(),
                        "give the file that holds the DataSource on the same command line (or in the scenario's slos:), or write type: Prometheus here");
                return null;
            } else if (ds == null) {
                ir.warning(src.get("metricSourceRef"), "metricSourceRef '" + ref + "' names no kind: DataSource document in " + objects.searched()
                        + "; read as type " + type, "give the file that holds the DataSource on the same command line to check it");
            } else {
                YamlReader dr = ds.file().equals(ir.file()) ? ir : new YamlReader(ds.file(), ir.problems());
                String dsType = dataSource(dr, dr.fields(ds.doc(), "DataSource " + ref, List.of("apiVersion", "kind", "metadata", "spec")), false);
                if (type == null) {
                    type = dsType;
                } else if (dsType != null && !dsType.equalsIgnoreCase(type)) {
                    ir.problem(src.get("type"), "type is '" + type + "', but DataSource " + ref + " is of type '" + dsType + "'",
                            "make them agree, or remove type here (it comes from the DataSource)");
                    return null;
                }
            }
        }
        if (type == null) {
            ir.warning(src.node(), where + ".metricSource has no type: it is read as Prometheus", "write type: Prometheus");
        } else if (!type.equalsIgnoreCase("prometheus")) {
            ir.problem(src.has("type") ? src.get("type") : src.get("metricSourceRef"),
                    "metricSource type '" + type + "'" + (src.has("type") ? "" : " (of DataSource " + ref + ")") + " is not supported; slogate reads Prometheus only",
                    "write type: Prometheus with spec: {query: <PromQL>}, or keep this SLO out of slogate's files");
            return null;
        }
        YamlNode specNode = src.require("spec", "write spec: {query: <PromQL>}");
        Fields spec = OpenSloReader.freeMap(ir, specNode, where + ".metricSource.spec");
        if (!spec.isMap() || specNode == null) {
            return null;
        }
        String q = spec.text("query", null);
        if (spec.has("query") && spec.has("promql")) {
            ir.warning(spec.get("promql"), "promql is ignored: query is read, and this spec has both", "keep one of query and promql");
        } else if (q == null) {
            q = spec.text("promql", null);
        }
        List<String> others = ((YamlNode.MapNode) specNode).entries().keySet().stream().filter(k -> !k.equals("query") && !k.equals("promql")).toList();
        if (!others.isEmpty()) {
            ir.warning(spec.keyAt(others.get(0)), where + ".metricSource.spec: " + String.join(", ", others) + (others.size() == 1 ? " is" : " are")
                    + " not read: slogate runs the query against the scenario's Prometheus", "nothing to do; keep them for your other tools");
        }
        if (q == null) {
            if (!spec.has("query") && !spec.has("promql")) {
                spec.require("query", "write query: <PromQL> (or promql: <PromQL>)");
            }
            return null;
        }
        if (q.isBlank()) {
            ir.problem(spec.has("query") ? spec.get("query") : spec.get("promql"), where + ".metricSource.spec.query is empty", "write the PromQL");
            return null;
        }
        return new Query(SLOTH_WINDOW.matcher(q).replaceAll(Matcher.quoteReplacement("$window")), spec.has("query") ? spec.get("query") : spec.get("promql"));
    }

    /**
     * A DataSource document (its metadata read already when it is read on its own): its type, null when it has none;
     * {@code own}: read in its own file, so its warnings are said there.
     */
    String dataSource(YamlReader dr, Fields top, boolean own) {
        Fields spec = dr.fields(top.get("spec"), "spec", List.of("description", "type", "connectionDetails"));
        String type = spec.text("type", null);
        if (own && spec.has("connectionDetails")) {
            OpenSloReader.freeMap(dr, spec.get("connectionDetails"), spec.path("connectionDetails"));
            dr.warning(spec.keyAt("connectionDetails"), "connectionDetails are ignored: slogate queries the scenario's Prometheus"
                    + " (target.prometheus, or the sandbox's)", "set the Prometheus URL in the scenario's target");
        }
        return type;
    }
}
