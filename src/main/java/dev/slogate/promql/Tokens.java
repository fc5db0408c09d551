package dev.slogate.promql;

import dev.slogate.promql.Token.Kind;
import java.util.List;

/** The tokens of one query and the parsers' place in them; what every part of the parser reads through. */
final class Tokens {
    private final List<Token> tokens;
    private int i;

    Tokens(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(i);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(tokens.size() - 1, i + ahead));
    }

    Token next() {
        return tokens.get(i++);
    }

    Token expect(Kind kind, String what, String hint) {
        Token t = peek();
        if (t.kind() != kind) {
            throw new Failure(t.start(), "expected " + what + ", found " + t.describe(), hint);
        }
        return next();
    }

    Failure unexpected(Token t, String where) {
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
}
