package dev.slogate.promql;

import dev.slogate.promql.Token.Kind;

/** The label side of a query: matchers in braces {@code {a="b", c=~"d"}} and label lists after by, on, ignoring... */
final class Selectors {
    private final Tokens tokens;

    Selectors(Tokens tokens) {
        this.tokens = tokens;
    }

    /** {@code (a, b)} after by, without, on, ignoring, group_left or group_right; a trailing comma is allowed. */
    void labelList(String after) {
        Token open = tokens.peek();
        if (open.kind() != Kind.LPAREN) {
            throw new Failure(open.start(), "expected '(' with a label list after " + after + ", found " + open.describe(),
                    "write " + after + " (label1, label2)");
        }
        tokens.next();
        while (tokens.peek().kind() != Kind.RPAREN) {
            Token t = tokens.peek();
            if (t.kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '(' of the label list after " + after, "add ')' after the labels");
            }
            if (!isLabelName(t)) {
                throw new Failure(t.start(), "expected a label name in the list after " + after + ", found " + t.describe(),
                        "label names are letters, digits and _ (not starting with a digit), separated by commas");
            }
            tokens.next();
            if (tokens.peek().kind() == Kind.COMMA) {
                tokens.next();
            } else if (tokens.peek().kind() != Kind.RPAREN) {
                Token u = tokens.peek();
                throw u.kind() == Kind.EOF ? new Failure(open.start(), "unclosed '(' of the label list after " + after, "add ')' after the labels")
                        : new Failure(u.start(), "expected ',' or ')' in the label list after " + after + ", found " + u.describe(),
                        "separate label names with commas: " + after + " (a, b)");
            }
        }
        tokens.next();
    }

    private static boolean isLabelName(Token t) {
        return t.kind() == Kind.IDENT && !t.text().contains(":") || t.kind() == Kind.STRING && t.text().charAt(0) == '"';
    }

    /** {@code {a="b", c=~"d"}}; alone (no metric name) it must select something: a matcher that does not match "". */
    void matchers(boolean alone) {
        Token open = tokens.next();
        boolean selective = false;
        int count = 0;
        while (tokens.peek().kind() != Kind.RBRACE) {
            Token label = tokens.peek();
            if (label.kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '{': the label matchers are never closed", "add '}' after the matchers");
            }
            if (label.kind() == Kind.STRING && (tokens.peek(1).kind() == Kind.COMMA || tokens.peek(1).kind() == Kind.RBRACE)) {
                tokens.next(); // {"metric.name"}: a quoted metric name (Prometheus 3)
                selective = true;
            } else {
                if (!isLabelName(label)) {
                    throw new Failure(label.start(), "expected a label name in { }, found " + label.describe(),
                            label.kind() == Kind.COMMA ? "remove the extra comma" : "write {label=\"value\"}, several separated by commas");
                }
                tokens.next();
                Token op = tokens.peek();
                if (op.kind() != Kind.EQ && op.kind() != Kind.MATCH && !(op.kind() == Kind.OP && op.text().equals("!="))) {
                    throw new Failure(op.start(), "expected =, !=, =~ or !~ after the label " + label.text() + ", found " + op.describe(),
                            "write " + label.text() + "=\"value\" (or != \"...\", =~ \"regex\", !~ \"regex\")");
                }
                tokens.next();
                Token value = tokens.peek();
                if (value.kind() != Kind.STRING) {
                    throw new Failure(value.start(), "expected a quoted value after " + label.text() + op.text() + ", found " + value.describe(),
                            "quote the value: " + label.text() + op.text() + "\"" + (value.kind() == Kind.IDENT || value.kind() == Kind.NUMBER ? value.text() : "value") + "\"");
                }
                tokens.next();
                String text = MatcherValues.unquote(value.text());
                boolean regex = op.text().endsWith("~");
                if (regex) {
                    MatcherValues.regexProblem(text).ifPresent(problem -> {
                        throw new Failure(value.start(), "the regex " + value.text() + " does not compile: " + problem,
                                "Prometheus regexes are RE2 (anchored at both ends): escape a literal + * ? ( ) with \\\\, e.g. \"a\\\\+b\"");
                    });
                }
                selective |= !MatcherValues.matchesEmpty(op.text(), text);
            }
            count++;
            Token sep = tokens.peek();
            if (sep.kind() == Kind.COMMA) {
                tokens.next();
            } else if (sep.kind() == Kind.EOF) {
                throw new Failure(open.start(), "unclosed '{': the label matchers are never closed", "add '}' after the matchers");
            } else if (sep.kind() != Kind.RBRACE) {
                throw new Failure(sep.start(), "expected ',' or '}' after a label matcher, found " + sep.describe(),
                        "separate matchers with commas: {a=\"x\", b=\"y\"}");
            }
        }
        tokens.next();
        if (alone && !selective) {
            throw new Failure(open.start(), count == 0 ? "empty selector {} selects nothing" : "the selector matches every series: each of its matchers accepts an empty label",
                    count == 0 ? "name a metric (http_requests_total) or add a matcher: {job=\"api\"}"
                            : "name a metric, or add a matcher that needs a value, such as {job=\"api\"} or {job=~\".+\"}");
        }
    }
}
