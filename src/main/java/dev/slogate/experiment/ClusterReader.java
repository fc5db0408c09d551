package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Kubernetes side of the files: a selector's cluster scope, a fault's cluster options, a scenario's
 * {@code kubernetes:} block, and checks them against each other (backends, allowed namespaces, protected namespaces).
 */
final class ClusterReader {
    static final Set<String> PROTECTED_NAMESPACES = Set.of("kube-system");

    private ClusterReader() {
    }

    /** namespace, fields, nodes, runningPod, zone, region of a selector; {@link Selector.Scope#NONE} when none is written. */
    static Selector.Scope scope(YamlReader r, Fields f, FaultType type) {
        int before = r.problems().count();
        String namespace = f.text("namespace", null);
        if (namespace != null && !KubernetesNames.isDnsLabel(namespace)) {
            r.problem(f.get("namespace"), f.path("namespace") + " '" + namespace + "' is not a Kubernetes namespace name",
                    "namespaces are at most 63 lower-case letters, digits and '-', beginning and ending with a letter or digit, e.g. namespace: shop");
        }
        Map<String, String> fields = f.textMap("fields");
        List<String> nodes = List.of();
        if (f.has("nodes")) {
            List<YamlNode> items = r.list(f.get("nodes"), f.path("nodes"));
            List<String> names = new ArrayList<>();
            for (int i = 0; items != null && i < items.size(); i++) {
                String n = r.text(items.get(i), f.path("nodes") + "[" + i + "]");
                if (n != null) {
                    names.add(n);
                }
            }
            if (items != null && items.isEmpty()) {
                r.problem(f.get("nodes"), f.path("nodes") + " is empty", "name the nodes: nodes: [worker-2]");
            }
            nodes = names;
        }
        Selector runningPod = null;
        if (f.has("runningPod")) {
            Fields p = r.fields(f.get("runningPod"), f.path("runningPod"), List.of("namespace", "labels"));
            String ns = p.requireText("namespace", "write runningPod: {namespace: shop, labels: {app: checkout}}");
            Map<String, String> labels = p.has("labels") ? p.textMap("labels") : null;
            labels(r, p.get("labels"), p.path("labels"), labels);
            if (labels == null || labels.isEmpty()) {
                r.problem(f.get("runningPod"), f.path("runningPod") + " needs labels: the pods whose nodes are hit",
                        "write runningPod: {namespace: shop, labels: {app: checkout}}");
            } else if (ns != null) {
                runningPod = new Selector(labels, Selector.Mode.ALL, 0, new Selector.Scope(ns, Map.of(), List.of(), null, null, null));
            }
        }
        String zone = f.text("zone", null);
        String region = f.text("region", null);
        topologyValue(r, f, "zone", zone);
        topologyValue(r, f, "region", region);
        FaultKind kind = type == null ? null : FaultTypes.find(type.id());
        if (kind != null) {
            NODE_KEYS.forEach((key, what) -> {
                List<String> owners = FaultTypes.all().stream().filter(k -> k.selectorKeys().contains(key)).map(FaultKind::id).toList();
                onlyFor(r, f, key, kind.selectorKeys().contains(key), FaultReader.anyOf(owners), what);
            });
            for (String key : kind.requiredSelectorKeys()) {
                if (!f.has(key) && f.isMap()) {
                    String example = key.equals("zone") ? "eu-west-1b" : "eu-west-1";
                    r.problem(f.node(), f.where() + ": " + kind.id() + " needs " + key + ": the value of topology.kubernetes.io/" + key, "write " + key + ": " + example);
                }
            }
            if (kind.hitsNodes() && namespace != null) {
                boolean topology = kind.selectorKeys().contains("zone") || kind.selectorKeys().contains("region");
                r.problem(f.get("namespace"), "namespace has no meaning for " + kind.id() + ": nodes belong to no namespace",
                        "remove namespace; choose nodes by labels, nodes, runningPod" + (topology ? ", zone or region" : ""));
            }
        }
        if (r.problems().count() != before) {
            return null;
        }
        if (namespace == null && fields.isEmpty() && nodes.isEmpty() && runningPod == null && zone == null && region == null) {
            return Selector.Scope.NONE;
        }
        return new Selector.Scope(namespace, fields, nodes, runningPod, zone, region);
    }

    /** A zone or region is matched as a node label value (topology.kubernetes.io/zone=...), so it must be one. */
    private static void topologyValue(YamlReader r, Fields f, String key, String value) {
        String why = value == null ? null : KubernetesNames.labelValueProblem(value);
        if (why != null) {
            r.problem(f.get(key), f.path(key) + " '" + value + "' " + why, "write the value of the node label topology.kubernetes.io/" + key + ", e.g. "
                    + key + ": " + (key.equals("zone") ? "eu-west-1b" : "eu-west-1"));
        }
    }

    /**
     * Every key and value of a label selector as the API server accepts it in a label selector (and Chaos Mesh in
     * labelSelectors): keys like app or example.com/tier, values of at most 63 letters, digits, '-', '_', '.'.
     * Reported at the key or the value; nothing when {@code labels} could not be read.
     */
    static void labels(YamlReader r, YamlNode node, String where, Map<String, String> labels) {
        if (labels == null || !(node instanceof YamlNode.MapNode m)) {
            return;
        }
        for (YamlNode.Entry e : m.entries().values()) {
            String value = labels.get(e.key());
            if (!KubernetesNames.isLabelKey(e.key())) {
                r.problem(e.line(), e.column(), where + ": '" + e.key() + "' is not a Kubernetes label key",
                        "a label key is a name of at most 63 letters, digits, '-', '_', '.' (alphanumeric at both ends), with an optional"
                                + " DNS prefix: app, app.kubernetes.io/name");
            } else if (value != null && KubernetesNames.labelValueProblem(value) != null) {
                r.problem(e.value(), where + "." + e.key() + " '" + value + "' " + KubernetesNames.labelValueProblem(value),
                        "write the label value exactly as it is on the pods, e.g. " + e.key() + ": checkout");
            }
        }
    }

    /** The keys of a selector that choose nodes, and what each does; a type takes those it lists in {@link FaultKind#selectorKeys()}. */
    private static final Map<String, String> NODE_KEYS = nodeKeys();

    private static Map<String, String> nodeKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("zone", "zone names the topology.kubernetes.io/zone to take down");
        m.put("region", "region names the topology.kubernetes.io/region to take down");
        m.put("nodes", "nodes names the nodes to kill");
        m.put("runningPod", "runningPod picks the nodes running those pods");
        return m;
    }

    private static void onlyFor(YamlReader r, Fields f, String key, boolean allowed, String type, String what) {
        if (f.has(key) && !allowed) {
            r.problem(f.entry(key).line(), f.entry(key).column(), key + " only applies to " + type + " faults (" + what + ")",
                    "remove " + key + ", or set type: " + type);
        }
    }

    /** The safety keys every cluster fault takes (maxPercent, force); {@link ClusterOptions#DEFAULTS} when none is written. */
    static ClusterOptions options(YamlReader r, Fields f) {
        Double maxPercent = f.has("maxPercent") ? r.number(f.get("maxPercent"), f.path("maxPercent")) : (Double) ClusterOptions.DEFAULT_MAX_PERCENT;
        if (maxPercent != null && (maxPercent <= 0 || maxPercent > 100)) {
            r.problem(f.get("maxPercent"), f.path("maxPercent") + " is " + FaultReader.fmt(maxPercent) + ", but it is a percentage above 0 and at most 100",
                    "write maxPercent: 50 (the default) or lower");
        }
        Boolean force = f.bool("force", false);
        return maxPercent == null || force == null ? null : new ClusterOptions(maxPercent, force);
    }

    /**
     * A delay's latency or jitter goes to tc netem as a count of one unit (s, ms or us: {@code 1500us}); a fraction
     * of a microsecond has no such form. Reported at {@code key}.
     */
    static void netemDuration(YamlReader r, Fields f, String key, Duration d) {
        if (d != null && d.toNanosPart() % 1000 != 0) {
            r.problem(f.get(key), f.path(key) + " " + f.text(key, "") + " is not a whole number of microseconds, the finest delay Chaos Mesh applies",
                    "write " + key + ": " + Math.max(1, d.toNanos() / 1000) + "us, or a value in ms or s");
        }
    }

    /** A scenario's {@code kubernetes:} block; null when it has problems. */
    static KubernetesSettings settings(YamlReader r, YamlNode node, Path dir) {
        int before = r.problems().count();
        Fields k = r.fields(node, "spec.kubernetes", List.of("kubeconfig", "inCluster", "context", "allowedNamespaces", "chaosMesh", "allowCloudFaults"));
        String kubeconfig = k.text("kubeconfig", null);
        Boolean inCluster = k.bool("inCluster", false);
        if (kubeconfig != null && Boolean.TRUE.equals(inCluster)) {
            r.problem(k.get("inCluster"), "spec.kubernetes has both kubeconfig and inCluster: true",
                    "keep inCluster: true when slogate runs as a pod (its service account), or kubeconfig: to reach a cluster from outside");
        }
        Path config = null;
        if (kubeconfig != null) {
            config = kubeconfig.startsWith("~/") ? Path.of(System.getProperty("user.home"), kubeconfig.substring(2)) : dir.resolve(kubeconfig).normalize();
        }
        String context = k.text("context", null);
        YamlNode nsNode = k.require("allowedNamespaces", "write allowedNamespaces: [shop] (the only namespaces faults may touch)");
        List<YamlNode> items = nsNode == null ? null : r.list(nsNode, "spec.kubernetes.allowedNamespaces");
        List<String> allowed = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String ns = r.text(items.get(i), "spec.kubernetes.allowedNamespaces[" + i + "]");
            if (ns != null) {
                allowed.add(ns);
            }
        }
        if (items != null && items.isEmpty()) {
            r.problem(nsNode, "spec.kubernetes.allowedNamespaces is empty, so no fault could run", "write allowedNamespaces: [shop]");
        }
        KubernetesSettings.ChaosMesh chaosMesh = null;
        if (k.has("chaosMesh")) {
            Fields c = r.fields(k.get("chaosMesh"), "spec.kubernetes.chaosMesh", List.of("namespace", "dashboardUrl", "tokenEnv"));
            String ns = c.text("namespace", KubernetesSettings.CHAOS_MESH_DEFAULT_NAMESPACE);
            String dashboard = c.text("dashboardUrl", null);
            Secrets.process().rememberUrl(dashboard);
            if (dashboard != null && !TargetReader.isHttpUrl(dashboard)) {
                r.problem(c.get("dashboardUrl"), "spec.kubernetes.chaosMesh.dashboardUrl '" + Redaction.url(dashboard) + "' is not an http(s) URL",
                        "write dashboardUrl: http://127.0.0.1:2333 (its bearer token comes from the variable named by tokenEnv, never from the file)");
            }
            String tokenEnv = c.text("tokenEnv", null);
            if (tokenEnv != null && !Redaction.isEnvName(tokenEnv)) {
                // likely the token itself: never quoted, and masked wherever else it may turn up
                Secrets.process().remember(tokenEnv);
                r.problem(c.get("tokenEnv"), "spec.kubernetes.chaosMesh.tokenEnv is not an environment variable name (its value is"
                        + " not shown: it may be a token)", "write the variable's name, not the token: tokenEnv: CHAOS_TOKEN, and export"
                        + " CHAOS_TOKEN=<the token> before the run");
            } else if (tokenEnv != null && dashboard == null) {
                r.problem(c.get("tokenEnv"), "spec.kubernetes.chaosMesh.tokenEnv is set but there is no dashboardUrl to send the token to",
                        "add dashboardUrl: http://chaos-dashboard.chaos-mesh:2333, or remove tokenEnv to use the API server");
            }
            chaosMesh = new KubernetesSettings.ChaosMesh(ns, dashboard, tokenEnv);
        }
        Boolean allowCloud = k.bool("allowCloudFaults", false);
        return r.problems().count() == before
                ? new KubernetesSettings(config, Boolean.TRUE.equals(inCluster), context, allowed, chaosMesh, Boolean.TRUE.equals(allowCloud)) : null;
    }


    /**
     * Resolves a fault's backend against the scenario and checks where it may go. Returns the spec with its backend
     * resolved (null stays for local), or null after reporting a problem at {@code at}.
     */
    static FaultSpec resolve(YamlReader r, YamlNode at, String name, FaultSpec spec, Target target, KubernetesSettings k8s) {
        Backend backend = spec.backend();
        FaultOptions options = spec.options();
        if (options.partition()) {
            if (backend != null && backend != Backend.CHAOS_MESH) {
                r.problem(at, "fault '" + name + "' is a " + spec.type().id() + " by network partition, which only chaos-mesh injects, not " + backend.id(),
                        "write backend: chaos-mesh, or mechanism: kill to cordon and drain the nodes through the Kubernetes API");
                return null;
            }
            backend = Backend.CHAOS_MESH;
        }
        if (backend == null && target != null && target.kind() == Target.Kind.URL && k8s != null) {
            backend = Backend.KUBERNETES.supports(spec.type()) ? Backend.KUBERNETES : Backend.CHAOS_MESH;
        }
        if (backend == null && !Backend.LOCAL.supports(spec.type())) {
            backend = Backend.KUBERNETES.supports(spec.type()) ? Backend.KUBERNETES : Backend.CHAOS_MESH;
            if (k8s == null) {
                r.problem(at, "fault '" + name + "' is a " + spec.type().id() + ", which only " + backend.id() + " injects, but the scenario has no spec.kubernetes",
                        "add spec.kubernetes: {kubeconfig: ~/.kube/config, allowedNamespaces: [shop]} and backend: " + backend.id());
                return null;
            }
        }
        if (backend == null || backend == Backend.LOCAL) {
            if (target != null && target.kind() != Target.Kind.SANDBOX) {
                r.problem(at, "fault '" + name + "' runs on the local sandbox, but the target is a url",
                        k8s == null ? "use the sandbox target, or add spec.kubernetes and backend: kubernetes" : "write backend: kubernetes or chaos-mesh");
                return null;
            }
            if (!spec.selector().scope().equals(Selector.Scope.NONE) || !spec.cluster().equals(ClusterOptions.DEFAULTS) || options.needsCluster()) {
                r.problem(at, "fault '" + name + "' uses Kubernetes settings (namespace, nodes, zone, maxPercent, force, ...) but runs on the local sandbox",
                        "write backend: kubernetes (or chaos-mesh), or remove those keys");
                return null;
            }
            return spec;
        }
        if (k8s == null) {
            r.problem(at, "fault '" + name + "' goes to " + backend.id() + ", but the scenario has no spec.kubernetes",
                    "add spec.kubernetes: {kubeconfig: ~/.kube/config, allowedNamespaces: [shop]}");
            return null;
        }
        if (backend == Backend.CHAOS_MESH && spec.type().hitsNodes() && !options.partition()) {
            r.problem(at, "fault '" + name + "': chaos-mesh cannot " + spec.type().id() + " by killing nodes",
                    spec.kind().backends().contains(Backend.CHAOS_MESH) ? "write backend: kubernetes, or mechanism: partition" : "write backend: kubernetes");
            return null;
        }
        if (backend == Backend.CHAOS_MESH && options.podRemoval().evict()) {
            r.problem(at, "fault '" + name + "': chaos-mesh deletes pods, it cannot evict them (podRemoval: evict)",
                    "write backend: kubernetes, or remove podRemoval");
            return null;
        }
        String unrecorded = spec.kind().unrecordedByChaosDashboard();
        if (unrecorded != null && k8s.chaosMesh() != null && k8s.chaosMesh().dashboardUrl() != null) {
            r.problem(at, "fault '" + name + "' is an " + spec.type().id() + ", which the Chaos Dashboard cannot stop or delete (it records no " + unrecorded + ")",
                    "remove dashboardUrl (and tokenEnv) from spec.kubernetes.chaosMesh so the AzureChaos goes through the API server");
            return null;
        }
        if (spec.type().isCloud() && !k8s.allowCloudFaults()) {
            r.problem(at, "fault '" + name + "' stops a cloud machine (" + FaultReader.describe(spec) + "), but the experiment does not allow cloud faults",
                    "add allowCloudFaults: true to spec.kubernetes if this experiment may stop machines");
            return null;
        }
        List<String> namespaces = new ArrayList<>();
        Selector.Scope scope = spec.selector().scope();
        if (options.partition()) {
            namespaces.addAll(k8s.allowedNamespaces()); // a zone partition cuts the pods of every allowed namespace
        } else if (!spec.type().hitsNodes()) {
            if (scope.namespace() == null) {
                r.problem(at, "fault '" + name + "' selects pods on Kubernetes but names no namespace",
                        "add namespace: to its selector, one of " + k8s.allowedNamespaces());
                return null;
            }
            namespaces.add(scope.namespace());
        }
        if (scope.runningPod() != null) {
            namespaces.add(scope.runningPod().scope().namespace());
        }
        if (options.peer() != null && options.peer().target() != null) {
            namespaces.add(options.peer().target().scope().namespace());
        }
        for (String ns : namespaces) {
            if (!k8s.allowedNamespaces().contains(ns)) {
                r.problem(at, "fault '" + name + "' touches namespace '" + ns + "', which spec.kubernetes.allowedNamespaces does not list",
                        "add " + ns + " to allowedNamespaces " + k8s.allowedNamespaces() + " if it may be broken, or choose another namespace");
                return null;
            }
            if ((PROTECTED_NAMESPACES.contains(ns) || ns.equals(k8s.chaosMeshNamespace())) && !spec.cluster().force()) {
                r.problem(at, "fault '" + name + "' touches namespace '" + ns + "', which slogate refuses unless forced",
                        "add force: true to the fault if you really mean to break " + ns);
                return null;
            }
        }
        return backend == spec.backend() ? spec : spec.withBackend(backend);
    }
}
