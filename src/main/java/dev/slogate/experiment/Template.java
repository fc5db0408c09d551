package dev.slogate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path, header value or body of a journey step with {@code ${name}} placeholders: a value extracted by an earlier
 * step or a feeder's column. {@code $${} writes a literal {@code ${}. Parsed once; {@link #render} only concatenates.
 *
 * <p>It is deliberately not turned into Gatling Expression Language: a journey step hands Gatling a function that
 * renders this template, so nothing the user wrote is ever read as EL, and a literal {@code #{...}} in a path or body
 * goes out as written.
 */
public final class Template {
    /** A variable name: letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter or {@code _}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

    private final String text;
    private final List<String> literals; // literals.size() == names.size() + 1
    private final List<String> names;

    private Template(String text, List<String> literals, List<String> names) {
        this.text = text;
        this.literals = List.copyOf(literals);
        this.names = List.copyOf(names);
    }

    /** The template of {@code text}; throws {@link IllegalArgumentException} naming a bad placeholder. */
    public static Template parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            literal.append(text, at, m.start());
            at = m.end();
            if (m.group(1) == null) {
                literal.append("${"); // $${ is a literal ${
                continue;
            }
            String name = m.group(1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'${" + m.group(1) + "}' is not a variable: a name is letters, digits, _ - or ."
                        + " starting with a letter");
            }
            literals.add(literal.toString());
            literal.setLength(0);
            names.add(name);
        }
        String rest = text.substring(at);
        if (rest.contains("${")) {
            throw new IllegalArgumentException("'${' at column " + (at + rest.indexOf("${") + 1) + " of the text is not closed by '}'");
        }
        literal.append(rest);
        literals.add(literal.toString());
        return new Template(text, literals, names);
    }

    /** The variables it reads, in order of first use. */
    public Set<String> variables() {
        return new LinkedHashSet<>(names);
    }

    /** Whether it has no placeholder: the text goes out as is. */
    public boolean isConstant() {
        return names.isEmpty();
    }

    /** The text with each placeholder replaced by {@code values}' answer (a missing value renders as empty). */
    public String render(Function<String, Object> values) {
        if (names.isEmpty()) {
            return literals.get(0);
        }
        StringBuilder out = new StringBuilder(text.length() + 16 * names.size());
        for (int i = 0; i < names.size(); i++) {
            out.append(literals.get(i));
            Object v = values.apply(names.get(i));
            if (v != null) {
                out.append(v);
            }
        }
        return out.append(literals.get(names.size())).toString();
    }

    /** The text as written. */
    @Override
    public String toString() {
        return text;
    }
}
