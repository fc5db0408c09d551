package dev.slogate.cli;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Plan;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.Target;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.kubernetes.ClusterCapacity;
import dev.slogate.promql.CheckedQuery;
import dev.slogate.redact.Redaction;
import dev.slogate.report.JsonReport;
import dev.slogate.report.ReportBaselines;
import dev.slogate.report.RunReport;
import dev.slogate.run.ExitCode;
import dev.slogate.run.TargetSetup;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the whole timeline of a scenario (stages, faults, windows, SLOs per window) and touch nothing.",
                "When the target is up (a running sandbox, or a url target's Prometheus), it also checks the PromQL against the live",
                "server and lists which pods/nodes each fault would hit now."},
        footerHeading = "%nExample:%n", footer = "  slogate plan scenarios/demo-gameday.yaml")
final class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO")
    Path scenarioFile;

    @Mixin
    Workspace workspace;

    @Mixin
    SimulationOptions simulation = new SimulationOptions();

    /** The earlier runs objectives are judged against, found or not: a missing one makes the run inconclusive. */
    private void printBaselines(Scenario scenario) {
        Set<String> refs = new LinkedHashSet<>();
        scenario.slos().stream().map(s -> s.indicator().baseline()).filter(Objects::nonNull).forEach(b -> refs.add(b.run()));
        if (refs.isEmpty()) {
            return;
        }
        System.out.println("\nBaselines (earlier runs, from " + workspace.reportsDir + "):");
        for (String ref : refs) {
            try {
                RunReport r = JsonReport.read(ReportBaselines.locate(workspace.reportsDir, ref));
                System.out.println("  " + ref + ": run " + r.runId() + " of " + r.scenario() + ", " + Instant.ofEpochMilli(r.startMillis())
                        + ", exit " + r.exitCode() + (r.scenario().equals(scenario.name()) ? ""
                        : "; warning: another scenario than " + scenario.name() + ": windows it lacks have no data"));
            } catch (IOException e) {
                System.out.println("  warning: " + ref + ": " + e.getMessage() + "; objectives against it will have no data (exit 4)");
            }
        }
    }

    @Override
    public Integer call() {
        ExperimentLoader offline = simulation.given() ? new ExperimentLoader().simulationGiven() : new ExperimentLoader();
        Optional<Scenario> loaded = ScenarioFiles.load(scenarioFile, offline);
        if (loaded.isEmpty()) {
            return ExitCode.INVALID;
        }
        Scenario scenario;
        try {
            scenario = simulation.apply(loaded.get());
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            return ExitCode.INVALID;
        }
        System.out.print(Plan.render(scenario));
        if (!SimulationOptions.printProfile(scenario, System.out)) {
            return ExitCode.INVALID;
        }
        printBaselines(scenario);
        int code = ExitCode.MET;
        // a look only: nothing is locked, started or journaled (the run id "plan" injects nothing)
        TargetSetup target = new TargetSetup(scenario, workspace.stateDir, "plan", System.out).look();
        String prometheusUrl = target.prometheusUrl();
        if (target.sandbox() != null) {
            System.out.println("\nLive targets (running sandbox):");
            for (ScheduledFault f : scenario.faults()) {
                if (f.fault().backendOrLocal().onCluster()) {
                    continue;
                }
                try {
                    List<String> candidates = target.faults().plan(f.fault());
                    System.out.println("  " + f.name() + ": " + f.fault().selector().describePick(candidates.size()) + ": "
                            + String.join(", ", candidates));
                } catch (FaultException e) {
                    System.out.println("  error: " + f.name() + ": " + e.getMessage());
                    code = ExitCode.INVALID;
                }
            }
        } else if (scenario.target().kind() == Target.Kind.SANDBOX && scenario.faults().stream().anyMatch(f -> !f.fault().backendOrLocal().onCluster())) {
            System.out.println("\nNo sandbox is running: fault targets were not checked live (start one with `slogate sandbox start`).");
        }
        if (target.needsCluster()) {
            code = Math.max(code, planOnCluster(scenario, target));
        }
        var workloads = ClusterCapacity.workloads(scenario);
        if (!workloads.isEmpty()) {
            System.out.println("\nScaling objectives' workloads (cluster, read only):");
            try {
                ClusterCapacity.plan(scenario.kubernetes(), workloads).forEach(l -> System.out.println("  " + l));
            } catch (FaultException e) {
                System.out.println("  error: " + e.getMessage());
                code = ExitCode.INVALID;
            }
        }
        List<CheckedQuery> queries = offline.checkedQueries();
        String how = scenario.target().kind() == Target.Kind.SANDBOX
                ? "no sandbox is running (start one with `slogate sandbox start` to check them against its Prometheus)"
                : "the target names no Prometheus (set target.prometheus to check them against a server)";
        String rejected = null;
        if (prometheusUrl != null) {
            PrometheusClient prometheus = PrometheusClient.builder(prometheusUrl).build();
            if (!prometheus.ready()) {
                System.out.println("error: Prometheus at " + Redaction.url(prometheusUrl) + " is unreachable; PromQL was not checked against it");
                how = "Prometheus at " + Redaction.url(prometheusUrl) + " is unreachable";
                code = ExitCode.INVALID;
            } else {
                ExperimentLoader live = new ExperimentLoader(prometheus::checkSyntax);
                try {
                    live.loadScenario(scenarioFile);
                } catch (ValidationException e) {
                    rejected = e.getMessage();
                    code = ExitCode.INVALID;
                }
                queries = live.checkedQueries();
                how = "Prometheus at " + Redaction.url(prometheusUrl);
            }
        }
        printQueries(queries, how);
        if (rejected != null) {
            System.out.println(rejected);
        }
        return code;
    }

    /**
     * Each query, where it is written and how it was checked: {@code how} names the Prometheus that checked them, or
     * says why they were parsed offline only.
     */
    private static void printQueries(List<CheckedQuery> checked, String how) {
        List<CheckedQuery> queries = checked.stream().distinct().toList(); // an SLI shared by several SLOs is one query
        if (queries.isEmpty()) {
            return;
        }
        System.out.println("\nPromQL:");
        for (CheckedQuery q : queries) {
            System.out.println("  " + ValidateCommand.shown(q.file()) + ":" + q.line() + "  " + q.shortQuery(70) + "  "
                    + (q.live() ? (q.passed() ? "checked by " : "REJECTED by ") + how : "parsed offline"));
        }
        if (queries.stream().noneMatch(CheckedQuery::live)) {
            System.out.println("  not checked against a server: " + how);
        }
    }

    /** Live targets of the cluster faults: a read-only lookup (pods and nodes are listed, nothing is created or changed). */
    private static int planOnCluster(Scenario scenario, TargetSetup target) {
        int code = ExitCode.MET;
        try (target) { // closes the cluster client: nothing else of a look needs closing
            target.connectCluster(e -> { });
            System.out.println("\nLive targets (cluster):");
            for (ScheduledFault f : scenario.faults()) {
                if (!f.fault().backendOrLocal().onCluster()) {
                    continue;
                }
                try {
                    System.out.println("  " + f.name() + " (" + f.fault().backendOrLocal() + "): " + String.join(", ", target.faults().plan(f.fault())));
                } catch (FaultException e) {
                    System.out.println("  error: " + f.name() + ": " + e.getMessage());
                    code = ExitCode.INVALID;
                }
            }
        } catch (FaultException e) {
            System.out.println("error: " + e.getMessage());
            code = ExitCode.INVALID;
        }
        return code;
    }
}
