package dev.slogate.fault.chaosmesh;

import dev.slogate.cluster.ClusterTargets;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a zone (or region) outage by network partition cuts, looked up live: the nodes whose topology label is the
 * zone (and match the fault's node labels), the nodes of every other zone, and the pods of the allowed namespaces on
 * each side. Nothing is touched; an empty side is an error, and the zone's share of the nodes is capped by maxPercent
 * unless forced, like the kill mechanism.
 */
record ZonePartition(String label, String value, List<String> zoneNodes, List<String> peerNodes, List<String> namespaces,
                     List<String> zonePods, List<String> peerPods) {

    static ZonePartition plan(KubernetesClient kube, KubernetesSettings settings, FaultSpec spec) {
        Selector sel = spec.selector();
        String label = sel.scope().zone() != null ? ClusterTargets.ZONE_LABEL : ClusterTargets.REGION_LABEL;
        String value = sel.scope().zone() != null ? sel.scope().zone() : sel.scope().region();
        List<Node> nodes = kube.nodes().list().getItems();
        List<String> zone = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, String> l = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
            if (value.equals(l.get(label)) && sel.matches(l)) {
                zone.add(n.getMetadata().getName());
            } else if (l.containsKey(label) && !value.equals(l.get(label))) {
                peers.add(n.getMetadata().getName());
            }
        }
        String what = spec.type().id() + " " + label + "=" + value + (sel.labels().isEmpty() ? "" : " and node labels " + sel.labels());
        if (zone.isEmpty()) {
            throw new FaultException(what + " matches no node; nodes are " + nodes.stream().map(n -> n.getMetadata().getName() + " "
                    + (n.getMetadata().getLabels() == null ? "" : n.getMetadata().getLabels().getOrDefault(label, "(no " + label + ")"))).toList());
        }
        if (peers.isEmpty()) {
            throw new FaultException(what + ": no node is in another " + label.substring(label.indexOf('/') + 1)
                    + ", so there is nothing to partition it from; use mechanism: kill");
        }
        ClusterOptions o = spec.cluster();
        int cap = (int) Math.floor(nodes.size() * o.maxPercent() / 100.0);
        if (!o.force() && zone.size() > cap) {
            throw new FaultException(what + " would cut off " + zone.size() + " of " + nodes.size() + " nodes, above maxPercent "
                    + pct(o.maxPercent()) + " (at most " + cap + "); raise maxPercent or set force: true");
        }
        List<String> namespaces = settings.allowedNamespaces();
        List<String> zonePods = new ArrayList<>();
        List<String> peerPods = new ArrayList<>();
        for (String ns : namespaces) {
            for (Pod p : kube.pods().inNamespace(ns).list().getItems()) {
                String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
                String id = ns + "/" + p.getMetadata().getName();
                if (zone.contains(node)) {
                    zonePods.add(id);
                } else if (peers.contains(node)) {
                    peerPods.add(id);
                }
            }
        }
        if (zonePods.isEmpty()) {
            throw new FaultException(what + ": no pod of " + namespaces + " runs on its nodes " + zone + ", so a partition would cut nothing");
        }
        return new ZonePartition(label, value, List.copyOf(zone), List.copyOf(peers), namespaces, List.copyOf(zonePods), List.copyOf(peerPods));
    }

    /** For the plan: the pods cut off, then what they are cut off from. */
    List<String> describe() {
        List<String> out = new ArrayList<>(zonePods);
        out.add("partitioned (both directions) from " + peerPods.size() + " pods on nodes " + String.join(", ", peerNodes));
        return out;
    }

    private static String pct(double v) {
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v)) + "%";
    }
}
