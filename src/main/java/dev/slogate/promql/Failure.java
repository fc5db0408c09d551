package dev.slogate.promql;

/** A syntax error found: thrown from deep in the lexer or parser, caught once by {@link PromqlSyntax}. */
final class Failure extends RuntimeException {
    final PromqlSyntax.Error error;

    Failure(int offset, String message, String hint) {
        super(message, null, false, false);
        this.error = new PromqlSyntax.Error(offset, message, hint);
    }
}
