package dev.slogate.experiment;

import dev.slogate.promql.PromqlChecker;
import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.ReferenceSite;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a scenario file with the fault and SLO files it refers to, then checks them against each other. The sections
 * have their readers ({@link TargetReader}, {@link LoadReader}, {@link ProbeReader}; the kubernetes block and the
 * faults' back ends: {@link ClusterReader}), the checks across sections are {@link ScenarioChecks}.
 */
final class ScenarioReader {
    static final Duration DEFAULT_STOP_FOR = Duration.ofSeconds(10);

    private final Problems problems;
    private final PromqlChecker promql;
    /** Files beyond the scenario's own slos: that OpenSLO references may resolve in. */
    private final List<Path> referenceFiles;
    private YamlReader r;
    private boolean simulationGiven;

    ScenarioReader(Problems problems, PromqlChecker promql, List<Path> referenceFiles) {
        this.referenceFiles = referenceFiles;
        this.problems = problems;
        this.promql = promql;
    }

    /** The command line names a simulation: the load needs no requests. */
    ScenarioReader simulationGiven(boolean given) {
        this.simulationGiven = given;
        return this;
    }

    Scenario read(Path file) {
        List<YamlNode> docs = ExperimentLoader.documents(file, "Scenario", null, problems);
        if (docs == null) {
            return null;
        }
        r = new YamlReader(file, problems);
        if (docs.size() > 1) {
            r.problem(docs.get(1), "a scenario file holds one document, this one has " + docs.size(), "put each scenario in its own file");
        }
        Fields top = r.fields(docs.get(0), "the scenario", List.of("apiVersion", "kind", "metadata", "spec"));
        Headers.expect(r, top, "slogate/v1", "Scenario");
        Fields meta = r.fields(top.require("metadata", "write metadata: {name: my-gameday}"), "metadata", Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED);
        String name = meta.requireText("name", "write metadata: {name: my-gameday}");
        String description = meta.text("description", "");
        Fields spec = r.fields(top.require("spec", "write spec: with target, load, faults, slos"), "spec",
                List.of("target", "load", "faults", "slos", "stopConditions", "kubernetes", "probes", "grafana"));

        Target target = spec.has("target") ? new TargetReader(r).target(spec.get("target"))
                : new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults());
        YamlNode loadNode = spec.require("load", "write load: {stages: [...], requests: [...]}");
        List<Stage> stages = new ArrayList<>();
        Load load = loadNode == null ? null : new LoadReader(r, simulationGiven).load(loadNode, stages);
        Path dir = file.toAbsolutePath().getParent();
        KubernetesSettings kubernetes = spec.has("kubernetes") ? ClusterReader.settings(r, spec.get("kubernetes"), dir) : null;
        List<PlacedFault> faults = resolveBackends(faults(spec.get("faults"), dir), target, kubernetes, spec.has("kubernetes"));
        List<SloReader.Loaded> slos = slos(spec.get("slos"), dir);
        List<StopCondition> stops = stopConditions(spec.get("stopConditions"));
        List<ProbeSpec> probes = new ProbeReader(r).probes(spec.get("probes"), target);
        GrafanaSettings grafana = spec.has("grafana") ? GrafanaReader.read(r, spec.get("grafana")) : null;

        Duration runLength = stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        if (runLength.compareTo(Durations.MAX) > 0) {
            r.problem(loadNode, "the run would last " + Durations.format(runLength) + " (the sum of its stages), longer than the "
                    + Durations.format(Durations.MAX) + " a slogate run may last", "shorten the stages; split a soak test into several runs");
        }
        ScenarioChecks checks = new ScenarioChecks(r);
        if (!stages.isEmpty()) {
            checks.checkTiming(faults, runLength);
        }
        checks.checkNames(faults);
        checks.checkWindows(slos, faults, file, stages.isEmpty() ? null : runLength);
        checks.checkStepWindows(slos, stages, loadNode);
        checks.checkObjectives(slos, probes, spec);
        slos = checks.resolveTraffic(slos, load);
        if (target != null) {
            checks.checkTarget(target, spec, slos, faults);
        }
        if (problems.count() > 0) {
            return null;
        }
        return new Scenario(name, description, target, load, faults.stream().map(PlacedFault::fault).toList(),
                slos.stream().map(SloReader.Loaded::def).filter(Objects::nonNull).toList(), stops, file, kubernetes, probes, grafana);
    }

    // ---- faults, SLOs, stop conditions ---------------------------------------------------------------------------

    private List<PlacedFault> faults(YamlNode node, Path dir) {
        List<PlacedFault> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.faults");
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.faults[" + i + "]";
            YamlNode item = items.get(i);
            Fields f = r.fields(item, where, List.of("name", "at", "ref", "fault", "backend"));
            Duration at = f.requireDuration("at", "write at: 30s (when to inject it, from the start of the run)", true);
            String name = f.has("ref") ? f.text("name", null) : f.requireText("name", "write name: kill-one-pod (names the fault's windows)");
            FaultSpec spec = null;
            if (f.has("ref") && f.has("fault")) {
                r.problem(f.get("fault"), where + " has both ref and fault", "keep ref: (a fault file) or fault: (inline), not both");
            } else if (f.has("ref")) {
                String ref = f.text("ref", null);
                Path refFile = ref == null ? null : reference(dir, ref, f.get("ref"));
                if (refFile != null) {
                    spec = ExperimentLoader.readFault(refFile, new ReferenceSite(r.file(), f.get("ref")), problems, name);
                }
            } else if (f.has("fault")) {
                spec = FaultReader.readSpec(r, f.get("fault"), f.path("fault"), name);
            } else {
                f.require("ref", "write ref: ../faults/pod-kill-one.yaml, or an inline fault: {type: ..., selector: ..., duration: ...}");
            }
            if (spec != null && f.has("backend")) {
                Backend b = FaultReader.backend(r, f, "backend", spec.type());
                spec = b == null ? null : spec.withBackend(b);
            }
            if (spec != null && at != null) {
                out.add(new PlacedFault(new ScheduledFault(spec.name(), at, spec), item, f.get("name"), f.get("at")));
            }
        }
        return out;
    }

    /** Each fault's backend, resolved against the target and the kubernetes block (a bad block was reported already). */
    private List<PlacedFault> resolveBackends(List<PlacedFault> faults, Target target, KubernetesSettings k8s, boolean k8sWritten) {
        if (k8sWritten && k8s == null) {
            return faults;
        }
        List<PlacedFault> out = new ArrayList<>();
        for (PlacedFault p : faults) {
            FaultSpec spec = ClusterReader.resolve(r, p.item(), p.fault().name(), p.fault().fault(), target, k8s);
            if (spec != null) {
                out.add(new PlacedFault(new ScheduledFault(p.fault().name(), p.fault().at(), spec), p.item(), p.nameNode(), p.atNode()));
            }
        }
        return out;
    }

    /** The SLOs of every {@code slos:} file; OpenSLO references resolve across all of them (and the command's other files). */
    private List<SloReader.Loaded> slos(YamlNode node, Path dir) {
        List<SloReader.Loaded> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.slos");
        List<Map.Entry<Path, YamlNode>> files = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String path = r.text(items.get(i), "spec.slos[" + i + "]");
            Path sloFile = path == null ? null : reference(dir, path, items.get(i));
            if (sloFile != null) {
                files.add(Map.entry(sloFile, items.get(i)));
            }
        }
        List<Path> searched = new ArrayList<>(files.stream().map(Map.Entry::getKey).distinct().toList());
        searched.addAll(referenceFiles);
        OpenSloObjects objects = OpenSloObjects.read(searched);
        for (Map.Entry<Path, YamlNode> f : files) {
            out.addAll(ExperimentLoader.readSlos(f.getKey(), new ReferenceSite(r.file(), f.getValue()), problems, promql, objects));
        }
        return out;
    }

    /** The file a {@code ref:} or {@code slos:} path names, relative to the scenario's directory; null after reporting a path no file can have. */
    private Path reference(Path dir, String path, YamlNode at) {
        try {
            if (!path.isBlank()) {
                return dir.resolve(path).normalize();
            }
        } catch (InvalidPathException e) {
            // a NUL or similar: reported below
        }
        r.problem(at, "'" + path.replaceAll("\\p{Cntrl}", "?") + "' is not a file path", "write a path relative to this file, e.g. ../slo/demo.yaml");
        return null;
    }

    private List<StopCondition> stopConditions(YamlNode node) {
        List<StopCondition> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.stopConditions");
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.stopConditions[" + i + "]";
            Fields f = r.fields(items.get(i), where, List.of("errorRate", "p99Latency"));
            if (!f.isMap()) {
                continue;
            }
            if (f.has("errorRate") == f.has("p99Latency")) {
                r.problem(items.get(i), where + " needs exactly one of errorRate and p99Latency", "write - {errorRate: {above: 50%, for: 10s}}");
                continue;
            }
            boolean errors = f.has("errorRate");
            String key = errors ? "errorRate" : "p99Latency";
            Fields c = r.fields(f.get(key), f.path(key), List.of("above", "for"));
            Double above;
            if (errors) {
                above = c.requireFraction("above", "write above: 50%");
            } else {
                Duration d = c.requireDuration("above", "write above: 5s", false);
                above = d == null ? null : d.toNanos() / 1e9;
            }
            Duration sustained = c.duration("for", DEFAULT_STOP_FOR, true);
            if (above != null && sustained != null) {
                out.add(new StopCondition(errors ? StopCondition.Metric.ERROR_RATE : StopCondition.Metric.P99_LATENCY_SECONDS, Op.GT, above, sustained));
            }
        }
        return out;
    }
}
