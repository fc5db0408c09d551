package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The block of one objective kind in a slogate {@code Objectives} entry ({@code latency: {...}}), as its
 * {@link ObjectiveKind} reads it: typed values, and problems reported at the file, line and column they are about. A
 * kind first names the keys it takes ({@link #keys}); unknown keys are problems then.
 */
public final class ObjectiveInput {
    private final SloReader reader;
    private final YamlReader r;
    private final String key;
    private final YamlNode node;
    private final String where;
    private final Fields f;

    private ObjectiveInput(SloReader reader, YamlReader r, String key, YamlNode node, String where, Fields f) {
        this.reader = reader;
        this.r = r;
        this.key = key;
        this.node = node;
        this.where = where;
        this.f = f;
    }

    static ObjectiveInput of(SloReader reader, YamlReader r, String key, YamlNode node, String where) {
        return new ObjectiveInput(reader, r, key, node, where, null);
    }

    /** The key that selected the kind: {@code errorRate} or {@code availability} for the ratio kind. */
    public String key() {
        return key;
    }

    /** Where the block is, as problems name it: {@code spec.objectives[0].latency}. */
    public String where() {
        return where;
    }

    /** This block with the keys it may have; any other key is reported. */
    public ObjectiveInput keys(List<String> allowed) {
        return new ObjectiveInput(reader, r, key, node, where, r.fields(node, where, allowed));
    }

    /** The map under {@code name} with the keys it may have. */
    public ObjectiveInput block(String name, List<String> allowed) {
        return new ObjectiveInput(reader, r, key, fields().get(name), fields().path(name), null).keys(allowed);
    }

    private Fields fields() {
        if (f == null) {
            throw new IllegalStateException("name the keys of " + where + " with keys(...) before reading them");
        }
        return f;
    }

    public String path(String name) {
        return fields().path(name);
    }

    public boolean has(String name) {
        return fields().has(name);
    }

    public String text(String name, String orElse) {
        return fields().text(name, orElse);
    }

    public String requireText(String name, String hint) {
        return fields().requireText(name, hint);
    }

    public Duration duration(String name, Duration orElse, boolean allowZero) {
        return fields().duration(name, orElse, allowZero);
    }

    public Duration requireDuration(String name, String hint, boolean allowZero) {
        return fields().requireDuration(name, hint, allowZero);
    }

    /** A fraction written as {@code 1%} or {@code 0.01}. */
    public Double fraction(String name, Double orElse) {
        return fields().fraction(name, orElse);
    }

    public Double requireFraction(String name, String hint) {
        return fields().requireFraction(name, hint);
    }

    public Boolean bool(String name, Boolean orElse) {
        return fields().bool(name, orElse);
    }

    /** A number; null (and a problem) when missing or not a number. */
    public Double requireNumber(String name, String hint) {
        YamlNode v = fields().require(name, hint);
        return v == null ? null : r.number(v, path(name));
    }

    /** {@code percentile}, between 0 and 100 (both excluded); null (and a problem) when missing or out of range. */
    public Double percentile(String hint) {
        YamlNode v = fields().require("percentile", hint);
        Double p = v == null ? null : r.number(v, path("percentile"));
        if (p != null && (p <= 0 || p >= 100)) {
            r.problem(v, path("percentile") + " is " + FaultReader.fmt(p) + ", but a percentile lies between 0 and 100 (both excluded)",
                    "write percentile: 99 for p99, or 99.9 for p99.9");
            return null;
        }
        return p;
    }

    /** Label matchers: a map {@code {job: demo}} or PromQL text {@code job="demo"}, as {@code job="demo"}; null when absent. */
    public String labels(String name) {
        YamlNode v = fields().get(name);
        if (v == null || v instanceof YamlNode.Scalar s && s.isNull()) {
            return null;
        }
        if (v instanceof YamlNode.MapNode) {
            Map<String, String> labels = r.textMap(v, path(name));
            return labels == null ? null : labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(","));
        }
        String t = r.text(v, path(name));
        return t == null ? null : t.replaceAll("^\\s*\\{|}\\s*$", "");
    }

    /** Whether {@code name} is a map with a key that picks the client's requests ({@code request}, {@code group}, {@code journey}). */
    public boolean picksTraffic(String name) {
        return fields().get(name) instanceof YamlNode.MapNode m && m.entries().keySet().stream().anyMatch(Traffic.KEYS::contains);
    }

    /**
     * The client's requests {@code name} picks: {@code {request: checkout}}, {@code {group: browse}} or
     * {@code {journey: buyer}}, exactly one; null when absent or wrong (then a problem). Whether the name exists in the
     * scenario's load is checked with the scenario.
     */
    public Traffic traffic(String name) {
        YamlNode v = fields().get(name);
        if (v == null) {
            return null;
        }
        Fields t = r.fields(v, path(name), Traffic.KEYS);
        List<String> given = Traffic.KEYS.stream().filter(t::has).toList();
        if (given.size() != 1) {
            r.problem(v, path(name) + (given.isEmpty() ? " picks no requests" : " has both " + given.get(0) + " and " + given.get(1)),
                    "write one of selector: {request: checkout}, {group: browse} or {journey: buyer}");
            return null;
        }
        String n = t.requireText(given.get(0), "write " + given.get(0) + ": <name>");
        return n == null ? null : Traffic.of(Traffic.Kind.valueOf(given.get(0).toUpperCase(Locale.ROOT)), n);
    }

    /** {@code source: client | prometheus} of a ratio whose queries are {@code goodOrBad} and {@code total}; null when wrong. */
    public SloDef.Source source(String goodOrBad) {
        String s = text("source", null);
        if (s == null) {
            if (has(goodOrBad) || has("total")) {
                r.problem(node, where + " has Prometheus queries but measures client-side", "add source: prometheus, or remove " + goodOrBad + " and total");
            }
            return SloDef.Source.CLIENT;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "client" -> {
                if (has(goodOrBad) || has("total")) {
                    r.problem(fields().get("source"), where + " has Prometheus queries but source: client", "write source: prometheus, or remove " + goodOrBad + " and total");
                }
                return SloDef.Source.CLIENT;
            }
            case "prometheus" -> {
                return SloDef.Source.PROMETHEUS;
            }
            default -> {
                r.problem(fields().get("source"), "unknown source '" + s + "'", "write source: client (slogate's own measurements) or source: prometheus");
                return null;
            }
        }
    }

    /** Where replicas come from: {@code capacity: {from: ..., workload: ..., namespace: ...}}; null when it has problems. */
    public Capacity capacity(String name) {
        CapacityReader.Capacity c = CapacityReader.read(r, fields().get(name), path(name), reader::promql);
        return c == null ? null : new Capacity(c.deployment(), c.workload());
    }

    /** A kube-state-metrics selector, or a workload read from the Kubernetes API. */
    public record Capacity(String deployment, SloDef.Workload workload) {
    }

    /** Asks Prometheus (when {@code validate} checks PromQL) about {@code query}, as it will run; a rejection is a problem at {@code name}. */
    public void promql(String name, String query) {
        reader.promql(fields().get(name), query);
    }

    /**
     * The query slogate reads for a counter ({@code sum(increase(...))} over a 1m stand-in for the window), as the
     * evaluator builds it, for {@link #promql}.
     */
    public static String counterIncrease(String query) {
        return SloReader.counterIncrease(query);
    }

    /** A problem at the value of {@code name}, or at the block when {@code name} is null or absent. */
    public void problem(String name, String message, String hint) {
        YamlNode at = name == null || f == null || fields().get(name) == null ? node : fields().get(name);
        r.problem(at, message, hint);
    }
}
