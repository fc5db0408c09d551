package dev.slogate.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem found in a set of input files (a scenario with its fault and SLO files), not just the first.
 * The CLI prints {@link #getMessage()} and exits with 2.
 */
public class ValidationException extends RuntimeException {
    private final List<Problem> problems;

    public ValidationException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> getProblems() {
        return problems;
    }
}
