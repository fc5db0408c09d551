package dev.slogate.experiment;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Kubernetes side of the files: a selector's cluster scope, a fault's cluster options, a scenario's
 * {@code kubernetes:} block, and checks them against each other (backends, allowed namespaces, protected namespaces).
 */
final class ClusterReader {
    static final Set<String> PROTECTED_NAMESPACES = Set.of("kube-system");
    static final List<String> DIRECTIONS = List.of("to", "from", "both");

    private ClusterReader() {
    }

    /** namespace, fields, nodes, runningPod, zone, region of a selector; {@link Selector.Scope#NONE} when none is written. */
    static Selector.Scope scope(YamlReader r, Fields f, FaultType type) {
        int before = r.problems().count();
        String namespace = f.text("namespace", null);
        if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            r.problem(f.get("namespace"), f.path("namespace") + " '" + namespace + "' is not a Kubernetes namespace name",
                    "namespaces are lower-case letters, digits and '-', e.g. namespace: shop");
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
            if (labels == null || labels.isEmpty()) {
                r.problem(f.get("runningPod"), f.path("runningPod") + " needs labels: the pods whose nodes are hit",
                        "write runningPod: {namespace: shop, labels: {app: checkout}}");
            } else if (ns != null) {
                runningPod = new Selector(labels, Selector.Mode.ALL, 0, new Selector.Scope(ns, Map.of(), List.of(), null, null, null));
            }
        }
        String zone = f.text("zone", null);
        String region = f.text("region", null);
        if (type != null) {
            onlyFor(r, f, "zone", type == FaultType.ZONE_OUTAGE, "zone-outage", "zone names the topology.kubernetes.io/zone to take down");
            onlyFor(r, f, "region", type == FaultType.REGION_OUTAGE, "region-outage", "region names the topology.kubernetes.io/region to take down");
            onlyFor(r, f, "nodes", type == FaultType.NODE_KILL, "node-kill", "nodes names the nodes to kill");
            onlyFor(r, f, "runningPod", type == FaultType.NODE_KILL, "node-kill", "runningPod picks the nodes running those pods");
            if (type == FaultType.ZONE_OUTAGE && zone == null && f.isMap()) {
                r.problem(f.node(), f.where() + ": zone-outage needs zone: the value of topology.kubernetes.io/zone", "write zone: eu-west-1b");
            }
            if (type.hitsNodes() && namespace != null) {
                r.problem(f.get("namespace"), "namespace has no meaning for " + type.id() + ": nodes belong to no namespace",
                        "remove namespace; choose nodes by labels, nodes, runningPod" + (type == FaultType.NODE_KILL ? "" : ", zone or region"));
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

    private static void onlyFor(YamlReader r, Fields f, String key, boolean allowed, String type, String what) {
        if (f.has(key) && !allowed) {
            r.problem(f.entry(key).line(), f.entry(key).column(), key + " only applies to " + type + " faults (" + what + ")",
                    "remove " + key + ", or set type: " + type);
        }
    }

    /** The cluster-only keys of a fault spec; {@link ClusterOptions#DEFAULTS} when none is written. */
    static ClusterOptions options(YamlReader r, Fields f, FaultType type) {
        int before = r.problems().count();
        ClusterOptions d = ClusterOptions.DEFAULTS;
        Double maxPercent = f.has("maxPercent") ? r.number(f.get("maxPercent"), f.path("maxPercent")) : (Double) d.maxPercent();
        if (maxPercent != null && (maxPercent <= 0 || maxPercent > 100)) {
            r.problem(f.get("maxPercent"), f.path("maxPercent") + " is " + FaultReader.fmt(maxPercent) + ", but it is a percentage above 0 and at most 100",
                    "write maxPercent: 50 (the default) or lower");
        }
        Boolean force = f.bool("force", false);
        boolean network = type.id().startsWith("network-");
        only(r, f, "gracePeriod", type == FaultType.POD_KILL || type.hitsNodes(), "pod-kill, node-kill, zone-outage or region-outage");
        only(r, f, "containers", type == FaultType.CONTAINER_KILL, "container-kill");
        only(r, f, "direction", network, "network-delay, network-loss, network-partition or network-bandwidth");
        only(r, f, "target", network, "network faults");
        only(r, f, "jitter", type == FaultType.NETWORK_DELAY, "network-delay");
        only(r, f, "loss", type == FaultType.NETWORK_LOSS, "network-loss");
        only(r, f, "bandwidth", type == FaultType.NETWORK_BANDWIDTH, "network-bandwidth");
        only(r, f, "workers", type == FaultType.CPU_STRESS || type == FaultType.MEMORY_STRESS, "cpu-stress or memory-stress");
        only(r, f, "load", type == FaultType.CPU_STRESS, "cpu-stress");
        only(r, f, "size", type == FaultType.MEMORY_STRESS, "memory-stress");

        Duration grace = f.duration("gracePeriod", d.gracePeriod(), true);
        List<String> containers = List.of();
        if (type == FaultType.CONTAINER_KILL) {
            YamlNode c = f.require("containers", "write containers: [app] (the containers to kill in each chosen pod)");
            List<YamlNode> items = c == null ? null : r.list(c, f.path("containers"));
            List<String> names = new ArrayList<>();
            for (int i = 0; items != null && i < items.size(); i++) {
                String n = r.text(items.get(i), f.path("containers") + "[" + i + "]");
                if (n != null) {
                    names.add(n);
                }
            }
            if (items != null && items.isEmpty()) {
                r.problem(c, f.path("containers") + " is empty", "write containers: [app]");
            }
            containers = names;
        }
        String direction = f.text("direction", d.direction());
        if (direction != null && !DIRECTIONS.contains(direction)) {
            r.problem(f.get("direction"), "unknown direction '" + direction + "'" + FaultReader.nearest(direction, DIRECTIONS),
                    "valid directions: " + String.join(", ", DIRECTIONS));
        }
        Selector target = null;
        if (f.has("target")) {
            Fields t = r.fields(f.get("target"), f.path("target"), List.of("namespace", "labels", "mode", "value"));
            String ns = t.requireText("namespace", "write target: {namespace: shop, labels: {app: db}, mode: all}");
            Map<String, String> labels = t.has("labels") ? t.textMap("labels") : Map.of();
            Selector.Mode mode = t.has("mode") ? FaultReader.mode(r, t, t.where()) : Selector.Mode.ALL;
            double value = mode == null ? 0 : FaultReader.value(r, t, mode);
            if (ns != null && mode != null) {
                target = new Selector(labels, mode, value, new Selector.Scope(ns, Map.of(), List.of(), null, null, null));
            }
        } else if (type == FaultType.NETWORK_PARTITION && f.isMap()) {
            r.problem(f.node(), f.where() + ": network-partition needs target: the pods cut off from the selected ones",
                    "write target: {namespace: shop, labels: {app: db}, mode: all}");
        }
        Duration jitter = f.duration("jitter", null, true);
        Double loss = type == FaultType.NETWORK_LOSS ? f.requireFraction("loss", "write loss: 25% (the share of packets dropped)") : (Double) 0.0;
        String bandwidth = type == FaultType.NETWORK_BANDWIDTH ? f.requireText("bandwidth", "write bandwidth: 1mbps (rate: kbps, mbps or gbps)") : null;
        if (bandwidth != null && !bandwidth.matches("\\d+(\\.\\d+)?(bps|kbps|mbps|gbps)")) {
            r.problem(f.get("bandwidth"), f.path("bandwidth") + " '" + bandwidth + "' is not a rate", "write bandwidth: 1mbps (units: bps, kbps, mbps, gbps)");
        }
        Integer workers = f.integer("workers", d.workers(), 1);
        Integer load = f.integer("load", d.load(), 1);
        if (load != null && load > 100) {
            r.problem(f.get("load"), f.path("load") + " is " + load + ", but it is a percentage of one CPU (1-100)", "write load: 80");
        }
        String size = type == FaultType.MEMORY_STRESS ? f.requireText("size", "write size: 256MB (memory each worker takes)") : null;
        if (size != null && !size.matches("\\d+(KB|MB|GB|%)")) {
            r.problem(f.get("size"), f.path("size") + " '" + size + "' is not a memory size", "write size: 256MB (units: KB, MB, GB, or a % of the memory)");
        }
        String mechanism = mechanism(r, f, type);
        CloudInstance cloud = cloud(r, f, type);
        String podRemoval = podRemoval(r, f, type, mechanism);
        if (r.problems().count() != before) {
            return null;
        }
        ClusterOptions o = new ClusterOptions(maxPercent, force, grace, containers, direction, target, jitter,
                loss == null ? 0 : loss * 100, bandwidth, workers, load, size, mechanism, cloud, podRemoval);
        return o.equals(d) ? d : o;
    }

    static final List<String> MECHANISMS = List.of(ClusterOptions.KILL, ClusterOptions.PARTITION);

    /** zone-/region-outage's {@code mechanism}: kill (the default) or partition. */
    private static String mechanism(YamlReader r, Fields f, FaultType type) {
        only(r, f, "mechanism", type == FaultType.ZONE_OUTAGE || type == FaultType.REGION_OUTAGE, "zone-outage or region-outage");
        String m = f.text("mechanism", ClusterOptions.KILL);
        if (m != null && !MECHANISMS.contains(m)) {
            r.problem(f.get("mechanism"), "unknown mechanism '" + m + "'" + FaultReader.nearest(m, MECHANISMS),
                    "write mechanism: kill (cordon and drain the nodes) or mechanism: partition (a Chaos Mesh network partition)");
        }
        return m;
    }

    static final List<String> POD_REMOVALS = List.of(ClusterOptions.DELETE, ClusterOptions.EVICT);

    /** {@code podRemoval}: delete (the default) or evict (the Eviction API, PodDisruptionBudgets respected). */
    private static String podRemoval(YamlReader r, Fields f, FaultType type, String mechanism) {
        only(r, f, "podRemoval", type == FaultType.POD_KILL || type.hitsNodes(), "pod-kill, node-kill, zone-outage or region-outage");
        String m = f.text("podRemoval", ClusterOptions.DELETE);
        if (m != null && !POD_REMOVALS.contains(m)) {
            r.problem(f.get("podRemoval"), "unknown podRemoval '" + m + "'" + FaultReader.nearest(m, POD_REMOVALS),
                    "write podRemoval: delete (remove the pods at once) or podRemoval: evict (the Eviction API: PodDisruptionBudgets may refuse)");
        } else if (ClusterOptions.EVICT.equals(m) && ClusterOptions.PARTITION.equals(mechanism)) {
            r.problem(f.get("podRemoval"), "podRemoval: evict has no meaning with mechanism: partition (no pod is removed)",
                    "remove podRemoval, or write mechanism: kill");
        }
        return m;
    }

    /** The {@code cloud:} block of a cloud node stop: namespace, secretName and the CRD's instance fields, all required. */
    private static CloudInstance cloud(YamlReader r, Fields f, FaultType type) {
        only(r, f, "cloud", type.isCloud(), "aws-ec2-stop, gcp-node-stop or azure-vm-stop");
        if (!type.isCloud()) {
            return null;
        }
        List<String> location = CloudInstance.locationKeys(type);
        String example = "cloud: {namespace: shop, secretName: cloud-key-secret, "
                + location.stream().map(k -> k + ": ...").collect(java.util.stream.Collectors.joining(", ")) + "}";
        YamlNode node = f.require("cloud", "write " + example + " (the instance to stop and the secret holding the credentials)");
        if (node == null) {
            return null;
        }
        List<String> keys = new ArrayList<>(List.of("namespace", "secretName"));
        keys.addAll(location);
        Fields c = r.fields(node, f.path("cloud"), keys);
        String ns = c.requireText("namespace", "write namespace: the namespace of the Chaos Mesh object and of its secret, e.g. " + example);
        String secret = c.requireText("secretName", "name the Kubernetes secret holding the " + type.id().substring(0, type.id().indexOf('-'))
                + " credentials: secretName: cloud-key-secret (slogate never reads it; Chaos Mesh does)");
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String k : location) {
            String v = c.requireText(k, "name the instance explicitly: " + example);
            if (v != null) {
                values.put(k, v);
            }
        }
        return ns == null || secret == null || values.size() != location.size() ? null : new CloudInstance(ns, secret, values);
    }

    private static void only(YamlReader r, Fields f, String key, boolean allowed, String types) {
        if (f.has(key) && !allowed) {
            r.problem(f.entry(key).line(), f.entry(key).column(), key + " only applies to " + types + " faults", "remove " + key);
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
            if (dashboard != null && !isHttp(dashboard)) {
                r.problem(c.get("dashboardUrl"), "spec.kubernetes.chaosMesh.dashboardUrl '" + dashboard + "' is not an http(s) URL",
                        "write dashboardUrl: http://127.0.0.1:2333 (its bearer token comes from the variable named by tokenEnv, never from the file)");
            }
            String tokenEnv = c.text("tokenEnv", null);
            if (tokenEnv != null && !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                r.problem(c.get("tokenEnv"), "spec.kubernetes.chaosMesh.tokenEnv '" + tokenEnv + "' is not an environment variable name",
                        "write the variable's name, not the token: tokenEnv: CHAOS_TOKEN");
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

    private static boolean isHttp(String u) {
        try {
            URI uri = new URI(u);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * Resolves a fault's backend against the scenario and checks where it may go. Returns the spec with its backend
     * resolved (null stays for local), or null after reporting a problem at {@code at}.
     */
    static FaultSpec resolve(YamlReader r, YamlNode at, String name, FaultSpec spec, Target target, KubernetesSettings k8s) {
        Backend backend = spec.backend();
        if (spec.cluster().partition()) {
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
            if (!spec.selector().scope().equals(Selector.Scope.NONE) || !spec.cluster().equals(ClusterOptions.DEFAULTS)) {
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
        if (backend == Backend.CHAOS_MESH && spec.type().hitsNodes() && !spec.cluster().partition()) {
            r.problem(at, "fault '" + name + "': chaos-mesh cannot " + spec.type().id() + " by killing nodes",
                    spec.type() == FaultType.NODE_KILL ? "write backend: kubernetes" : "write backend: kubernetes, or mechanism: partition");
            return null;
        }
        if (backend == Backend.CHAOS_MESH && spec.cluster().evict()) {
            r.problem(at, "fault '" + name + "': chaos-mesh deletes pods, it cannot evict them (podRemoval: evict)",
                    "write backend: kubernetes, or remove podRemoval");
            return null;
        }
        if (spec.type().isCloud() && !k8s.allowCloudFaults()) {
            r.problem(at, "fault '" + name + "' stops a cloud machine (" + FaultReader.describe(spec) + "), but the experiment does not allow cloud faults",
                    "add allowCloudFaults: true to spec.kubernetes if this experiment may stop machines");
            return null;
        }
        List<String> namespaces = new ArrayList<>();
        Selector.Scope scope = spec.selector().scope();
        if (spec.cluster().partition()) {
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
        if (spec.cluster().target() != null) {
            namespaces.add(spec.cluster().target().scope().namespace());
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
