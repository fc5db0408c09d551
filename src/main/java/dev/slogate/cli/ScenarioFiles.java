package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Scenario;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Loads a scenario for a command; every problem is printed with its file and line, and the command exits 2. */
final class ScenarioFiles {
    private ScenarioFiles() {
    }

    private static final DecimalFormat FORMAT = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));

    /**
     * Why {@code injectors} processes (0: this one) cannot send the scenario's peak rate, with how many it takes; empty
     * when they can. A file may ask for up to {@link Rate#MAX_PER_SECOND}; one injector holds {@link Rate#MAX_PER_INJECTOR}.
     */
    static Optional<String> injectorsCannotSend(Scenario s, int injectors) {
        // users walking journeys send their steps: the injector's work is the requests, not the arrivals
        double peak = s.load().peakRate() * s.load().requestsPerArrival();
        int senders = Math.max(1, injectors);
        if (peak <= Rate.MAX_PER_INJECTOR * senders) {
            return Optional.empty();
        }
        int needed = (int) Math.ceil(peak / Rate.MAX_PER_INJECTOR);
        return Optional.of(s.source() + ": the load peaks at " + new Rate(peak) + ", more than " + senders + " injector"
                + (senders > 1 ? "s" : "") + " can send (" + new Rate(Rate.MAX_PER_INJECTOR) + " each)\n"
                + "  hint: run with --injectors " + needed + " (each sends 1/" + needed + " of the rate), or lower the stages' rps"
                + (s.load().hasJourneys() ? " (users per second; about " + FORMAT.format(s.load().requestsPerArrival()) + " requests each)" : ""));
    }

    /** The scenario, or else its problems (each {@code file:line:col: what}, with its hint), printed already. */
    record Loaded(Scenario scenario, List<String> problems) {
    }

    static Optional<Scenario> load(Path file) {
        return load(file, new ExperimentLoader());
    }

    /** Loads with {@code loader}, which keeps what it checked (e.g. the PromQL queries, for {@code plan}). */
    static Optional<Scenario> load(Path file, ExperimentLoader loader) {
        return Optional.ofNullable(read(file, loader).scenario());
    }

    /** Reads the scenario; its warnings (what its files hold that slogate does not judge) are printed either way. */
    static Loaded read(Path file) {
        return read(file, new ExperimentLoader());
    }

    /** As above; {@code simulationGiven}: the command line names its own simulation, so the load needs no requests. */
    static Loaded read(Path file, boolean simulationGiven) {
        return read(file, simulationGiven ? new ExperimentLoader().simulationGiven() : new ExperimentLoader());
    }

    private static Loaded read(Path file, ExperimentLoader loader) {
        try {
            Scenario s = loader.loadScenario(file);
            printWarnings(loader.warnings(), "");
            return new Loaded(s, List.of());
        } catch (ValidationException e) {
            printWarnings(loader.warnings(), "");
            System.out.println(e.getMessage());
            return new Loaded(null, e.getProblems().stream().map(Problem::toString).toList());
        }
    }

    /** Each warning as {@code file:line:col: warning: what}, with its hint, indented by {@code indent}. */
    static void printWarnings(List<Problem> warnings, String indent) {
        for (Problem w : warnings) {
            System.out.println(w.asWarning().indent(indent.length()).stripTrailing());
        }
    }

    /** The name a scenario file goes by before it could be read: its file name without {@code .yaml}. */
    static String nameOf(Path file) {
        String name = file == null || file.getFileName() == null ? "run" : file.getFileName().toString();
        return name.replaceFirst("\\.ya?ml$", "");
    }
}
