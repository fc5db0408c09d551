package dev.slogate.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of a whole file set so the user sees all of them at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void add(Path file, int line, int column, String message, String hint) {
        found.add(new Problem(file, Math.max(1, line), Math.max(1, column), message, hint));
    }

    void add(Path file, YamlNode at, String message, String hint) {
        add(file, at.line(), at.column(), message, hint);
    }

    int count() {
        return found.size();
    }

    /** Throws the collected problems, ordered by file and position, if there are any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparing((Problem p) -> String.valueOf(p.file()))
                    .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new ValidationException(sorted);
        }
    }
}
