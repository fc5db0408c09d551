package dev.slogate.run;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.yaml.ValidationException;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.FaultInjector;
import dev.slogate.probe.Probes;
import dev.slogate.slo.PrometheusClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that must hold before a run's first request: the target answers, Prometheus is up and accepts every
 * query of the SLO files (re-validated against the live server, so problems keep their file and line), the probes
 * open, and every fault matches something (printed: what it would hit now).
 */
final class Preflight {
    private Preflight() {
    }

    /** The problems found, each one line (empty: the run may start); {@code prometheus} may be null. */
    static List<String> problems(Scenario scenario, String baseUrl, PrometheusClient prometheus, Probes probes,
                                 FaultInjector faults, PrintStream out) {
        List<String> problems = new ArrayList<>();
        Reachability.problem("target", baseUrl).ifPresent(problems::add);
        if (prometheus != null) {
            if (!prometheus.ready()) {
                problems.add("Prometheus at " + prometheus.url() + " is unreachable or not ready; is it running? check target.prometheus");
            } else if (scenario.source() != null) {
                try {
                    new ExperimentLoader(prometheus::checkSyntax).loadScenario(scenario.source());
                } catch (ValidationException e) {
                    problems.add("Prometheus rejects a query:\n" + e.getMessage());
                }
            }
        }
        probes.open().forEach(problems::add);
        for (ScheduledFault f : scenario.faults()) {
            try {
                List<String> targets = faults.plan(f.fault());
                out.println("fault " + f.name() + " (" + f.fault().type() + ") would hit now: " + String.join(", ", targets));
            } catch (FaultException e) {
                problems.add("fault " + f.name() + ": " + e.getMessage());
            }
        }
        return problems;
    }
}
