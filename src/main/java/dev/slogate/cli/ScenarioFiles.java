package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Problem;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ValidationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads a scenario for a command; every problem is printed with its file and line, and the command exits 2. */
final class ScenarioFiles {
    private ScenarioFiles() {
    }

    /** The scenario, or else its problems (each {@code file:line:col: what}, with its hint), printed already. */
    record Loaded(Scenario scenario, List<String> problems) {
    }

    static Optional<Scenario> load(Path file) {
        return Optional.ofNullable(read(file).scenario());
    }

    static Loaded read(Path file) {
        try {
            return new Loaded(new ExperimentLoader().loadScenario(file), List.of());
        } catch (ValidationException e) {
            System.out.println(e.getMessage());
            return new Loaded(null, e.getProblems().stream().map(Problem::toString).toList());
        }
    }

    /** The name a scenario file goes by before it could be read: its file name without {@code .yaml}. */
    static String nameOf(Path file) {
        String name = file == null || file.getFileName() == null ? "run" : file.getFileName().toString();
        return name.replaceFirst("\\.ya?ml$", "");
    }
}
