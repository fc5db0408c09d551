package dev.slogate.cluster;

import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * What a fault on a cluster may hit, looked up live and checked before anything is touched: the matching pods of a
 * pod fault (the Kubernetes API back end and Chaos Mesh plan and cap them alike), the nodes of a node fault. Safety:
 * only allowed namespaces, kube-system and Chaos Mesh's namespace only with force, at most {@code maxPercent} of the
 * matching pods (of the cluster's nodes), never the last schedulable node of a zone unless forced.
 */
public final class ClusterTargets {
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";

    private ClusterTargets() {
    }

    /**
     * Candidates by name ("ns/name" or "node/name"), how many the mode takes, and what was seen of them (the nodes of a
     * node fault, the pods of a pod fault).
     */
    public record Choice(List<String> candidates, int count, Map<String, Node> nodes, Map<String, Pod> pods) {
    }

    /**
     * The pods a pod-level fault may hit ("ns/name"), after the namespace and cap checks; Chaos Mesh faults are
     * planned and capped the same way before their experiment is created.
     */
    public static List<String> podTargets(KubernetesClient client, KubernetesSettings settings, FaultSpec spec) {
        try {
            return pods(client, settings, spec, RandomGenerator.getDefault()).candidates();
        } catch (KubernetesClientException e) {
            throw new FaultException("cannot list pods: " + KubernetesApi.explain(e), e);
        }
    }

    /** The matching pods of a pod fault and how many its mode takes. */
    public static Choice pods(KubernetesClient client, KubernetesSettings settings, FaultSpec spec, RandomGenerator random) {
        Selector sel = spec.selector();
        String ns = sel.scope().namespace();
        checkNamespace(settings, ns, spec.cluster());
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Pod p : matchingPods(client, sel)) {
            pods.put(ns + "/" + p.getMetadata().getName(), p);
        }
        if (pods.isEmpty()) {
            throw new FaultException(spec.type() + ": selector " + describe(sel) + " matches no running pod in namespace " + ns
                    + "; check the labels with kubectl get pods -n " + ns + " --show-labels");
        }
        int n = sel.count(pods.size(), random);
        int most = maxCount(sel, pods.size());
        capped(spec, most, pods.size(), "matching pods");
        return new Choice(List.copyOf(pods.keySet()), n, Map.of(), pods);
    }

    /** Pods matching labels and fields, not already terminating. */
    public static List<Pod> matchingPods(KubernetesClient client, Selector sel) {
        var op = client.pods().inNamespace(sel.scope().namespace()).withLabels(sel.labels()); // pods list
        if (!sel.scope().fields().isEmpty()) {
            op = op.withFields(sel.scope().fields());
        }
        return op.list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> fieldsMatch(p, sel.scope().fields())) // the API filtered already; a mock may not
                .toList();
    }

    /**
     * The nodes of a node fault and how many it takes: {@code picked}, the selector's mode picks among them (node-kill);
     * otherwise every matching node (a whole zone or region).
     */
    public static Choice nodes(KubernetesClient client, KubernetesSettings settings, FaultSpec spec, boolean picked, RandomGenerator random) {
        Selector sel = spec.selector();
        Selector.Scope scope = sel.scope();
        List<Node> all = client.nodes().list().getItems(); // nodes list
        Map<String, Node> byName = all.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a, LinkedHashMap::new));
        Map<String, Node> matching = new LinkedHashMap<>();
        String what;
        if (!scope.nodes().isEmpty()) {
            what = "nodes " + scope.nodes();
            for (String name : scope.nodes()) {
                Node n = client.nodes().withName(name).get(); // nodes get
                if (n == null) {
                    throw new FaultException(spec.type() + ": node '" + name + "' does not exist; nodes are " + byName.keySet());
                }
                matching.put(name, n);
            }
        } else if (scope.runningPod() != null) {
            Selector pods = scope.runningPod();
            checkNamespace(settings, pods.scope().namespace(), spec.cluster());
            what = "the nodes running " + describe(pods);
            for (Pod p : matchingPods(client, pods)) {
                String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
                if (node != null && byName.containsKey(node)) {
                    matching.put(node, byName.get(node));
                }
            }
        } else if (scope.zone() != null || scope.region() != null) {
            String label = scope.zone() != null ? ZONE_LABEL : REGION_LABEL;
            String value = scope.zone() != null ? scope.zone() : scope.region();
            what = "nodes with " + label + "=" + value;
            byName.forEach((k, n) -> {
                if (value.equals(labels(n).get(label)) && sel.matches(labels(n))) {
                    matching.put(k, n);
                }
            });
        } else {
            what = "nodes with labels " + sel.labels();
            byName.forEach((k, n) -> {
                if (sel.matches(labels(n))) {
                    matching.put(k, n);
                }
            });
        }
        if (matching.isEmpty()) {
            throw new FaultException(spec.type() + ": selector " + describe(sel) + " matches no node (" + what + "); nodes are "
                    + byName.values().stream().map(n -> n.getMetadata().getName() + " " + zoneOf(n)).toList());
        }
        int n = picked ? sel.count(matching.size(), random) : matching.size();
        int most = picked ? maxCount(sel, matching.size()) : matching.size();
        capped(spec, most, byName.size(), "nodes of the cluster");
        if (picked && !spec.cluster().force()) {
            lastNodeOfZone(matching, byName, most);
        }
        List<String> names = matching.keySet().stream().map(k -> "node/" + k).toList();
        return new Choice(names, n, matching, Map.of());
    }

    /** Refuses a node-kill that could cordon every schedulable node of a zone. */
    private static void lastNodeOfZone(Map<String, Node> matching, Map<String, Node> all, int most) {
        Map<String, List<String>> schedulableByZone = new LinkedHashMap<>();
        all.values().stream().filter(n -> !Boolean.TRUE.equals(n.getSpec() == null ? null : n.getSpec().getUnschedulable()))
                .forEach(n -> schedulableByZone.computeIfAbsent(zoneOf(n), z -> new ArrayList<>()).add(n.getMetadata().getName()));
        for (var e : schedulableByZone.entrySet()) {
            long hit = e.getValue().stream().filter(matching::containsKey).count();
            if (Math.min(hit, most) >= e.getValue().size()) {
                throw new FaultException("node-kill could take down every schedulable node of zone " + e.getKey() + " " + e.getValue()
                        + "; slogate never takes the last node of a zone: narrow the selector, or write type: zone-outage (or force: true) if you mean it");
            }
        }
    }

    private static String zoneOf(Node n) {
        return labels(n).getOrDefault(ZONE_LABEL, "(no zone)");
    }

    /** The largest number the mode can take of {@code candidates}. */
    private static int maxCount(Selector sel, int candidates) {
        return sel.mode() == Selector.Mode.RANDOM_MAX_PERCENT
                ? Math.max(1, Math.min(candidates, (int) Math.floor(candidates * sel.value() / 100.0)))
                : sel.count(candidates, RandomGenerator.getDefault());
    }

    private static void capped(FaultSpec spec, int most, int of, String what) {
        ClusterOptions o = spec.cluster();
        int cap = (int) Math.floor(of * o.maxPercent() / 100.0);
        if (!o.force() && most > cap) {
            throw new FaultException(spec.type() + " with mode " + spec.selector().mode() + " could hit " + most + " of " + of + " " + what
                    + ", above maxPercent " + pct(o.maxPercent()) + " (at most " + cap + ")"
                    + "; narrow the selector or mode, raise maxPercent, or set force: true");
        }
    }

    public static void checkNamespace(KubernetesSettings settings, String ns, ClusterOptions o) {
        if (!settings.allowedNamespaces().contains(ns)) {
            throw new FaultException("namespace '" + ns + "' is not in spec.kubernetes.allowedNamespaces " + settings.allowedNamespaces());
        }
        if ((ns.equals("kube-system") || ns.equals(settings.chaosMeshNamespace())) && !o.force()) {
            throw new FaultException("namespace '" + ns + "' is refused unless the fault has force: true");
        }
    }

    private static Map<String, String> labels(Node n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    /** A selector as messages show it: {namespace: shop, labels: {app=checkout}, mode: one}. */
    public static String describe(Selector s) {
        StringBuilder b = new StringBuilder("{");
        if (s.scope().namespace() != null) {
            b.append("namespace: ").append(s.scope().namespace()).append(", ");
        }
        b.append("labels: ").append(new TreeSetMap(s.labels()));
        if (!s.scope().fields().isEmpty()) {
            b.append(", fields: ").append(new TreeSetMap(s.scope().fields()));
        }
        if (!s.scope().nodes().isEmpty()) {
            b.append(", nodes: ").append(s.scope().nodes());
        }
        if (s.scope().zone() != null) {
            b.append(", zone: ").append(s.scope().zone());
        }
        if (s.scope().region() != null) {
            b.append(", region: ").append(s.scope().region());
        }
        return b.append(", mode: ").append(s.mode()).append(s.value() != 0 ? ", value: " + pct(s.value()).replace("%", "") : "").append("}").toString();
    }

    /** A map printed in key order, as {a=1, b=2}. */
    private record TreeSetMap(Map<String, String> m) {
        @Override
        public String toString() {
            return new TreeMap<>(m).toString();
        }
    }

    /** The pod has each field (a dotted path into its JSON) at the value written. */
    @SuppressWarnings("unchecked")
    public static boolean fieldsMatch(Pod p, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return true;
        }
        Map<String, Object> tree = Serialization.jsonMapper().convertValue(p, Map.class);
        for (var e : fields.entrySet()) {
            Object v = tree;
            for (String part : e.getKey().split("\\.")) {
                v = v instanceof Map<?, ?> m ? m.get(part) : null;
            }
            if (!e.getValue().equals(v == null ? null : String.valueOf(v))) {
                return false;
            }
        }
        return true;
    }

    private static String pct(double v) {
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v)) + "%";
    }
}
