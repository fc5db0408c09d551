package dev.slogate.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of a whole file set so the user sees all of them at once, and the warnings: what slogate reads
 * but does not judge (printed, never a failure). A file read twice in one set (an SLI that two SLO files refer to) reports
 * each of its problems once.
 */
public final class Problems {
    private final List<Problem> found = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    public void add(Path file, int line, int column, String message, String hint) {
        Problem p = new Problem(file, Math.max(1, line), Math.max(1, column), message, hint);
        if (!found.contains(p)) {
            found.add(p);
        }
    }

    public void warn(Path file, YamlNode at, String message, String hint) {
        Problem p = new Problem(file, Math.max(1, at.line()), Math.max(1, at.column()), message, hint);
        if (!warnings.contains(p)) {
            warnings.add(p);
        }
    }

    /** The warnings so far, ordered by file and position. */
    public List<Problem> warnings() {
        return sorted(warnings);
    }

    public void add(Path file, YamlNode at, String message, String hint) {
        add(file, at.line(), at.column(), message, hint);
    }

    public int count() {
        return found.size();
    }

    /** Throws the collected problems, ordered by file and position, if there are any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(sorted(found));
        }
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((Problem p) -> String.valueOf(p.file()))
                .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
        return sorted;
    }
}
