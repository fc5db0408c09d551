package dev.slogate.experiment;

import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks the parts of one scenario against each other once each is read: faults against the run's length and each
 * other's names, SLO windows against the faults and stages, objectives against the probes and the cluster, fault
 * selectors against the target.
 */
final class ScenarioChecks {
    private static final List<String> SANDBOX_LABELS = List.of("app", "region", "node", "pod");

    private final YamlReader r;
    private final Problems problems;

    ScenarioChecks(YamlReader r) {
        this.r = r;
        this.problems = r.problems();
    }

    /** Each objective finds what it reads besides the client in the scenario: a probe, a cluster. */
    void checkObjectives(List<SloReader.Loaded> slos, List<ProbeSpec> probes, Fields spec) {
        List<String> names = probes.stream().map(ProbeSpec::name).toList();
        for (SloReader.Loaded l : slos) {
            SloDef def = l.def();
            if (def == null) {
                continue;
            }
            def.kind().check(def, new ObjectiveKind.ScenarioParts() {
                @Override
                public List<String> probes() {
                    return names;
                }

                @Override
                public boolean kubernetes() {
                    return spec.has("kubernetes");
                }

                @Override
                public void problemAtSlo(String message, String hint) {
                    problems.add(def.source(), def.line(), 1, message, hint);
                }

                @Override
                public void problemAtSpec(String message, String hint) {
                    r.problem(spec.node(), message, hint);
                }
            });
        }
    }

    /**
     * Each objective that selects requests ({@code selector: {journey: buyer}}) finds them in the load: the selection
     * is resolved to the request names it stands for, or reported at the SLO with what the load offers.
     */
    List<SloReader.Loaded> resolveTraffic(List<SloReader.Loaded> slos, Load load) {
        List<SloReader.Loaded> out = new ArrayList<>();
        for (SloReader.Loaded l : slos) {
            SloDef def = l.def();
            Traffic t = def == null ? null : def.indicator().traffic();
            if (t == null || load == null) {
                out.add(l);
                continue;
            }
            Traffic resolved = t.resolve(load);
            if (resolved == null) {
                List<String> offered = Traffic.offered(t.kind(), load);
                problems.add(def.source(), def.line(), 1, "SLO '" + def.name() + "' selects " + t + ", but the load has no such "
                        + t.kind().key() + FaultReader.nearest(t.name(), offered),
                        offered.isEmpty() ? "the load has no " + t.kind().key() + "s: " + (t.kind() == Traffic.Kind.REQUEST
                                ? "name the requests or steps" : "write journeys with steps" + (t.kind() == Traffic.Kind.GROUP ? " that have a group" : ""))
                                : "valid " + t.kind().key() + "s: " + String.join(", ", offered));
                out.add(l);
                continue;
            }
            SloDef with = new SloDef(def.name(), def.description(), def.indicator().withTraffic(resolved), def.op(), def.target(),
                    def.windows(), def.source(), def.line(), def.slices());
            out.add(new SloReader.Loaded(l.file(), l.name(), with, l.windows(), l.rtoFaults(), l.needsPrometheus()));
        }
        return out;
    }

    void checkTiming(List<PlacedFault> faults, Duration run) {
        for (PlacedFault p : faults) {
            ScheduledFault f = p.fault();
            Duration latest = run.minus(f.fault().duration());
            String hint = latest.isNegative() || (latest.isZero() && f.fault().duration().isZero())
                    ? "lengthen the stages or shorten the fault"
                    : "the latest allowed at is " + Durations.format(f.fault().duration().isZero() ? run.minusSeconds(1) : latest) + ", or lengthen the stages";
            if (f.at().compareTo(run) >= 0) {
                r.problem(p.atNode(), "fault '" + f.name() + "' is injected at " + Durations.format(f.at()) + ", at or after the end of the run, which lasts "
                        + Durations.format(run) + " (the sum of its stages)", hint);
            } else if (f.end().compareTo(run) > 0) {
                r.problem(p.atNode(), "fault '" + f.name() + "' lasts from " + Durations.format(f.at()) + " to " + Durations.format(f.end())
                        + ", past the end of the run at " + Durations.format(run), hint);
            }
        }
    }

    void checkNames(List<PlacedFault> faults) {
        Map<String, PlacedFault> seen = new HashMap<>();
        for (PlacedFault p : faults) {
            PlacedFault first = seen.putIfAbsent(p.fault().name(), p);
            if (first != null) {
                r.problem(p.nameNode() != null ? p.nameNode() : p.item(), "two faults are named '" + p.fault().name() + "' (first on line " + first.item().line() + ")",
                        "give each scheduled fault its own name; its windows are fault:<name> and recovery:<name>");
            }
        }
    }

    void checkWindows(List<SloReader.Loaded> slos, List<PlacedFault> faults, Path file, Duration runLength) {
        List<String> names = faults.stream().map(p -> p.fault().name()).distinct().toList();
        PlacedFault first = faults.stream().min((a, b) -> a.fault().at().compareTo(b.fault().at())).orElse(null);
        String scheduled = names.isEmpty() ? "no faults are scheduled in " + file.getFileName() : "scheduled faults: " + String.join(", ", names);
        Map<String, SloReader.Loaded> byName = new LinkedHashMap<>();
        for (SloReader.Loaded l : slos) {
            YamlReader at = new YamlReader(l.file(), problems);
            for (SloReader.Ref w : l.windows()) {
                String n = w.name();
                if (n.startsWith("step:")) {
                    continue; // checked against the stages by checkStepWindows
                }
                if (n.endsWith(":*") && names.isEmpty()) {
                    at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' would be empty: " + scheduled,
                            "schedule a fault under spec.faults, or judge steady and run only");
                } else if ((n.startsWith("fault:") || n.startsWith("recovery:")) && !n.endsWith(":*")) {
                    String fault = n.substring(n.indexOf(':') + 1);
                    ScheduledFault sf = faults.stream().map(PlacedFault::fault).filter(x -> x.name().equals(fault)).findFirst().orElse(null);
                    if (sf == null) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' names no scheduled fault" + FaultReader.nearest(fault, names),
                                scheduled + "; or write " + n.substring(0, n.indexOf(':')) + ":* for all of them");
                    } else if (n.startsWith("fault:") && sf.fault().duration().isZero()) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' is empty: " + sf.fault().type().id() + " '" + fault + "' has no duration",
                                "give the fault a duration (e.g. duration: 10s keeps its window open while the pod restarts), or judge recovery:" + fault);
                    } else if (n.startsWith("recovery:") && runLength != null && sf.end().compareTo(runLength) >= 0) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' is empty: fault '" + fault + "' is reverted when the run ends ("
                                + Durations.format(runLength) + ")", "inject it earlier or lengthen the stages to leave time to recover");
                    }
                } else if (n.equals("steady") && first != null && first.fault().at().isZero()) {
                    at.problem(w.at(), "window 'steady' of SLO '" + l.name() + "' is empty: fault '" + first.fault().name() + "' is injected at 0s",
                            "inject the first fault later (e.g. at: 30s) to measure a steady state before it");
                }
            }
            for (SloReader.Ref f : l.rtoFaults()) {
                if (f.name().equals("all") ? names.isEmpty() : !names.contains(f.name())) {
                    at.problem(f.at(), "RTO '" + l.name() + "' covers " + (f.name().equals("all") ? "all faults" : "fault '" + f.name() + "'")
                            + ", but " + (names.isEmpty() ? "none is scheduled" : "no such fault is scheduled") + FaultReader.nearest(f.name(), names),
                            "write faults: [all] or name some of: " + (names.isEmpty() ? "(schedule a fault first)" : String.join(", ", names)));
                }
            }
            SloReader.Loaded dup = l.def() == null ? null : byName.putIfAbsent(l.name(), l);
            if (dup != null) {
                problems.add(l.def().source(), l.def().line(), 1, "two SLOs are named '" + l.name() + "' (the other in "
                        + dup.def().source().getFileName() + " line " + dup.def().line() + ")", "give each SLO its own name; reports list them by name");
            }
        }
    }

    /** {@code step:<n>} must name a step or ramp stage; {@code step:*} needs at least one. */
    void checkStepWindows(List<SloReader.Loaded> slos, List<Stage> stages, YamlNode loadNode) {
        if (loadNode == null || stages.isEmpty()) {
            return; // the load has its own problems
        }
        List<Integer> steps = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).kind() != Stage.Kind.HOLD) {
                steps.add(i + 1);
            }
        }
        String have = steps.isEmpty() ? "the load has no step or ramp stage"
                : "step windows of this load: " + steps.stream().map(i -> "step:" + i).collect(Collectors.joining(", "));
        for (SloReader.Loaded l : slos) {
            YamlReader at = new YamlReader(l.file(), problems);
            for (SloReader.Ref w : l.windows()) {
                String n = w.name();
                if (n.equals("step:*") && steps.isEmpty()) {
                    at.problem(w.at(), "window 'step:*' of SLO '" + l.name() + "' would be empty: " + have,
                            "add a load step, e.g. - step: {rps: 500, duration: 60s}, or a ramp; a scaling objective is judged per step");
                } else if (n.startsWith("step:") && !n.equals("step:*") && !steps.contains(SloReader.stepNumber(n))) {
                    int stage = SloReader.stepNumber(n);
                    at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' names "
                            + (stage > stages.size() ? "stage " + stage + ", but the load has " + stages.size() + " stage" + (stages.size() > 1 ? "s" : "")
                            : "stage " + stage + ", a hold"), have + " (stages are numbered from 1 in the order of spec.load.stages)");
                }
            }
        }
    }

    void checkTarget(Target target, Fields spec, List<SloReader.Loaded> slos, List<PlacedFault> faults) {
        if (target.kind() == Target.Kind.URL && target.prometheus() == null) {
            slos.stream().filter(SloReader.Loaded::needsPrometheus).findFirst().ifPresent(l -> r.problem(spec.get("target"),
                    "SLO '" + l.name() + "' reads Prometheus, but spec.target has no prometheus",
                    "add prometheus: http://127.0.0.1:9090 (the Prometheus that scrapes the target)"));
        }
        if (target.kind() != Target.Kind.SANDBOX) {
            return;
        }
        List<Map<String, String>> pods = sandboxPods(target.sandbox());
        for (PlacedFault p : faults) {
            if (p.fault().fault().backendOrLocal() != Backend.LOCAL) {
                continue;
            }
            Map<String, String> labels = p.fault().fault().selector().labels();
            List<String> unknown = labels.keySet().stream().filter(k -> !SANDBOX_LABELS.contains(k)).toList();
            if (!unknown.isEmpty()) {
                r.problem(p.item(), "fault '" + p.fault().name() + "' selects by label '" + unknown.get(0) + "', which sandbox pods do not have",
                        "sandbox pods have the labels " + String.join(", ", SANDBOX_LABELS) + ", e.g. {region: b} or {node: a-1}");
            } else if (pods.stream().noneMatch(p.fault().fault().selector()::matches)) {
                SandboxSpec s = target.sandbox();
                r.problem(p.item(), "fault '" + p.fault().name() + "' selects {" + labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining(", ")) + "}, which matches no pod of the sandbox",
                        "the sandbox has app: demo, regions a.." + (char) ('a' + s.regions() - 1) + ", nodes like a-1..a-" + s.nodesPerRegion()
                                + ", pods like a-1-1..a-1-" + s.podsPerNode());
            }
        }
    }

    /** The labels of every pod the sandbox will start (region a, node a-1, pod a-1-1, ...). */
    static List<Map<String, String>> sandboxPods(SandboxSpec s) {
        List<Map<String, String>> pods = new ArrayList<>();
        for (int g = 0; g < s.regions(); g++) {
            String region = String.valueOf((char) ('a' + g));
            for (int n = 1; n <= s.nodesPerRegion(); n++) {
                for (int p = 1; p <= s.podsPerNode(); p++) {
                    pods.add(Map.of("app", "demo", "region", region, "node", region + "-" + n, "pod", region + "-" + n + "-" + p));
                }
            }
        }
        return pods;
    }
}
