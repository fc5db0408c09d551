package dev.slogate.yaml;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of one YAML map, checked against the keys allowed there. Unknown keys are reported with the nearest valid
 * key; keys in {@code accepted} (OpenSLO fields slogate does not use) are allowed and ignored.
 */
public final class Fields {
    private final YamlReader reader;
    private final YamlNode node;
    private final String where;
    private final Map<String, YamlNode.Entry> entries;
    /** False when the node was not a map at all: its absent keys are then not reported again. */
    private final boolean valid;

    Fields(YamlReader reader, YamlNode node, String where, List<String> keys, Set<String> accepted) {
        this.reader = reader;
        this.node = node;
        this.where = where;
        if (node instanceof YamlNode.MapNode m) {
            entries = m.entries();
            valid = true;
            for (YamlNode.Entry e : m.entries().values()) {
                if (!keys.contains(e.key()) && !accepted.contains(e.key())) {
                    unknownKey(e, keys);
                }
            }
        } else if (node == null) {
            // The map itself is missing; that was reported where it was required.
            entries = Map.of();
            valid = false;
        } else if (node instanceof YamlNode.Scalar s && s.isNull()) {
            entries = Map.of();
            valid = true;
        } else {
            entries = Map.of();
            valid = false;
            reader.problem(node, where + " must be a map of key: value, found " + node.describe(),
                    "write the keys " + String.join(", ", keys) + " indented below " + where);
        }
    }

    private void unknownKey(YamlNode.Entry e, List<String> keys) {
        String nearest = keys.stream().min(Comparator.comparingInt(k -> editDistance(k.toLowerCase(), e.key().toLowerCase()))).orElse(null);
        boolean close = nearest != null && editDistance(nearest.toLowerCase(), e.key().toLowerCase()) <= Math.max(2, e.key().length() / 3);
        reader.problem(e.line(), e.column(), "unknown key '" + e.key() + "' in " + where + (close ? "; did you mean '" + nearest + "'?" : ""),
                "valid keys here: " + String.join(", ", keys));
    }

    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Whether the node was a map (or empty); when not, that was already reported. */
    public boolean isMap() {
        return valid;
    }

    public YamlNode node() {
        return node;
    }

    public String where() {
        return where;
    }

    public String path(String key) {
        return where + "." + key;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of {@code key}, or null when absent. */
    public YamlNode get(String key) {
        YamlNode.Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    public YamlNode.Entry entry(String key) {
        return entries.get(key);
    }

    /** The key itself as a node, located where the key is written (for a message about the key, not its value). */
    public YamlNode keyAt(String key) {
        YamlNode.Entry e = entries.get(key);
        return e == null ? node : new YamlNode.Scalar(key, YamlNode.Scalar.Type.TEXT, e.line(), e.column());
    }

    /** The value of {@code key}; when absent reports that {@code where} needs it, with {@code hint}. */
    public YamlNode require(String key, String hint) {
        YamlNode v = get(key);
        if (v == null && valid) {
            reader.problem(node, where + " needs '" + key + "'", hint);
        }
        return v;
    }

    public String text(String key, String orElse) {
        YamlNode v = get(key);
        return v == null || isNull(v) ? orElse : reader.text(v, path(key));
    }

    public String requireText(String key, String hint) {
        YamlNode v = require(key, hint);
        return v == null ? null : reader.text(v, path(key));
    }

    public Duration duration(String key, Duration orElse, boolean allowZero) {
        YamlNode v = get(key);
        return v == null ? orElse : reader.duration(v, path(key), allowZero);
    }

    public Duration requireDuration(String key, String hint, boolean allowZero) {
        YamlNode v = require(key, hint);
        return v == null ? null : reader.duration(v, path(key), allowZero);
    }

    public Integer integer(String key, Integer orElse, int min) {
        YamlNode v = get(key);
        return v == null ? orElse : reader.integer(v, path(key), min);
    }

    public Integer integer(String key, Integer orElse, int min, int max) {
        YamlNode v = get(key);
        return v == null ? orElse : reader.integer(v, path(key), min, max);
    }

    public Double fraction(String key, Double orElse) {
        YamlNode v = get(key);
        return v == null ? orElse : reader.fraction(v, path(key));
    }

    public Double requireFraction(String key, String hint) {
        YamlNode v = require(key, hint);
        return v == null ? null : reader.fraction(v, path(key));
    }

    public Boolean bool(String key, Boolean orElse) {
        YamlNode v = get(key);
        return v == null ? orElse : reader.bool(v, path(key));
    }

    public Map<String, String> textMap(String key) {
        YamlNode v = get(key);
        return v == null ? Map.of() : reader.textMap(v, path(key));
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof YamlNode.Scalar s && s.isNull();
    }
}
