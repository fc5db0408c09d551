package dev.slogate.cli;

import dev.slogate.yaml.Durations;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Scenario;
import dev.slogate.load.OwnSimulation;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --simulation-jar} and {@code --simulation}: the team's own Gatling simulation instead of the scenario's load. */
final class SimulationOptions {
    @Option(names = "--simulation-jar", paramLabel = "PATH", split = ",", description = "Run your own Gatling simulation"
            + " from this jar (built by your Maven/Gradle project with Gatling's Java DSL " + "3.13.5"
            + "), or a classes directory; repeat it, or separate with ',' or '" + ":" + "', for its dependency jars."
            + " Overrides the scenario's load.simulationJar; slogate measures every request Gatling records.")
    List<String> jars = new ArrayList<>();

    @Option(names = "--simulation", paramLabel = "CLASS", description = "The simulation class to run (e.g."
            + " com.acme.CheckoutSimulation); overrides the scenario's load.simulation.")
    String className;

    /** Whether the command line names a simulation (the scenario then needs no requests). */
    boolean given() {
        return className != null || !jars.isEmpty();
    }

    /** The scenario with the command line's simulation; a problem (exit 2) as an exception. */
    Scenario apply(Scenario s) {
        if (!given()) {
            return s;
        }
        Load load = s.load();
        String cls = className != null ? className : load.simulation();
        List<Path> classpath = jars.isEmpty() ? load.simulationClasspath() : classpath();
        if (cls == null) {
            throw new IllegalArgumentException("--simulation-jar needs the class to run: add --simulation com.acme.MySimulation"
                    + " (or simulation: in the scenario's load)");
        }
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("--simulation " + cls + " needs the jar it is in: add --simulation-jar"
                    + " target/your-tests.jar (or simulationJar: in the scenario's load)");
        }
        return new Scenario(s.name(), s.description(), s.target(), load.withSimulation(cls, classpath), s.faults(), s.slos(),
                s.stopConditions(), s.source(), s.kubernetes(), s.probes(), s.grafana());
    }

    private List<Path> classpath() {
        List<Path> out = new ArrayList<>();
        for (String j : jars) {
            for (String part : j.split(File.pathSeparator)) {
                if (part.isBlank()) {
                    continue;
                }
                Path p = Path.of(part).toAbsolutePath().normalize();
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("--simulation-jar " + part + " does not exist; build your project first"
                            + " (mvn package) or fix the path");
                }
                out.add(p);
            }
        }
        return out;
    }

    /**
     * For {@code plan}: the simulation's injection profile, read by creating it (its constructor runs, nothing is sent);
     * false (printed why) when it cannot run here.
     */
    static boolean printProfile(Scenario s, PrintStream out) {
        Load load = s.load();
        if (!load.isOwnSimulation()) {
            return true;
        }
        out.println("\nOwn simulation " + load.simulation() + " on Gatling " + OwnSimulation.embeddedGatling()
                + ", runs as written in each injector, stopped at " + Durations.format(load.duration()) + " if still running");
        load.simulationClasspath().forEach(p -> out.println("  from " + p));
        try {
            List<String> profile = OwnSimulation.open(load).injectionProfile(
                    load.requestTimeout() != null ? load.requestTimeout() : java.time.Duration.ofSeconds(10));
            profile.forEach(line -> out.println("  " + line));
            out.println("  measured: every request Gatling records, under the second it started in (its latency: Gatling's"
                    + " response time; the stages' rates are expectations, not injected)");
            return true;
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return false;
        }
    }
}
