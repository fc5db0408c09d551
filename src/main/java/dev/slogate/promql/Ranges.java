package dev.slogate.promql;

import dev.slogate.promql.Token.Kind;

/**
 * What brackets and modifiers add to an expression: a range selector {@code x[5m]}, a subquery {@code (expr)[1h:1m]}, the
 * durations inside them and the timestamp of an {@code @} modifier.
 */
final class Ranges {
    private final Tokens tokens;

    Ranges(Tokens tokens) {
        this.tokens = tokens;
    }

    void timestamp() {
        Token t = tokens.peek();
        if (t.kind() == Kind.OP && (t.text().equals("-") || t.text().equals("+"))) {
            tokens.next();
            t = tokens.peek();
        }
        if (t.kind() == Kind.NUMBER) {
            tokens.next();
            return;
        }
        if (t.kind() == Kind.IDENT && (t.word().equals("start") || t.word().equals("end"))) {
            tokens.next();
            tokens.expect(Kind.LPAREN, "'(' after " + t.text(), "write @ " + t.word() + "()");
            tokens.expect(Kind.RPAREN, "')' after " + t.text() + "(", "write @ " + t.word() + "()");
            return;
        }
        throw new Failure(t.start(), "expected a timestamp after @, found " + t.describe(), "write @ 1700000000 (Unix seconds), @ start() or @ end()");
    }

    Node range(Node n, boolean modified) {
        Token open = tokens.next();
        Token first = tokens.peek();
        if (first.kind() == Kind.RBRACKET) {
            throw new Failure(open.start(), "empty range []", "write a duration: [5m], or a subquery [5m:1m]");
        }
        duration(open, "range");
        if (tokens.peek().kind() == Kind.COLON) {
            tokens.next();
            if (tokens.peek().kind() != Kind.RBRACKET) {
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
        Token t = tokens.peek();
        if (t.kind() != Kind.RBRACKET) {
            throw new Failure(t.kind() == Kind.EOF ? open.start() : t.start(),
                    t.kind() == Kind.EOF ? "unclosed '['" : "expected ']' to close the '[', found " + t.describe(),
                    "close it with ]: a range is [5m], a subquery [5m:1m]");
        }
        tokens.next();
    }

    private void duration(Token open, String what) {
        Token t = tokens.peek();
        if (t.kind() == Kind.DURATION) {
            tokens.next();
            if (Lexer.DURATION_PART.matcher(t.text()).results().allMatch(m -> Long.parseLong(m.group(1)) == 0)) {
                throw new Failure(t.start(), "the " + what + " " + t.text() + " must be longer than 0", "write e.g. 5m");
            }
            return;
        }
        if (t.kind() == Kind.NUMBER && !t.text().matches("0*\\.?0*")) {
            tokens.next(); // Prometheus 3 reads a plain number here as seconds; 2.x asks for a unit
            return;
        }
        if (t.kind() == Kind.EOF) {
            throw new Failure(open.start(), "unclosed '['", "close it with ]: a range is [5m], a subquery [5m:1m]");
        }
        throw new Failure(t.start(), "expected a duration in [ ] for the " + what + ", found " + t.describe(),
                "write a duration with a unit: [5m], [1h30m], [30s]; a subquery is [5m:1m]");
    }
}
