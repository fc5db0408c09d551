package dev.slogate.promql;

import dev.slogate.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a query into {@link Token}s: strings and their escapes, numbers, durations, names, punctuation and comments;
 * a character PromQL does not know, or an ill-formed string, number or duration, fails here with its position.
 */
final class Lexer {
    static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    /** One number-and-unit part of a duration; a range or subquery of only zero parts is empty. */
    static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w|y)");
    private static final List<String> UNIT_ORDER = List.of("y", "w", "d", "h", "m", "s", "ms");
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]+|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private final String q;
    private int pos;
    private int brackets;
    private final List<Token> out = new ArrayList<>();

    Lexer(String q) {
        this.q = q;
    }

    List<Token> tokens() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= q.length()) {
                out.add(new Token(Kind.EOF, "", q.length()));
                return out;
            }
            int start = pos;
            char c = q.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                string(c);
            } else if (isDigit(c) || c == '.' && pos + 1 < q.length() && isDigit(q.charAt(pos + 1))) {
                numberOrDuration();
            } else if (isAlpha(c) || c == ':' && brackets == 0) {
                while (pos < q.length() && (isAlpha(q.charAt(pos)) || isDigit(q.charAt(pos)) || q.charAt(pos) == ':')) {
                    pos++;
                }
                String w = q.substring(start, pos);
                boolean number = w.equalsIgnoreCase("inf") || w.equalsIgnoreCase("nan");
                out.add(new Token(number ? Kind.NUMBER : Kind.IDENT, w, start));
            } else {
                punctuation(c, start);
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < q.length()) {
            char c = q.charAt(pos);
            if (c == '#') {
                while (pos < q.length() && q.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private void punctuation(char c, int start) {
        String two = pos + 1 < q.length() ? q.substring(pos, pos + 2) : "";
        Kind kind;
        String text;
        switch (two) {
            case "==", "!=", "<=", ">=" -> { kind = Kind.OP; text = two; }
            case "=~", "!~" -> { kind = Kind.MATCH; text = two; }
            default -> {
                text = String.valueOf(c);
                kind = switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '{' -> Kind.LBRACE;
                    case '}' -> Kind.RBRACE;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    case ',' -> Kind.COMMA;
                    case ':' -> Kind.COLON;
                    case '@' -> Kind.AT;
                    case '=' -> Kind.EQ;
                    case '+', '-', '*', '/', '%', '^', '<', '>' -> Kind.OP;
                    default -> null;
                };
                if (kind == null) {
                    throw unexpectedCharacter(start);
                }
            }
        }
        if (kind == Kind.LBRACKET) {
            brackets++;
        } else if (kind == Kind.RBRACKET) {
            brackets = Math.max(0, brackets - 1);
        }
        pos += text.length();
        out.add(new Token(kind, text, start));
    }

    private Failure unexpectedCharacter(int at) {
        int cp = q.codePointAt(at);
        String shown = new String(Character.toChars(cp));
        if (cp == '!') {
            return new Failure(at, "'!' must be followed by '=' or '~'", "write != (not equal) or !~ (regex does not match)");
        }
        if (cp == '$') {
            return new Failure(at, "unexpected character '$'" + (q.startsWith("$window", at) ? " ($window is not replaced here)" : ""),
                    q.startsWith("$window", at)
                            ? "slogate replaces $window only in queries it does not wrap itself; with counter: true write the plain counter selector, slogate takes its increase over the window"
                            : "PromQL has no $ variables; slogate replaces only $window (with the window's length), write a literal value instead");
        }
        if (cp == ';' || cp == '&' || cp == '|') {
            return new Failure(at, "unexpected character '" + shown + "'", "PromQL joins expressions with and, or, unless or an arithmetic operator; a query is one expression");
        }
        if (cp == '\u201C' || cp == '\u201D' || cp == '\u2018' || cp == '\u2019') {
            return new Failure(at, "unexpected typographic quote '" + shown + "'", "use straight quotes: \" or ' (an editor or a document may have replaced them)");
        }
        return new Failure(at, "unexpected character '" + shown + "'",
                "PromQL knows names, numbers, durations, quoted strings and the characters ( ) { } [ ] , : @ + - * / % ^ = ! < > ~; quote the text if it is a label value");
    }

    private void string(char quote) {
        int start = pos;
        pos++;
        while (true) {
            if (pos >= q.length() || quote != '`' && q.charAt(pos) == '\n') {
                throw new Failure(start, "unterminated string: the " + quoteName(quote) + " opened here is not closed"
                        + (pos < q.length() ? " on its line" : ""),
                        "close it with " + quote + (quote == '`' ? "" : "; a string in " + quote + " cannot span lines (backtick strings can)"));
            }
            char c = q.charAt(pos);
            if (c == quote) {
                pos++;
                out.add(new Token(Kind.STRING, q.substring(start, pos), start));
                return;
            }
            if (c == '\\' && quote != '`') {
                escape(quote);
            } else {
                pos++;
            }
        }
    }

    private static String quoteName(char quote) {
        return quote == '"' ? "double quote" : quote == '\'' ? "single quote" : "backtick";
    }

    private void escape(char quote) {
        int at = pos;
        pos++;
        if (pos >= q.length()) {
            return; // the unterminated string is reported by the caller
        }
        char c = q.charAt(pos);
        String hint = "escapes are \\\\ \\" + quote + " \\n \\t \\r \\a \\b \\f \\v \\xHH \\uHHHH \\UHHHHHHHH \\ooo; in a regex write \\\\ for one backslash"
                + " (e.g. \"a\\\\.b\"), or use a backtick string where backslashes are literal (`a\\.b`)";
        switch (c) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> pos++;
            case 'x' -> digits(at, 2, 16, hint);
            case 'u' -> digits(at, 4, 16, hint);
            case 'U' -> digits(at, 8, 16, hint);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                pos--;
                digits(at, 3, 8, hint);
            }
            default -> {
                if (c == quote) {
                    pos++;
                } else {
                    throw new Failure(at, "unknown escape sequence \\" + new String(Character.toChars(q.codePointAt(pos))) + " in a string", hint);
                }
            }
        }
    }

    private void digits(int at, int count, int radix, String hint) {
        pos++;
        int value = 0;
        for (int i = 0; i < count; i++) {
            int d = pos < q.length() ? Character.digit(q.charAt(pos), radix) : -1;
            if (d < 0) {
                throw new Failure(at, "bad escape sequence " + q.substring(at, Math.min(q.length(), pos + 1)).strip() + ": expected "
                        + count + (radix == 16 ? " hexadecimal" : " octal") + " digits", hint);
            }
            value = value * radix + d;
            pos++;
        }
        if (value > Character.MAX_CODE_POINT || value >= 0xD800 && value < 0xE000 || radix == 8 && value > 255) {
            throw new Failure(at, "escape sequence " + q.substring(at, pos) + " is not a valid Unicode code point", hint);
        }
    }

    private void numberOrDuration() {
        int start = pos;
        Matcher d = DURATION.matcher(q).region(pos, q.length());
        if (d.lookingAt() && !continuesWord(d.end())) {
            pos = d.end();
            String text = q.substring(start, pos);
            checkUnitOrder(text, start);
            out.add(new Token(Kind.DURATION, text, start));
            return;
        }
        Matcher n = NUMBER.matcher(q).region(pos, q.length());
        if (n.lookingAt() && !continuesWord(n.end())) {
            pos = n.end();
            out.add(new Token(Kind.NUMBER, q.substring(start, pos), start));
            return;
        }
        int end = pos;
        while (end < q.length() && (isAlpha(q.charAt(end)) || isDigit(q.charAt(end)) || q.charAt(end) == '.')) {
            end++;
        }
        throw new Failure(start, "bad number or duration '" + q.substring(start, end) + "'",
                "numbers look like 42, 0.5, 1e3 or 0x1f; durations like 30s, 5m, 1h30m, 100ms (units ms, s, m, h, d, w, y, lower case, largest first)");
    }

    private boolean continuesWord(int at) {
        return at < q.length() && (isAlpha(q.charAt(at)) || isDigit(q.charAt(at)) || q.charAt(at) == '.');
    }

    private static void checkUnitOrder(String text, int start) {
        Matcher m = DURATION_PART.matcher(text);
        int last = -1;
        while (m.find()) {
            int rank = UNIT_ORDER.indexOf(m.group(2));
            if (rank <= last) {
                throw new Failure(start, "duration " + text + " repeats a unit or is not ordered from the largest unit to the smallest",
                        "write each unit once, largest first: 1h30m, 2d12h, 1m30s");
            }
            last = rank;
        }
    }

    private static boolean isAlpha(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
