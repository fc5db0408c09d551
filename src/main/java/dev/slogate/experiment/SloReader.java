package dev.slogate.experiment;

import dev.slogate.promql.PromqlChecker;
import dev.slogate.promql.PromqlQueries;
import dev.slogate.promql.PromqlSyntax;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SLO files: slogate {@code Objectives} documents and OpenSLO v1 {@code SLO} (and {@code SLI}) documents.
 * Keeps where each window and RTO fault name was written so a scenario can check them against its faults.
 */
final class SloReader {
    static final String WINDOWS_ANNOTATION = "slogate.dev/windows";
    static final List<String> FIXED_WINDOWS = List.of("steady", "run", "fault:*", "recovery:*", "step:*");

    /** A name written in a file, with its location. */
    record Ref(String name, YamlNode at) {
    }

    /**
     * One SLO, the windows as written, and, for an RTO, the faults it covers ({@code all} or names). {@code def} is
     * null when the SLO has problems; its windows are still checked against the scenario.
     */
    record Loaded(Path file, String name, SloDef def, List<Ref> windows, List<Ref> rtoFaults, boolean needsPrometheus) {
    }

    private final YamlReader r;
    private final PromqlChecker checker;
    private final List<Loaded> out = new ArrayList<>();

    private SloReader(YamlReader r, PromqlChecker checker) {
        this.r = r;
        this.checker = checker;
    }

    /** The SLOs of one file's documents; OpenSLO references resolve in the file first, then in {@code objects}. */
    static List<Loaded> read(YamlReader r, List<YamlNode> docs, PromqlChecker checker, OpenSloObjects objects) {
        SloReader reader = new SloReader(r, checker);
        OpenSloReader openSlo = new OpenSloReader(reader, r, objects.withOwn(r.file(), docs), reader.out);
        for (YamlNode doc : docs) {
            reader.document(doc, openSlo);
        }
        return reader.out;
    }

    private static String text(YamlNode.MapNode m, String key) {
        YamlNode.Entry e = m.entries().get(key);
        return e != null && e.value() instanceof YamlNode.Scalar s ? s.text() : null;
    }

    private void document(YamlNode doc, OpenSloReader openSlo) {
        String api = doc instanceof YamlNode.MapNode m ? text(m, "apiVersion") : null;
        if (OpenSloReader.V1.equals(api)) {
            openSlo.document(doc);
        } else if (OpenSloReader.V1ALPHA.equals(api)) {
            YamlNode at = ((YamlNode.MapNode) doc).entries().get("apiVersion").value();
            r.problem(at, "apiVersion openslo/v1alpha is not supported; slogate reads OpenSLO v1",
                    "convert the file to openslo/v1: thresholdMetric: {source, query} becomes thresholdMetric: {metricSource: {type: Prometheus,"
                            + " spec: {query}}}, objectives[].ratioMetrics moves to spec.indicator.spec.ratioMetric, timeWindows becomes timeWindow");
        } else if ("slogate/v1".equals(api)) {
            objectives(doc);
        } else {
            Fields top = r.fields(doc, "the SLO document", List.of("apiVersion", "kind", "metadata", "spec"));
            YamlNode at = top.get("apiVersion") != null ? top.get("apiVersion") : doc;
            r.problem(at, api == null ? "an SLO document needs apiVersion" : "apiVersion is '" + api + "', expected 'openslo/v1' or 'slogate/v1'",
                    "write apiVersion: openslo/v1 with kind: SLO, or apiVersion: slogate/v1 with kind: Objectives");
        }
    }

    // ---- slogate Objectives -------------------------------------------------------------------------------------

    private void objectives(YamlNode doc) {
        Fields top = r.fields(doc, "the Objectives document", List.of("apiVersion", "kind", "metadata", "spec"));
        Headers.expect(r, top, "slogate/v1", "Objectives");
        r.fields(top.require("metadata", "write metadata: {name: my-objectives}"), "metadata", Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED)
                .requireText("name", "write metadata: {name: my-objectives}");
        Fields spec = r.fields(top.require("spec", "write spec: {objectives: [...]}"), "spec", List.of("objectives"));
        YamlNode list = spec.require("objectives", "write spec.objectives as a list, e.g. - {name: p95, latency: {percentile: 95, below: 200ms}}");
        List<YamlNode> items = list == null ? null : r.list(list, "spec.objectives");
        if (items != null && items.isEmpty()) {
            r.problem(list, "spec.objectives is empty", "add at least one objective: latency, errorRate, availability or rto");
        }
        for (int i = 0; items != null && i < items.size(); i++) {
            objective(items.get(i), "spec.objectives[" + i + "]");
        }
    }

    private void objective(YamlNode node, String where) {
        int before = r.problems().count();
        List<String> kindKeys = ObjectiveKinds.keys();
        List<String> allowed = new ArrayList<>(List.of("name", "description"));
        allowed.addAll(kindKeys);
        allowed.addAll(List.of("windows", "faults"));
        Fields f = r.fields(node, where, allowed);
        String name = f.requireText("name", "write name: p95-latency (names the SLO in reports)");
        String description = f.text("description", "");
        List<String> kinds = kindKeys.stream().filter(f::has).toList();
        if (!f.isMap()) {
            return;
        }
        if (kinds.size() != 1) {
            r.problem(kinds.size() > 1 ? f.get(kinds.get(1)) : node,
                    kinds.isEmpty() ? where + " says nothing to measure" : where + " has both " + kinds.get(0) + " and " + kinds.get(1),
                    "give each objective exactly one of: " + String.join(", ", kindKeys));
            return;
        }
        String key = kinds.get(0);
        ObjectiveKind kind = ObjectiveKinds.byKey(key);
        ObjectiveKind.Scope scope = kind.scope();
        boolean perFault = scope == ObjectiveKind.Scope.FAULTS;
        if (perFault && f.has("windows")) {
            r.problem(f.entry("windows").line(), f.entry("windows").column(), "an " + key + " objective is judged per fault, not over windows",
                    "remove windows and write faults: [all] or faults: [fault-name, ...]");
        }
        if (!perFault && f.has("faults")) {
            List<String> perFaultKeys = ObjectiveKinds.all().stream().filter(k -> k.scope() == ObjectiveKind.Scope.FAULTS)
                    .flatMap(k -> k.keys().stream()).toList();
            r.problem(f.entry("faults").line(), f.entry("faults").column(), "faults only applies to " + String.join(" and ", perFaultKeys) + " objectives",
                    "use windows: [\"fault:name\"] to judge " + key + " during a fault");
        }
        ObjectiveKind.Reading read = kind.read(ObjectiveInput.of(this, r, key, f.get(key), f.path(key)));
        boolean steps = scope == ObjectiveKind.Scope.STEPS;
        List<Ref> windows = perFault ? List.of() : steps && !f.has("windows") ? List.of(new Ref("step:*", f.node())) : windows(f);
        if (steps) {
            windows.stream().filter(w -> !w.name().startsWith("step:")).findFirst().ifPresent(w -> r.problem(w.at(),
                    "a " + key + " objective is judged per load step, not over '" + w.name() + "'",
                    "write windows: [\"step:*\"] (every step and ramp) or [\"step:<stage number>\"], or leave windows out"));
        }
        List<Ref> faults = perFault ? rtoFaults(f) : List.of();
        SloDef def = null;
        if (r.problems().count() == before && name != null && read.indicator() != null && read.target() != null) {
            List<String> names = perFault ? rtoWindows(faults) : windows.stream().map(Ref::name).toList();
            def = new SloDef(name, description, read.indicator(), read.op(), read.target(), names, r.file(), node.line());
        }
        out.add(new Loaded(r.file(), name == null ? where : name, def, windows, faults, read.readsPrometheus()));
    }

    private List<Ref> windows(Fields f) {
        if (!f.has("windows")) {
            return List.of(new Ref("run", f.node()));
        }
        List<YamlNode> items = r.list(f.get("windows"), f.path("windows"));
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String w = r.text(items.get(i), f.path("windows") + "[" + i + "]");
            if (w != null && windowSyntax(w.trim(), items.get(i))) {
                refs.add(new Ref(w.trim(), items.get(i)));
            }
        }
        if (items != null && items.isEmpty()) {
            r.problem(f.get("windows"), f.path("windows") + " is empty", "remove it to judge the whole run, or list windows: [steady, run]");
        }
        return refs;
    }

    private boolean windowSyntax(String w, YamlNode at) {
        boolean ok = FIXED_WINDOWS.contains(w) || w.matches("(fault|recovery):[^\\s*]+") || w.matches("step:[1-9][0-9]{0,8}");
        if (!ok && w.matches("step:[0-9]+")) {
            r.problem(at, "window '" + (w.length() > 20 ? w.substring(0, 20) + "..." : w) + "' names no stage a load can have",
                    "write step:<stage number>, counting the stages of spec.load.stages from 1, or step:* for all of them");
        } else if (!ok) {
            r.problem(at, "unknown window '" + w + "'" + FaultReader.nearest(w, FIXED_WINDOWS),
                    "windows are steady, run, fault:*, recovery:*, step:*, fault:<fault name>, recovery:<fault name> or step:<stage number>");
        }
        return ok;
    }

    /** The stage number of a {@code step:<n>} window that passed {@link #windowSyntax} (at most 9 digits, so an int). */
    static int stepNumber(String window) {
        return Integer.parseInt(window.substring("step:".length()));
    }

    private List<Ref> rtoFaults(Fields f) {
        if (!f.has("faults")) {
            return List.of(new Ref("all", f.node()));
        }
        List<YamlNode> items = r.list(f.get("faults"), f.path("faults"));
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String n = r.text(items.get(i), f.path("faults") + "[" + i + "]");
            if (n != null) {
                refs.add(new Ref(n.trim(), items.get(i)));
            }
        }
        if (items != null && items.isEmpty()) {
            r.problem(f.get("faults"), f.path("faults") + " is empty", "write faults: [all] or name the faults");
        }
        return refs;
    }

    private static List<String> rtoWindows(List<Ref> faults) {
        return faults.stream().anyMatch(x -> x.name().equals("all")) ? List.of("fault:*")
                : faults.stream().map(x -> "fault:" + x.name()).distinct().toList();
    }

    /**
     * The query slogate reads for a counter, over a 1m stand-in for the window, as SloEvaluator.ratioQuery builds it:
     * the increase of the selector itself or, for anything else, of a 1 s subquery of it.
     */
    static String counterIncrease(String query) {
        return "sum(increase(" + (PromqlSyntax.isPlainSelector(query) ? query + "[1m]" : "(" + query + ")[1m:1s]") + "))";
    }

    void promql(YamlNode at, String query) {
        promql(r, at, query);
    }

    /**
     * Checks {@code query}, as it will run, offline always and against the live server when there is one; a problem is
     * reported at {@code at} in {@code in}'s file, inside the query where it can be located.
     */
    void promql(YamlReader in, YamlNode at, String query) {
        if (at != null) {
            PromqlQueries.of(checker).check(in, at, query);
        }
    }

    /** The windows of {@code metadata.annotations["slogate.dev/windows"]}: "steady, fault:*"; the whole run when absent. */
    List<Ref> annotationWindows(Fields meta) {
        YamlNode ann = meta.get("annotations");
        YamlNode value = ann instanceof YamlNode.MapNode m && m.entries().containsKey(WINDOWS_ANNOTATION) ? m.entries().get(WINDOWS_ANNOTATION).value() : null;
        if (value == null) {
            return List.of(new Ref("run", meta.node()));
        }
        String text = r.text(value, "metadata.annotations." + WINDOWS_ANNOTATION);
        List<Ref> refs = new ArrayList<>();
        for (String w : text == null ? new String[0] : text.split(",")) {
            if (!w.isBlank() && windowSyntax(w.trim(), value)) {
                refs.add(new Ref(w.trim(), value));
            }
        }
        if (text != null && refs.isEmpty() && text.isBlank()) {
            r.problem(value, WINDOWS_ANNOTATION + " is empty", "write \"steady,run\" or remove the annotation to judge the whole run");
        }
        return refs;
    }
}
