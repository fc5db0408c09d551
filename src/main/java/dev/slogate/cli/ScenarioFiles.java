package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ValidationException;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a scenario for a command; every problem is printed with its file and line, and the command exits 2. */
final class ScenarioFiles {
    private ScenarioFiles() {
    }

    static Optional<Scenario> load(Path file) {
        try {
            return Optional.of(new ExperimentLoader().loadScenario(file));
        } catch (ValidationException e) {
            System.out.println(e.getMessage());
            return Optional.empty();
        }
    }
}
