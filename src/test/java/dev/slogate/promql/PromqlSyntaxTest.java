package dev.slogate.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The offline PromQL check accepts every valid query of the corpus and points at the first problem of every invalid one. */
class PromqlSyntaxTest {
    @Test
    void acceptsEveryValidQuery() {
        List<String> refused = new ArrayList<>();
        for (String q : PromqlCorpus.VALID) {
            PromqlSyntax.check(q).ifPresent(e -> refused.add(q + " -> " + e));
        }
        assertEquals(List.of(), refused);
    }

    @Test
    void refusesEveryInvalidQueryAtItsProblem() {
        List<String> wrong = new ArrayList<>();
        for (PromqlCorpus.Invalid bad : PromqlCorpus.INVALID) {
            Optional<PromqlSyntax.Error> e = PromqlSyntax.check(bad.query());
            if (e.isEmpty()) {
                wrong.add(bad.query() + " -> accepted");
            } else if (e.get().offset() != bad.offset()) {
                wrong.add(bad.query() + " -> at " + e.get().offset() + " (expected " + bad.offset() + "): " + e.get().message());
            } else if (e.get().hint().isBlank() || e.get().message().isBlank()) {
                wrong.add(bad.query() + " -> no message or hint");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void namesTheProblemAndTheFix() {
        PromqlSyntax.Error open = PromqlSyntax.check("sum(rate(x[5m])").orElseThrow();
        assertTrue(open.message().contains("unclosed '('"), open.message());
        PromqlSyntax.Error trailing = PromqlSyntax.check("sum(x) /").orElseThrow();
        assertTrue(trailing.message().contains("ends with the binary operator '/'"), trailing.message());
        PromqlSyntax.Error escape = PromqlSyntax.check("x{a=~\"a\\.b\"}").orElseThrow();
        assertTrue(escape.hint().contains("backtick"), escape.hint());
        PromqlSyntax.Error window = PromqlSyntax.check("rate(x[$window])").orElseThrow();
        assertTrue(window.hint().contains("$window"), window.hint());
    }

    @Test
    void tellsAPlainSelectorFromAnExpression() {
        assertTrue(PromqlSyntax.isPlainSelector("http_requests_total{code=~\"5..\"}"));
        assertTrue(PromqlSyntax.isPlainSelector(" {job=\"api\"} "));
        assertFalse(PromqlSyntax.isPlainSelector("sum(x)"));
        assertFalse(PromqlSyntax.isPlainSelector("x offset 5m"));
        assertFalse(PromqlSyntax.isPlainSelector("x[5m]"));
        assertFalse(PromqlSyntax.isPlainSelector("x{"));
    }
}
