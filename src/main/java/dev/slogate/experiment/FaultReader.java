package dev.slogate.experiment;

import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads fault definitions: {@code faults/*.yaml} files and the inline {@code fault:} blocks of a scenario. */
final class FaultReader {
    static final List<String> MODES = Arrays.stream(Selector.Mode.values()).map(Selector.Mode::id).toList();

    private FaultReader() {
    }

    /** A whole fault file; {@code name} replaces the file's own name when not null. Null when it has problems. */
    static FaultSpec readFile(YamlReader r, YamlNode doc, String name) {
        Fields top = r.fields(doc, "the fault file", List.of("apiVersion", "kind", "metadata", "spec"));
        Headers.expect(r, top, "slogate/v1", "Fault");
        Fields meta = r.fields(top.require("metadata", "write metadata: {name: my-fault}"), "metadata", Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED);
        String own = meta.requireText("name", "write metadata: {name: my-fault}");
        YamlNode spec = top.require("spec", "write spec: {type: pod-kill, selector: {labels: {app: demo}, mode: one}}");
        return spec == null ? null : readSpec(r, spec, "spec", name != null ? name : own);
    }

    /** The {@code spec} of a fault (or a scenario's inline {@code fault:}). */
    static FaultSpec readSpec(YamlReader r, YamlNode node, String where, String name) {
        int before = r.problems().count();
        List<FaultKind> kinds = FaultTypes.all();
        List<String> types = kinds.stream().map(FaultKind::id).toList();
        List<String> keys = new ArrayList<>(SPEC_KEYS);
        kinds.stream().flatMap(k -> k.keys().stream()).filter(k -> !keys.contains(k)).forEach(keys::add);
        Fields f = r.fields(node, where, keys);
        FaultType type = null;
        String typeText = f.requireText("type", "write type: one of " + String.join(", ", types));
        if (typeText != null) {
            if (types.contains(typeText)) {
                type = FaultType.fromId(typeText);
            } else {
                r.problem(f.get("type"), "unknown fault type '" + typeText + "'" + nearest(typeText, types), "valid types: " + String.join(", ", types));
            }
        }
        FaultKind kind = type == null ? null : type.kind();
        Backend backend = backend(r, f, "backend", type);
        Selector selector = null;
        if (kind != null && kind.isCloud()) {
            if (f.has("selector")) {
                r.problem(f.entry("selector").line(), f.entry("selector").column(), "selector has no meaning for " + type.id()
                        + ": it stops the one instance named in cloud", "remove selector; name the instance in cloud: {...}");
            }
        } else {
            YamlNode selectorNode = f.require("selector", "write selector: {labels: {app: demo}, mode: one}");
            selector = selectorNode == null ? null : readSelector(r, selectorNode, f.path("selector"), type);
        }

        // Kills are instantaneous; their duration only keeps the fault window open. Every other fault needs one.
        Duration duration = kind == null || kind.instantaneous()
                ? f.duration("duration", Duration.ZERO, true)
                : f.requireDuration("duration", "write duration: 20s (how long the " + type.id() + " lasts before slogate reverts it)", false);
        Duration latency = null;
        if (kind != null && kind.delays() != null) {
            latency = f.requireDuration("latency", "write latency: 200ms (the delay added to every " + kind.delays() + ")", false);
            if (kind.backends().equals(Set.of(Backend.CHAOS_MESH))) {
                ClusterReader.netemDuration(r, f, "latency", latency); // tc netem takes whole microseconds
            }
        } else if (f.has("latency") && type != null) {
            String delaying = kinds.stream().filter(k -> k.delays() != null).map(FaultKind::id).collect(Collectors.joining(" or "));
            r.problem(f.entry("latency").line(), f.entry("latency").column(), "latency only applies to faults of type " + delaying + ", not " + type.id(),
                    "remove latency, or set type: network-delay");
        }
        ClusterOptions cluster = type == null ? null : ClusterReader.options(r, f);
        FaultOptions options = kind == null ? null : ownKeys(r, f, kind, kinds);
        if (options != null && options.cloud() != null) {
            // A cloud fault selects no pods: its selector only carries the namespace of the Chaos Mesh object, so the
            // allowed- and protected-namespace checks apply to it like to every other fault.
            selector = new Selector(Map.of(), Selector.Mode.ONE, 0,
                    new Selector.Scope(options.cloud().namespace(), Map.of(), List.of(), null, null, null));
        }
        return r.problems().count() == before ? new FaultSpec(name, type, selector, duration, latency, backend, cluster, options) : null;
    }

    /** The keys of other types are refused here; the type reads its own. */
    private static FaultOptions ownKeys(YamlReader r, Fields f, FaultKind kind, List<FaultKind> kinds) {
        kinds.stream().flatMap(k -> k.keys().stream()).distinct().filter(key -> f.has(key) && !kind.keys().contains(key) && !SPEC_KEYS.contains(key))
                .forEach(key -> {
                    String owners = anyOf(kinds.stream().filter(k -> k.keys().contains(key)).map(FaultKind::id).toList());
                    r.problem(f.entry(key).line(), f.entry(key).column(), key + " only applies to " + owners + " faults", "remove " + key);
                });
        return kind.read(new FaultKeys(r, f));
    }

    /** The keys of every fault spec; a type's own keys ({@link FaultKind#keys()}) come after them. */
    static final List<String> SPEC_KEYS = List.of("type", "selector", "duration", "latency", "backend", "maxPercent", "force");
    static final List<String> BACKENDS = Arrays.stream(Backend.values()).map(Backend::id).toList();

    /** {@code backend:} if written (null when absent), checked against what that backend can inject. */
    static Backend backend(YamlReader r, Fields f, String key, FaultType type) {
        String text = f.text(key, null);
        if (text == null) {
            return null;
        }
        if (!BACKENDS.contains(text)) {
            r.problem(f.get(key), "unknown backend '" + text + "'" + nearest(text, BACKENDS), "valid backends: " + String.join(", ", BACKENDS));
            return null;
        }
        Backend b = Backend.fromId(text);
        if (type != null && !b.supports(type)) {
            String others = Arrays.stream(Backend.values()).filter(o -> o.supports(type)).map(Backend::id).collect(Collectors.joining(" or "));
            r.problem(f.get(key), "backend " + b.id() + " cannot inject " + type.id(), "write backend: " + others);
            return null;
        }
        return b;
    }

    static final List<String> SELECTOR_KEYS = List.of("labels", "mode", "value", "namespace", "fields", "nodes", "runningPod", "zone", "region");

    private static Selector readSelector(YamlReader r, YamlNode node, String where, FaultType type) {
        Fields f = r.fields(node, where, SELECTOR_KEYS);
        Selector.Scope scope = ClusterReader.scope(r, f, type);
        boolean nodesChosenOtherwise = scope != null && (!scope.nodes().isEmpty() || scope.runningPod() != null || scope.zone() != null || scope.region() != null);
        Map<String, String> labels;
        YamlNode labelsNode = f.get("labels");
        if (labelsNode == null && nodesChosenOtherwise) {
            labels = Map.of();
        } else {
            labelsNode = f.require("labels", "write labels: {app: demo} to select every pod, or {region: b}, {node: a-1}, {pod: a-1-1}");
            labels = labelsNode == null ? null : r.textMap(labelsNode, f.path("labels"));
            ClusterReader.labels(r, labelsNode, f.path("labels"), labels);
            if (labels != null && labels.isEmpty() && !nodesChosenOtherwise) {
                r.problem(labelsNode, where + ".labels is empty; the blast radius must be explicit",
                        "write labels: {app: demo} to select every pod, or narrow it with region, node or pod");
            }
        }
        Selector.Mode mode = mode(r, f, where);
        double value = mode == null ? 0 : value(r, f, mode);
        return labels == null || mode == null || scope == null ? null : new Selector(labels, mode, value, scope);
    }

    static Selector.Mode mode(YamlReader r, Fields f, String where) {
        String modeText = f.requireText("mode", "write mode: one of " + String.join(", ", MODES));
        Selector.Mode mode = null;
        if (modeText != null) {
            mode = Arrays.stream(Selector.Mode.values()).filter(m -> m.id().equals(modeText)).findFirst().orElse(null);
            if (mode == null) {
                r.problem(f.get("mode"), "unknown selector mode '" + modeText + "'" + nearest(modeText, MODES), "valid modes: " + String.join(", ", MODES));
            }
        }
        return mode;
    }

    static double value(YamlReader r, Fields f, Selector.Mode mode) {
        double value = 0;
        if (mode == Selector.Mode.FIXED) {
            Integer n = f.has("value") ? r.integer(f.get("value"), f.path("value"), 1)
                    : missing(r, f, "mode fixed needs value: how many targets (1 or more)", "write value: 2");
            value = n == null ? 0 : n;
        } else if (mode == Selector.Mode.FIXED_PERCENT || mode == Selector.Mode.RANDOM_MAX_PERCENT) {
            YamlNode v = f.get("value");
            Double pct = v == null ? missing(r, f, "mode " + mode.id() + " needs value: a percentage of the matching targets", "write value: 50 (percent, 1-100)")
                    : r.number(v, f.path("value"));
            if (pct != null && (pct <= 0 || pct > 100)) {
                r.problem(v, f.path("value") + " is " + fmt(pct) + ", but " + mode.id() + " takes a percentage above 0 and at most 100",
                        "write value: 50 for half of the matching targets");
            } else if (pct != null && pct != Math.rint(pct)) {
                // Chaos Mesh parses the percentage as a whole number (its selector webhook refuses 37.5)
                r.problem(v, f.path("value") + " is " + fmt(pct) + ", but " + mode.id() + " takes a whole percentage from 1 to 100",
                        "write value: " + (pct < 1 ? "1" : (long) Math.floor(pct) + " or value: " + (long) Math.ceil(pct)));
                pct = null;
            }
            value = pct == null ? 0 : pct;
        } else if (f.has("value")) {
            r.problem(f.entry("value").line(), f.entry("value").column(), "value has no meaning with mode " + mode.id(),
                    "remove value, or use mode fixed (a count) or fixed-percent (a percentage)");
        }
        return value;
    }

    static <T> T missing(YamlReader r, Fields f, String message, String hint) {
        r.problem(f.node(), f.where() + ": " + message, hint);
        return null;
    }

    /** "a", "a or b", "a, b or c". */
    static String anyOf(List<String> words) {
        int n = words.size();
        return n <= 1 ? String.join("", words) : String.join(", ", words.subList(0, n - 1)) + " or " + words.get(n - 1);
    }

    /** "; did you mean 'x'?" when a valid word is close to what was written. */
    static String nearest(String written, List<String> valid) {
        return valid.stream()
                .filter(v -> Fields.editDistance(v.toLowerCase(), written.toLowerCase()) <= Math.max(2, written.length() / 3))
                .min((a, b) -> Fields.editDistance(a, written) - Fields.editDistance(b, written))
                .map(v -> "; did you mean '" + v + "'?").orElse("");
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static String describe(FaultSpec f) {
        if (f.options().cloud() != null) {
            return f.type().id() + (f.backend() == null ? "" : " via " + f.backend().id()) + " " + f.options().cloud().describe(f.type());
        }
        Selector.Scope sc = f.selector().scope();
        String where = (sc.namespace() != null ? sc.namespace() + "/" : "") + (sc.zone() != null ? "zone=" + sc.zone() + " " : "")
                + (sc.region() != null ? "region=" + sc.region() + " " : "") + (sc.nodes().isEmpty() ? "" : "nodes=" + sc.nodes() + " ");
        String labels = where + f.selector().labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        String mode = switch (f.selector().mode()) {
            case ONE, ALL -> f.selector().mode().id();
            case FIXED -> "fixed " + fmt(f.selector().value());
            default -> f.selector().mode().id() + " " + fmt(f.selector().value()) + "%";
        };
        return f.type().id() + (f.backend() == null ? "" : " via " + f.backend().id()) + " {" + labels + "} " + mode + (f.latency() == null ? "" : " +" + Durations.format(f.latency()))
                + (f.options().partition() ? " (network partition)" : "") + (f.options().podRemoval().evict() ? " (evict, PodDisruptionBudgets respected)" : "")
                + f.kind().describe(f);
    }
}
