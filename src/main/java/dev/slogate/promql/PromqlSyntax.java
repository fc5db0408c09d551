package dev.slogate.promql;

import java.util.List;
import java.util.Optional;

/**
 * Checks PromQL offline, without a Prometheus: the lexical rules (strings and their escapes, numbers, durations, unknown
 * characters: {@link Lexer}) and the grammar (brackets, calls, aggregations, binary operators and their modifiers:
 * {@link Parser}; selectors: {@link Selectors}; range selectors, subqueries, {@code offset} and {@code @}: {@link Ranges}),
 * so a typo is found by {@code validate} with its position.
 * It does not know function names or types; a live server still has the last word. Where Prometheus versions differ
 * (e.g. quoted UTF-8 names of 3.x, a number of seconds in a range) it accepts: refusing a valid query would block a gate.
 */
public final class PromqlSyntax {
    /** What is wrong, at {@code offset} (a char index into the query). */
    public record Error(int offset, String message, String hint) {
    }

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
}
