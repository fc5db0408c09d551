package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys of one fault spec, as a {@link FaultKind} reads its own: each accessor reports a problem at the line and
 * column of the key (or of the spec, for a missing one) and returns null, so a file's every problem is listed at once.
 */
public final class FaultKeys {
    private final YamlReader reader;
    private final Fields fields;

    FaultKeys(YamlReader reader, Fields fields) {
        this.reader = reader;
        this.fields = fields;
    }

    public boolean has(String key) {
        return fields.has(key);
    }

    /** The spec was a map (when it was not, that is reported once; missing keys are not reported again). */
    public boolean isMap() {
        return fields.isMap();
    }

    /** The key's path for messages, e.g. {@code spec.reason}. */
    public String path(String key) {
        return fields.path(key);
    }

    public String text(String key, String orElse) {
        return fields.text(key, orElse);
    }

    public String requireText(String key, String hint) {
        return fields.requireText(key, hint);
    }

    public Integer integer(String key, Integer orElse, int min) {
        return fields.integer(key, orElse, min);
    }

    public Integer integer(String key, Integer orElse, int min, int max) {
        return fields.integer(key, orElse, min, max);
    }

    public Duration duration(String key, Duration orElse, boolean allowZero) {
        return fields.duration(key, orElse, allowZero);
    }

    /** A share written as 25% or 0.25, as a fraction (0.25). */
    public Double requireFraction(String key, String hint) {
        return fields.requireFraction(key, hint);
    }

    /** {@code key}'s value if written, else {@code orElse}; a value not in {@code valid} is reported with the nearest one. */
    public String oneOf(String key, String orElse, List<String> valid, String hint) {
        String v = fields.text(key, orElse);
        if (v != null && !valid.contains(v)) {
            reader.problem(fields.get(key), "unknown " + key + " '" + v + "'" + FaultReader.nearest(v, valid), hint);
        }
        return v;
    }

    /** A required, non-empty list of names ({@code containers: [app]}); null after a problem. */
    public List<String> requireNames(String key, String hint, String emptyHint) {
        YamlNode node = fields.require(key, hint);
        List<YamlNode> items = node == null ? null : reader.list(node, path(key));
        if (items == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String n = reader.text(items.get(i), path(key) + "[" + i + "]");
            if (n != null) {
                names.add(n);
            }
        }
        if (items.isEmpty()) {
            reader.problem(node, path(key) + " is empty", emptyHint);
        }
        return names;
    }

    /**
     * A pod selector in one namespace under {@code key} ({@code {namespace: shop, labels: {app: db}, mode: all}}): mode
     * all when not written; null when absent or after a problem.
     */
    public Selector podSelector(String key, String example) {
        if (!fields.has(key)) {
            return null;
        }
        Fields t = reader.fields(fields.get(key), path(key), List.of("namespace", "labels", "mode", "value"));
        String ns = t.requireText("namespace", "write " + key + ": " + example);
        Map<String, String> labels = t.has("labels") ? t.textMap("labels") : Map.of();
        ClusterReader.labels(reader, t.get("labels"), t.path("labels"), labels);
        Selector.Mode mode = t.has("mode") ? FaultReader.mode(reader, t, t.where()) : Selector.Mode.ALL;
        double value = mode == null ? 0 : FaultReader.value(reader, t, mode);
        return ns == null || mode == null ? null : new Selector(labels, mode, value, new Selector.Scope(ns, Map.of(), List.of(), null, null, null));
    }

    /** The keys of the block under {@code key} (reported with {@code hint} when missing); null when it is missing. */
    public FaultKeys requireBlock(String key, List<String> keys, String hint) {
        YamlNode node = fields.require(key, hint);
        return node == null ? null : new FaultKeys(reader, reader.fields(node, path(key), keys));
    }

    /** A latency or jitter Chaos Mesh hands to tc netem must be whole microseconds; reported at {@code key}. */
    public void wholeMicroseconds(String key, Duration d) {
        ClusterReader.netemDuration(reader, fields, key, d);
    }

    /** Reports a problem at the key's value (or at the spec when the key is absent). */
    public void problem(String key, String message, String hint) {
        YamlNode at = fields.get(key);
        reader.problem(at != null ? at : fields.node(), message, hint);
    }

    /** Reports that the spec lacks something: {@code where: message}, at the spec. */
    public void missing(String message, String hint) {
        reader.problem(fields.node(), fields.where() + ": " + message, hint);
    }

    /** {@code digits} is a whole number from {@code min} to {@code max} (false when it overflows a long). */
    public static boolean wholeNumberBetween(String digits, long min, long max) {
        try {
            long v = Long.parseLong(digits);
            return v >= min && v <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
