package dev.slogate.promql;

import java.util.Locale;

/** One token of a query: its kind, its text as written and where it starts (a char index). */
record Token(Kind kind, String text, int start) {
    enum Kind { IDENT, NUMBER, DURATION, STRING, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, COLON, AT, OP, MATCH, EQ, EOF }

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
