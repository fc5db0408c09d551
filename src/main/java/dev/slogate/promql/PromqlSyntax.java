package dev.slogate.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks PromQL offline, without a Prometheus: the lexical rules (strings and their escapes, numbers, durations, unknown
 * characters) and the grammar (brackets, selectors, calls, aggregations, binary operators and their modifiers, range
 * selectors, subqueries, {@code offset} and {@code @}), so a typo is found by {@code validate} with its position.
 * It does not know function names or types; a live server still has the last word. Where Prometheus versions differ
 * (e.g. quoted UTF-8 names of 3.x, a number of seconds in a range) it accepts: refusing a valid query would block a gate.
 */
public final class PromqlSyntax {
    /** What is wrong, at {@code offset} (a char index into the query). */
    public record Error(int offset, String message, String hint) {
    }

    private static final Set<String> AGGREGATORS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count");
    private static final Set<String> PARAM_AGGREGATORS = Set.of("topk", "bottomk", "quantile", "count_values");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", ">", "<", ">=", "<=");
    private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
    private static final Set<String> WORD_OPERATORS = Set.of("and", "or", "unless", "atan2");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w|y)");
    private static final List<String> UNIT_ORDER = List.of("y", "w", "d", "h", "m", "s", "ms");
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F]+|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private PromqlSyntax() {
    }

    /** The first problem of {@code query}, or empty when it parses. */
    public static Optional<Error> check(String query) {
        try {
            new Parser(new Lexer(query).tokens()).parse();
            return Optional.empty();
        } catch (Failure f) {
            return Optional.of(f.error);
        }
    }

    /** Whether {@code query} is one vector selector without modifiers, e.g. {@code http_requests_total{code="5xx"}}. */
    public static boolean isPlainSelector(String query) {
        try {
            List<Token> tokens = new Lexer(query).tokens();
            return new Parser(tokens).parse() == Node.SELECTOR;
        } catch (Failure f) {
            return false;
        }
    }

    private static final class Failure extends RuntimeException {
        final Error error;

        Failure(int offset, String message, String hint) {
            super(message, null, false, false);
            this.error = new Error(offset, message, hint);
        }
    }

    // ---- lexer ---------------------------------------------------------------------------------------------------

    private enum Kind { IDENT, NUMBER, DURATION, STRING, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON, AT, OP, MATCH, EQ, EOF }

    private record Token(Kind kind, String text, int start) {
        String word() {
            return text.toLowerCase(Locale.ROOT);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "the end of the query";
                case STRING -> "the string " + text;
                case DURATION -> "the duration " + text;
                case NUMBER -> "the number " + text;
                case IDENT -> "'" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private static final class Lexer {
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
    }

    /**
     * Whether a matcher accepts a series without the label (its value is then ""). A selector of only such matchers
     * would select every series, which Prometheus refuses. A regex Java cannot compile counts as needing a value: in
     * doubt the query passes and the server judges it.
     */
    private static boolean matchesEmpty(String op, String value) {
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
    private static Optional<String> regexProblem(String re) {
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
    private static String unquote(String token) {
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

    private static boolean isAlpha(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ---- parser --------------------------------------------------------------------------------------------------

    /** What an expression is, as far as the modifiers that may follow it care. */
    private enum Node { SELECTOR, MODIFIED_SELECTOR, RANGE, SUBQUERY, OTHER }

    private static final class Parser {
        private final List<Token> tokens;
        private int i;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Node parse() {
            if (peek().kind() == Kind.EOF) {
                throw new Failure(0, "the query is empty", "write a PromQL expression, e.g. sum(rate(http_requests_total[5m]))");
            }
            Node n = expression();
            Token t = peek();
            if (t.kind() != Kind.EOF) {
                throw unexpected(t, "after a complete expression");
            }
            return n;
        }

        private Token peek() {
            return tokens.get(i);
        }

        private Token peek(int ahead) {
            return tokens.get(Math.min(tokens.size() - 1, i + ahead));
        }

        private Token next() {
            return tokens.get(i++);
        }

        private Token expect(Kind kind, String what, String hint) {
            Token t = peek();
            if (t.kind() != kind) {
                throw new Failure(t.start(), "expected " + what + ", found " + t.describe(), hint);
            }
            return next();
        }

        private Failure unexpected(Token t, String where) {
            return switch (t.kind()) {
                case RPAREN -> new Failure(t.start(), "unexpected ')': it closes no '('", "remove it, or add the '(' it should close");
                case RBRACKET -> new Failure(t.start(), "unexpected ']': it closes no '['", "remove it, or add the '[' it should close");
                case RBRACE -> new Failure(t.start(), "unexpected '}': it closes no '{'", "remove it, or add the '{' it should close");
                case COMMA -> new Failure(t.start(), "unexpected ',' outside a function's or aggregation's arguments, a label list or braces",
                        "a query is one expression: combine parts with an operator (+, and, or...), or put them in a call such as f(a, b)");
                case EOF -> new Failure(t.start(), "the query ends early", "complete the expression");
                default -> new Failure(t.start(), "unexpected " + t.describe() + " " + where,
                        "join expressions with a binary operator (+, -, *, /, and, or, unless, ==...); a query is one expression");
            };
        }

        private boolean isBinaryOperator(Token t) {
            return t.kind() == Kind.OP || t.kind() == Kind.IDENT && WORD_OPERATORS.contains(t.word());
        }

        private Node expression() {
            Node left = unary();
            while (isBinaryOperator(peek())) {
                Token op = next();
                if (left == Node.RANGE) {
                    throw rangeOperand(op);
                }
                String opText = op.kind() == Kind.IDENT ? op.word() : op.text();
                if (peek().kind() == Kind.IDENT && peek().word().equals("bool")) {
                    Token bool = next();
                    if (!COMPARISONS.contains(opText)) {
                        throw new Failure(bool.start(), "bool applies to comparisons only, not to '" + opText + "'", "remove bool, or use ==, !=, >, <, >= or <=");
                    }
                }
                if (peek().kind() == Kind.IDENT && (peek().word().equals("on") || peek().word().equals("ignoring"))) {
                    next();
                    labelList("on/ignoring");
                    if (peek().kind() == Kind.IDENT && (peek().word().equals("group_left") || peek().word().equals("group_right"))) {
                        Token group = next();
                        if (SET_OPERATORS.contains(opText)) {
                            throw new Failure(group.start(), group.text() + " is not allowed with '" + opText + "'",
                                    "and, or and unless match many-to-many already; remove " + group.text());
                        }
                        if (peek().kind() == Kind.LPAREN) {
                            labelList(group.word());
                        }
                    }
                } else if (peek().kind() == Kind.IDENT && (peek().word().equals("group_left") || peek().word().equals("group_right"))) {
                    throw new Failure(peek().start(), peek().text() + " needs on(...) or ignoring(...) before it",
                            "write e.g. x * on(instance) " + peek().word() + " y");
                }
                if (peek().kind() == Kind.EOF) {
                    throw new Failure(op.start(), "the query ends with the binary operator '" + op.text() + "'",
                            "add its right-hand side (e.g. " + op.text() + " vector(0)) or remove the trailing '" + op.text() + "'");
                }
                Token right = peek();
                if (unary() == Node.RANGE) {
                    throw rangeOperand(right);
                }
                left = Node.OTHER;
            }
            return left;
        }

        private static Failure rangeOperand(Token at) {
            return new Failure(at.start(), "a range vector such as x[5m] cannot be an operand of an operator",
                    "turn it into an instant vector with a function: rate(x[5m]), increase(x[5m]), avg_over_time(x[5m])");
        }

        private Node unary() {
            if (peek().kind() == Kind.OP && (peek().text().equals("+") || peek().text().equals("-"))) {
                Token sign = next();
                if (peek().kind() == Kind.EOF) {
                    throw new Failure(sign.start(), "the query ends with '" + sign.text() + "'", "complete the expression or remove the trailing '" + sign.text() + "'");
                }
                if (unary() == Node.RANGE) {
                    throw rangeOperand(sign);
                }
                return Node.OTHER;
            }
            return postfix();
        }

        private Node postfix() {
            Node n = primary();
            boolean offset = false;
            boolean at = false;
            while (true) {
                Token t = peek();
                if (t.kind() == Kind.LBRACKET) {
                    n = range(n, offset || at);
                    offset = false;
                    at = false;
                } else if (t.kind() == Kind.IDENT && t.word().equals("offset")) {
                    requireModifiable(n, t, "offset");
                    if (offset) {
                        throw new Failure(t.start(), "offset is given twice", "keep one offset");
                    }
                    next();
                    if (peek().kind() == Kind.OP && (peek().text().equals("-") || peek().text().equals("+"))) {
                        next();
                    }
                    expect(Kind.DURATION, "a duration after offset", "write e.g. offset 5m or offset 1h30m");
                    offset = true;
                } else if (t.kind() == Kind.AT) {
                    requireModifiable(n, t, "@");
                    if (at) {
                        throw new Failure(t.start(), "@ is given twice", "keep one @ modifier");
                    }
                    next();
                    timestamp();
                    at = true;
                } else {
                    return n == Node.SELECTOR && (offset || at) ? Node.MODIFIED_SELECTOR : n;
                }
            }
        }

        private static void requireModifiable(Node n, Token t, String what) {
            if (n == Node.OTHER) {
                throw new Failure(t.start(), what + " must follow a selector, a range selector or a subquery",
                        "move it inside the call, e.g. rate(x[5m] " + (what.equals("@") ? "@ end()" : "offset 1h") + "), not after it");
            }
        }

        private void timestamp() {
            Token t = peek();
            if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
                next();
                t = peek();
            }
            if (t.kind() == Kind.NUMBER) {
                next();
                return;
            }
            if (t.kind() == Kind.IDENT && (t.word().equals("start") || t.word().equals("end"))) {
                next();
                expect(Kind.LPAREN, "'(' after " + t.text(), "write @ " + t.word() + "()");
                expect(Kind.RPAREN, "')' after " + t.text() + "(", "write @ " + t.word() + "()");
                return;
            }
            throw new Failure(t.start(), "expected a timestamp after @, found " + t.describe(), "write @ 1700000000 (Unix seconds), @ start() or @ end()");
        }

        private Node range(Node n, boolean modified) {
            Token open = next();
            Token first = peek();
            if (first.kind() == Kind.RBRACKET) {
                throw new Failure(open.start(), "empty range []", "write a duration: [5m], or a subquery [5m:1m]");
            }
            duration(open, "range");
            if (peek().kind() == Kind.COLON) {
                next();
                if (peek().kind() != Kind.RBRACKET) {
                    duration(open, "subquery step");
                }
                close(open);
                if (n == Node.RANGE) {
                    throw new Failure(open.start(), "a subquery needs an instant vector, not a range",
                            "remove the inner range, e.g. max_over_time(rate(x[5m])[1h:1m])");
                }
                return Node.SUBQUERY;
            }
            close(open);
            if (n != Node.SELECTOR || modified) {
                throw new Failure(open.start(), modified ? "a range [...] must come before offset and @"
                        : "a range [...] can only follow a metric selector",
                        modified ? "write x[5m] offset 1h, not x offset 1h [5m]"
                                : "put the range on the selector inside the call (rate(x[5m]), not rate(x)[5m]), or write a subquery such as (expr)[5m:1m]");
            }
            return Node.RANGE;
        }

        private void close(Token open) {
            Token t = peek();
            if (t.kind() != Kind.RBRACKET) {
                throw new Failure(t.kind() == Kind.EOF ? open.start() : t.start(),
                        t.kind() == Kind.EOF ? "unclosed '['" : "expected ']' to close the '[', found " + t.describe(),
                        "close it with ]: a range is [5m], a subquery [5m:1m]");
            }
            next();
        }

        private void duration(Token open, String what) {
            Token t = peek();
            if (t.kind() == Kind.DURATION) {
                next();
                if (DURATION_PART.matcher(t.text()).results().allMatch(m -> Long.parseLong(m.group(1)) == 0)) {
                    throw new Failure(t.start(), "the " + what + " " + t.text() + " must be longer than 0", "write e.g. 5m");
                }
                return;
            }
            if (t.kind() == Kind.NUMBER && !t.text().matches("0*\\.?0*")) {
                next(); // Prometheus 3 reads a plain number here as seconds; 2.x asks for a unit
                return;
            }
            if (t.kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '['", "close it with ]: a range is [5m], a subquery [5m:1m]");
            }
            throw new Failure(t.start(), "expected a duration in [ ] for the " + what + ", found " + t.describe(),
                    "write a duration with a unit: [5m], [1h30m], [30s]; a subquery is [5m:1m]");
        }

        private Node primary() {
            Token t = peek();
            switch (t.kind()) {
                case NUMBER, STRING -> {
                    next();
                    return Node.OTHER;
                }
                case LPAREN -> {
                    next();
                    if (peek().kind() == Kind.RPAREN) {
                        throw new Failure(peek().start(), "empty parentheses ()", "put an expression inside, or remove them");
                    }
                    expression();
                    closeParen(t, "parenthesis");
                    return Node.OTHER;
                }
                case LBRACE -> {
                    matchers(true);
                    return Node.SELECTOR;
                }
                case IDENT -> {
                    return identifier();
                }
                case DURATION -> throw new Failure(t.start(), "unexpected duration " + t.text() + " outside [ ] and offset",
                        "a duration goes in a range [5m], a subquery [5m:1m] or after offset; as a number of seconds write e.g. 300");
                case EOF -> throw new Failure(t.start(), "the query ends where an expression is expected", "complete the expression");
                default -> throw unexpected(t, "where an expression is expected");
            }
        }

        private void closeParen(Token open, String what) {
            Token t = peek();
            if (t.kind() == Kind.RPAREN) {
                next();
                return;
            }
            if (t.kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '(': this " + what + " is never closed", "add ')' where it ends");
            }
            if (t.kind() == Kind.COMMA) {
                throw new Failure(t.start(), "unexpected ',' inside parentheses that are not a call",
                        "a call is name(a, b); parentheses that only group hold one expression");
            }
            throw new Failure(t.start(), "expected ')' to close the '(' at character " + (open.start() + 1) + ", found " + t.describe(),
                    "close the '(' before this, or join the parts with an operator");
        }

        private Node identifier() {
            Token name = next();
            String word = name.word();
            boolean aggregator = AGGREGATORS.contains(word) || PARAM_AGGREGATORS.contains(word);
            if (aggregator && (peek().kind() == Kind.LPAREN || isGrouping(peek()))) {
                aggregation(name);
                return Node.OTHER;
            }
            if (peek().kind() == Kind.LPAREN && !name.text().contains(":")) {
                arguments(name); // function names differ between Prometheus versions: the server judges them
                return Node.OTHER;
            }
            if (peek().kind() == Kind.LBRACE) {
                matchers(false);
            }
            return Node.SELECTOR;
        }

        private boolean isGrouping(Token t) {
            return t.kind() == Kind.IDENT && (t.word().equals("by") || t.word().equals("without"));
        }

        private void aggregation(Token name) {
            boolean grouped = false;
            if (isGrouping(peek())) {
                Token g = next();
                labelList(g.word());
                grouped = true;
            }
            if (peek().kind() != Kind.LPAREN) {
                throw new Failure(peek().start(), "expected '(' with the arguments of " + name.text() + ", found " + peek().describe(),
                        "write " + name.word() + " by (label) (expression)");
            }
            Token first = peek(1);
            List<Node> args = arguments(name);
            if (!args.isEmpty() && args.get(args.size() - 1) == Node.RANGE) {
                throw new Failure(args.size() == 1 ? first.start() : name.start(), name.word() + " aggregates instant vectors, not a range vector such as x[5m]",
                        "aggregate a function of the range: " + name.word() + "(rate(x[5m]))");
            }
            if (isGrouping(peek())) {
                Token g = next();
                if (grouped) {
                    throw new Failure(g.start(), name.text() + " has two groupings", "keep one: " + name.word() + " by (a, b) (x)");
                }
                labelList(g.word());
            }
            int expected = PARAM_AGGREGATORS.contains(name.word()) ? 2 : 1;
            if (args.size() != expected) {
                throw new Failure(name.start(), name.word() + " takes " + expected + " argument" + (expected > 1 ? "s" : "") + ", found " + args.size(),
                        expected == 2 ? "write " + name.word() + "(" + (name.word().equals("count_values") ? "\"label\"" : name.word().equals("quantile") ? "0.9" : "5")
                                + ", expression)" : "write " + name.word() + "(expression), or " + name.word() + " by (label) (expression)");
            }
        }

        /** The arguments of a call, from its '(' to its ')'. */
        private List<Node> arguments(Token name) {
            Token open = next();
            List<Node> args = new ArrayList<>();
            if (peek().kind() == Kind.RPAREN) {
                next();
                return args;
            }
            while (true) {
                if (peek().kind() == Kind.EOF) {
                    throw new Failure(open.start(), "unclosed '(' of " + name.text() + "(...)", "add ')' where its arguments end");
                }
                args.add(expression());
                Token t = peek();
                if (t.kind() == Kind.RPAREN) {
                    next();
                    return args;
                }
                if (t.kind() != Kind.COMMA) {
                    if (t.kind() == Kind.EOF) {
                        throw new Failure(open.start(), "unclosed '(' of " + name.text() + "(...)", "add ')' where its arguments end");
                    }
                    throw new Failure(t.start(), "expected ',' or ')' in the arguments of " + name.text() + ", found " + t.describe(),
                            "separate arguments with commas and close the call with ')'");
                }
                next();
                if (peek().kind() == Kind.RPAREN) {
                    throw new Failure(t.start(), "trailing ',' in the arguments of " + name.text(), "remove the last comma");
                }
            }
        }

        /** {@code (a, b)} after by, without, on, ignoring, group_left or group_right; a trailing comma is allowed. */
        private void labelList(String after) {
            Token open = peek();
            if (open.kind() != Kind.LPAREN) {
                throw new Failure(open.start(), "expected '(' with a label list after " + after + ", found " + open.describe(),
                        "write " + after + " (label1, label2)");
            }
            next();
            while (peek().kind() != Kind.RPAREN) {
                Token t = peek();
                if (t.kind() == Kind.EOF) {
                    throw new Failure(open.start(), "unclosed '(' of the label list after " + after, "add ')' after the labels");
                }
                if (!isLabelName(t)) {
                    throw new Failure(t.start(), "expected a label name in the list after " + after + ", found " + t.describe(),
                            "label names are letters, digits and _ (not starting with a digit), separated by commas");
                }
                next();
                if (peek().kind() == Kind.COMMA) {
                    next();
                } else if (peek().kind() != Kind.RPAREN) {
                    Token u = peek();
                    throw u.kind() == Kind.EOF ? new Failure(open.start(), "unclosed '(' of the label list after " + after, "add ')' after the labels")
                            : new Failure(u.start(), "expected ',' or ')' in the label list after " + after + ", found " + u.describe(),
                            "separate label names with commas: " + after + " (a, b)");
                }
            }
            next();
        }

        private static boolean isLabelName(Token t) {
            return t.kind() == Kind.IDENT && !t.text().contains(":") || t.kind() == Kind.STRING && t.text().charAt(0) == '"';
        }

        /** {@code {a="b", c=~"d"}}; alone (no metric name) it must select something: a matcher that does not match "". */
        private void matchers(boolean alone) {
            Token open = next();
            boolean selective = false;
            int count = 0;
            while (peek().kind() != Kind.RBRACE) {
                Token label = peek();
                if (label.kind() == Kind.EOF) {
                    throw new Failure(open.start(), "unclosed '{': the label matchers are never closed", "add '}' after the matchers");
                }
                if (label.kind() == Kind.STRING && (peek(1).kind() == Kind.COMMA || peek(1).kind() == Kind.RBRACE)) {
                    next(); // {"metric.name"}: a quoted metric name (Prometheus 3)
                    selective = true;
                } else {
                    if (!isLabelName(label)) {
                        throw new Failure(label.start(), "expected a label name in { }, found " + label.describe(),
                                label.kind() == Kind.COMMA ? "remove the extra comma" : "write {label=\"value\"}, several separated by commas");
                    }
                    next();
                    Token op = peek();
                    if (op.kind() != Kind.EQ && op.kind() != Kind.MATCH && !(op.kind() == Kind.OP && op.text().equals("!="))) {
                        throw new Failure(op.start(), "expected =, !=, =~ or !~ after the label " + label.text() + ", found " + op.describe(),
                                "write " + label.text() + "=\"value\" (or != \"...\", =~ \"regex\", !~ \"regex\")");
                    }
                    next();
                    Token value = peek();
                    if (value.kind() != Kind.STRING) {
                        throw new Failure(value.start(), "expected a quoted value after " + label.text() + op.text() + ", found " + value.describe(),
                                "quote the value: " + label.text() + op.text() + "\"" + (value.kind() == Kind.IDENT || value.kind() == Kind.NUMBER ? value.text() : "value") + "\"");
                    }
                    next();
                    String text = unquote(value.text());
                    boolean regex = op.text().endsWith("~");
                    if (regex) {
                        regexProblem(text).ifPresent(problem -> {
                            throw new Failure(value.start(), "the regex " + value.text() + " does not compile: " + problem,
                                    "Prometheus regexes are RE2 (anchored at both ends): escape a literal + * ? ( ) with \\\\, e.g. \"a\\\\+b\"");
                        });
                    }
                    selective |= !matchesEmpty(op.text(), text);
                }
                count++;
                Token sep = peek();
                if (sep.kind() == Kind.COMMA) {
                    next();
                } else if (sep.kind() == Kind.EOF) {
                    throw new Failure(open.start(), "unclosed '{': the label matchers are never closed", "add '}' after the matchers");
                } else if (sep.kind() != Kind.RBRACE) {
                    throw new Failure(sep.start(), "expected ',' or '}' after a label matcher, found " + sep.describe(),
                            "separate matchers with commas: {a=\"x\", b=\"y\"}");
                }
            }
            next();
            if (alone && !selective) {
                throw new Failure(open.start(), count == 0 ? "empty selector {} selects nothing" : "the selector matches every series: each of its matchers accepts an empty label",
                        count == 0 ? "name a metric (http_requests_total) or add a matcher: {job=\"api\"}"
                                : "name a metric, or add a matcher that needs a value, such as {job=\"api\"} or {job=~\".+\"}");
            }
        }
    }
}
