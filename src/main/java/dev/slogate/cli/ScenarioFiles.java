package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ValidationException;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a scenario for a command; every problem is printed with its file and line, and the command exits 2. */
final class ScenarioFiles {
    private ScenarioFiles() {
    }

    /**
     * Whether {@code injectors} processes (0: this one) can send the scenario's peak rate; when not, says how many it takes.
     * A file may ask for up to {@link Rate#MAX_PER_SECOND}; one injector holds {@link Rate#MAX_PER_INJECTOR}.
     */
    static boolean injectorsCanSend(Scenario s, int injectors) {
        double peak = s.load().peakRate();
        int senders = Math.max(1, injectors);
        if (peak <= Rate.MAX_PER_INJECTOR * senders) {
            return true;
        }
        int needed = (int) Math.ceil(peak / Rate.MAX_PER_INJECTOR);
        System.out.println("error: " + s.source() + ": the load peaks at " + new Rate(peak) + ", more than " + senders + " injector"
                + (senders > 1 ? "s" : "") + " can send (" + new Rate(Rate.MAX_PER_INJECTOR) + " each)");
        System.out.println("  hint: run with --injectors " + needed + " (each sends 1/" + needed + " of the rate), or lower the stages' rps");
        return false;
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
