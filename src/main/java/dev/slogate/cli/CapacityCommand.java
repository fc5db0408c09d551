package dev.slogate.cli;

import dev.slogate.capacity.CapacityRun;
import dev.slogate.capacity.CapacitySearch;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.Stage;
import dev.slogate.run.ExitCode;
import dev.slogate.run.RunId;
import dev.slogate.yaml.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = {"Find the highest rate at which the scenario's SLOs still hold: step the rate up, then bisect.",
                "Uses the scenario's target, requests and SLOs (not its stages or its fault schedule); writes",
                "reports/<run-id>/capacity.html and capacity.json. Exit 0 knee found, 1 SLOs broke at --from,",
                "4 inconclusive (injector limit, --max reached), 2 bad input."},
        footerHeading = "%nExamples:%n",
        footer = {"  slogate capacity scenarios/demo-gameday.yaml",
                "  slogate capacity --from 100 --max 2000 --settle 3s --judge 5s scenarios/demo-gameday.yaml",
                "  slogate capacity --fault region-b-outage scenarios/demo-gameday.yaml   # capacity with a region down"})
final class CapacityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (scenarios/*.yaml).")
    Path scenarioFile;

    @Option(names = "--from", paramLabel = "RATE", description = "First rate tried (default: the first stage's rate).")
    String from;

    @Option(names = "--max", paramLabel = "RATE", description = "Highest rate tried (default: 64 x --from).")
    String max;

    @Option(names = "--factor", description = "Step-up factor between rates until an SLO breaks (default: ${DEFAULT-VALUE}).")
    double factor = 1.5;

    @Option(names = "--precision", paramLabel = "PERCENT", description = "Bisect until the held and broken rates are"
            + " this close (default: ${DEFAULT-VALUE} %%).")
    double precisionPercent = 5;

    @Option(names = "--settle", paramLabel = "DURATION", description = "Per step, not judged (default: ${DEFAULT-VALUE}).")
    String settle = "5s";

    @Option(names = "--judge", paramLabel = "DURATION", description = "Per step, judged after settling (default: ${DEFAULT-VALUE}).")
    String judge = "10s";

    @Option(names = "--max-steps", description = "Stop after this many steps (default: ${DEFAULT-VALUE}).")
    int maxSteps = 12;

    @Option(names = "--fault", paramLabel = "NAME", description = "A fault of the scenario to keep active during every step.")
    String fault;

    @Option(names = "--run-id", description = "Name of the report folder (default: time + scenario name + -capacity).")
    String runId;

    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        Optional<String> badId = runId == null ? Optional.empty() : RunId.problem(runId);
        if (badId.isPresent()) { // before anything starts: the id names the report folder
            System.out.println("error: " + badId.get());
            return ExitCode.INVALID;
        }
        Optional<Scenario> loaded = ScenarioFiles.load(scenarioFile);
        if (loaded.isEmpty()) {
            return ExitCode.INVALID;
        }
        Scenario scenario = loaded.get();
        CapacityRun.Settings settings;
        try {
            double start = from != null ? Rate.parse(from).perSecond() : firstRate(scenario);
            double ceiling = max != null ? Rate.parse(max).perSecond() : start * 64;
            Duration s = Durations.parse(settle);
            Duration j = Durations.parse(judge);
            if (j.toSeconds() < 3) {
                throw new IllegalArgumentException("--judge must be at least 3s: a step is judged on whole seconds");
            }
            settings = new CapacityRun.Settings(new CapacitySearch(start, factor, ceiling, precisionPercent / 100, maxSteps),
                    s, j, fault);
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            return ExitCode.INVALID;
        }
        String id = runId != null ? runId : RunId.generate(scenario.name(), "-capacity", Instant.now());
        return new CapacityRun(scenario, settings, workspace.reportsDir, workspace.stateDir, id, System.out).execute();
    }

    private static double firstRate(Scenario scenario) {
        if (scenario.load().stages().isEmpty()) {
            return 10;
        }
        Stage first = scenario.load().stages().get(0);
        double r = first.kind() == Stage.Kind.RAMP ? first.from().perSecond() : first.to().perSecond();
        return r > 0 ? r : 10;
    }
}
