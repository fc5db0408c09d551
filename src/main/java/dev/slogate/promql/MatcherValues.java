package dev.slogate.promql;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the value of a label matcher means: its text once unquoted, whether it matches the empty label, and the regex
 * mistakes every engine refuses.
 */
final class MatcherValues {
    private MatcherValues() {
    }

    /**
     * Whether a matcher accepts a series without the label (its value is then ""). A selector of only such matchers
     * would select every series, which Prometheus refuses. A regex Java cannot compile counts as needing a value: in
     * doubt the query passes and the server judges it.
     */
    static boolean matchesEmpty(String op, String value) {
        return switch (op) {
            case "=" -> value.isEmpty();
            case "!=" -> !value.isEmpty();
            default -> {
                Boolean empty;
                try {
                    empty = Pattern.compile(value).matcher("").matches();
                } catch (RuntimeException e) {
                    empty = null;
                }
                yield empty != null && (op.equals("=~") == empty);
            }
        };
    }

    /**
     * The mistakes RE2 and every regex engine refuse alike: unbalanced parentheses and a repetition operator with
     * nothing to repeat ({@code +x}, {@code (*x)}, {@code a|*}, {@code a**}). Anything subtler is left to the server.
     */
    static Optional<String> regexProblem(String re) {
        int depth = 0;
        boolean canRepeat = false;
        boolean repeated = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    i++;
                    canRepeat = true;
                    repeated = false;
                }
                case '[' -> {
                    int j = i + 1;
                    j += j < re.length() && re.charAt(j) == '^' ? 1 : 0;
                    j += j < re.length() && re.charAt(j) == ']' ? 1 : 0;
                    while (j < re.length() && re.charAt(j) != ']') {
                        j += re.charAt(j) == '\\' ? 2 : re.startsWith("[:", j) && re.indexOf(":]", j + 2) > 0 ? re.indexOf(":]", j + 2) + 2 - j : 1;
                    }
                    if (j >= re.length()) {
                        return Optional.of("the character class [ is not closed with ]");
                    }
                    i = j;
                    canRepeat = true;
                    repeated = false;
                }
                case '(' -> {
                    depth++;
                    canRepeat = false;
                    repeated = false;
                    if (re.startsWith("(?", i)) {
                        int close = re.indexOf(')', i);
                        int colon = re.indexOf(':', i);
                        if (close > 0 && (colon < 0 || close < colon)) { // (?i): a flag group, nothing to repeat
                            depth--;
                            i = close;
                        } else if (colon > 0) {
                            i = colon;
                        }
                    }
                }
                case ')' -> {
                    if (--depth < 0) {
                        return Optional.of("a ) closes no (");
                    }
                    canRepeat = true;
                    repeated = false;
                }
                case '|' -> {
                    canRepeat = false;
                    repeated = false;
                }
                case '*', '+', '?' -> {
                    if (c == '?' && repeated) {
                        repeated = false; // a lazy repetition: x*? x+? x??
                        canRepeat = false;
                    } else if (!canRepeat) {
                        return Optional.of((repeated ? "nested repetition " : "missing argument to repetition operator ") + c);
                    } else {
                        canRepeat = false;
                        repeated = true;
                    }
                }
                default -> {
                    canRepeat = true;
                    repeated = false;
                }
            }
        }
        return depth > 0 ? Optional.of("a ( is not closed with )") : Optional.empty();
    }

    /** The value of a string token that the lexer accepted (so its escapes are valid). */
    static String unquote(String token) {
        String body = token.substring(1, token.length() - 1);
        if (token.charAt(0) == '`') {
            return body;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    b.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + n), 16));
                    i += n;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    b.appendCodePoint(Integer.parseInt(body.substring(i, i + 3), 8));
                    i += 2;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
