package dev.slogate.yaml;

import java.nio.file.Path;

/**
 * One thing wrong with an input file, where it is (1-based line and column) and what to write instead; or, as a warning,
 * one thing slogate reads but ignores, and what that means.
 */
public record Problem(Path file, int line, int column, String message, String hint) {

    /** {@code file:line:column: message}, then the hint on its own indented line. */
    @Override
    public String toString() {
        String at = file + ":" + line + ":" + column + ": " + message;
        return hint == null || hint.isBlank() ? at : at + "\n  hint: " + hint;
    }

    /** {@code file:line:column: warning: message}, then the hint: for what slogate reads but does not judge. */
    public String asWarning() {
        String at = file + ":" + line + ":" + column + ": warning: " + message;
        return hint == null || hint.isBlank() ? at : at + "\n  hint: " + hint;
    }
}
