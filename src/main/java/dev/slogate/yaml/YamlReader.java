package dev.slogate.yaml;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of the nodes of one file. Every conversion either returns a value or reports a problem
 * (with the node's location) and returns null, so reading carries on and all problems of a file are found.
 */
public final class YamlReader {
    private final Path file;
    private final Problems problems;

    public YamlReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    public Path file() {
        return file;
    }

    public Problems problems() {
        return problems;
    }

    public void problem(YamlNode at, String message, String hint) {
        problems.add(file, at, message, hint);
    }

    public void problem(int line, int column, String message, String hint) {
        problems.add(file, line, column, message, hint);
    }

    /** Something read and not judged: printed with its location, never a failure. */
    public void warning(YamlNode at, String message, String hint) {
        problems.warn(file, at, message, hint);
    }

    /** The keys of a map node, checking that it is a map and that every key is one of {@code keys} or {@code accepted}. */
    public Fields fields(YamlNode node, String where, List<String> keys, Set<String> accepted) {
        return new Fields(this, node, where, keys, accepted);
    }

    public Fields fields(YamlNode node, String where, List<String> keys) {
        return fields(node, where, keys, Set.of());
    }

    public String text(YamlNode n, String what) {
        if (n instanceof YamlNode.Scalar s && !s.isNull()) {
            return s.text();
        }
        problem(n, what + " must be text, found " + n.describe(), "write a single value, e.g. " + lastPart(what) + ": value");
        return null;
    }

    public Duration duration(YamlNode n, String what, boolean allowZero) {
        String t = text(n, what);
        if (t == null) {
            return null;
        }
        if (n instanceof YamlNode.Scalar s && s.isNumber()) {
            problem(n, what + ": " + t + " has no unit", "write " + t + "s or " + t + "ms (units: ms, s, m, h)");
            return null;
        }
        try {
            Duration d = Durations.parse(t);
            if (d.isNegative() || (!allowZero && d.isZero())) {
                problem(n, what + " must be " + (allowZero ? "0s or more" : "more than 0s") + ", got " + t, "write a positive duration such as 10s");
                return null;
            }
            if (d.compareTo(Durations.MAX) > 0) {
                problem(n, what + " is " + t + ", longer than the " + Durations.format(Durations.MAX) + " a slogate run may last",
                        "write a duration of at most " + Durations.format(Durations.MAX) + ", e.g. 30s, 10m or 2h");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problem(n, what + ": " + e.getMessage(), "durations are a number with a unit: 500ms, 30s, 2m, 1h or 1m30s");
            return null;
        }
    }

    /** A whole number of at least {@code min}. */
    public Integer integer(YamlNode n, String what, int min) {
        return integer(n, what, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    public Integer integer(YamlNode n, String what, int min, int max) {
        String example = "e.g. " + lastPart(what) + ": " + Math.max(min, 1);
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.INTEGER) {
            String digits = s.text().replaceFirst("^[+-]?0*(?=[0-9])", "");
            // a long digit string is out of range whatever it says; never parse megabytes of digits
            long v = digits.length() > 12 ? (s.text().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(s.text().replace("+", ""));
            if (v < min) {
                problem(n, what + " must be " + min + " or more, got " + s.text(), "write a whole number >= " + min + ", " + example);
                return null;
            }
            if (v > max) {
                problem(n, what + " is " + s.text() + ", more than " + max, "write a whole number from " + min + " to " + max + ", " + example);
                return null;
            }
            return (int) v;
        }
        problem(n, what + " must be a whole number, found " + n.describe(), numberHint(n, "write a number without quotes or units, " + example));
        return null;
    }

    public Double number(YamlNode n, String what) {
        Double v = finite(n);
        if (v != null) {
            return v;
        }
        problem(n, what + " must be a" + (n instanceof YamlNode.Scalar s && s.isNumber() ? " finite" : "") + " number, found " + n.describe(),
                numberHint(n, "write a number without quotes, e.g. " + lastPart(what) + ": 1"));
        return null;
    }

    /** The value of a number scalar, or null when it is not one or not finite ({@code .nan}, {@code .inf}, {@code 1e999}). */
    public static Double finite(YamlNode n) {
        if (n instanceof YamlNode.Scalar s && s.isNumber() && s.text().length() <= 64) {
            try {
                double v = Double.parseDouble(s.text());
                return Double.isFinite(v) ? v : null;
            } catch (NumberFormatException e) {
                return null; // .nan, .inf
            }
        }
        return null;
    }

    /** A hint for a value that was meant as a number but is not one slogate reads. */
    public static String numberHint(YamlNode n, String otherwise) {
        if (!(n instanceof YamlNode.Scalar s) || s.text() == null) {
            return otherwise;
        }
        String t = s.text().trim();
        if (t.matches("[-+]?[0-9][0-9_]*(\\.[0-9_]+)?") && t.contains("_")) {
            return "write the number without underscores: " + t.replace("_", "");
        }
        if (t.matches("(?i)[-+]?\\.?(nan|inf|infinity)")) {
            return "write a finite number; .nan and .inf are not values slogate can use";
        }
        if (t.matches("(?i)[-+]?0[xob][0-9a-f]+")) {
            return "write the number in decimal";
        }
        if (s.isNumber()) {
            return "write a number between -1e300 and 1e300";
        }
        return otherwise;
    }

    /** A fraction in [0, 1], written as a percentage ({@code 1%}) or a fraction ({@code 0.01}). */
    public Double fraction(YamlNode n, String what) {
        String hint = "write a percentage such as 1% or a fraction such as 0.01";
        if (n instanceof YamlNode.Scalar s && s.isNumber()) {
            Double v = finite(n);
            if (v == null || v < 0 || v > 1) {
                problem(n, what + " is " + s.text() + ", but a fraction must lie between 0 and 1", "write " + s.text() + "% for a percentage, or a fraction such as 0.01");
                return null;
            }
            return v;
        }
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.TEXT && s.text().trim().endsWith("%")) {
            String num = s.text().trim();
            try {
                double v = Double.parseDouble(num.substring(0, num.length() - 1).trim());
                if (!(v >= 0 && v <= 100)) {
                    problem(n, what + " is " + num + ", but a percentage must lie between 0% and 100%", hint);
                    return null;
                }
                return v / 100.0;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problem(n, what + " must be a percentage or fraction, found " + n.describe(), numberHint(n, hint));
        return null;
    }

    public Boolean bool(YamlNode n, String what) {
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
            return Boolean.parseBoolean(s.text()) || s.text().equalsIgnoreCase("yes") || s.text().equalsIgnoreCase("on");
        }
        problem(n, what + " must be true or false, found " + n.describe(), "write " + lastPart(what) + ": true");
        return null;
    }

    /** The items of a list; a null value is an empty list. */
    public List<YamlNode> list(YamlNode n, String what) {
        if (n instanceof YamlNode.ListNode l) {
            return l.items();
        }
        if (n instanceof YamlNode.Scalar s && s.isNull()) {
            return List.of();
        }
        problem(n, what + " must be a list, found " + n.describe(), "write one item per line starting with '- ', or [a, b]");
        return null;
    }

    /** A map of text to text (labels, headers); a null value is an empty map. */
    public Map<String, String> textMap(YamlNode n, String what) {
        if (n instanceof YamlNode.Scalar s && s.isNull()) {
            return Map.of();
        }
        if (!(n instanceof YamlNode.MapNode m)) {
            problem(n, what + " must be a map of name: value, found " + n.describe(), "write " + lastPart(what) + ": {name: value}");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries().values()) {
            String v = text(e.value(), what + "." + e.key());
            if (v != null) {
                out.put(e.key(), v);
            }
        }
        return out;
    }

    private static String lastPart(String what) {
        int dot = what.lastIndexOf('.');
        String last = dot < 0 ? what : what.substring(dot + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }
}
