package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.RunLabel;
import dev.slogate.fault.InjectedFault;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The cordons of node faults: a node slogate cordons carries the run id as a label (so {@link #cleanupRun} finds it
 * after a crash) and the fault's id as an annotation (so a revert never uncordons someone else's cordon).
 */
public final class Cordons {
    /** Annotation on a node slogate cordoned: the id of the fault, so revert never uncordons someone else's cordon. */
    public static final String CORDONED_BY = "slogate.io/cordoned-by";
    /** The journal's list of the nodes a fault cordoned (those already cordoned are not its to undo). */
    static final String CORDONED_NODES = "cordonedNodes";

    private Cordons() {
    }

    static void cordon(KubernetesClient client, String node, String runId, String faultId) {
        client.nodes().withName(node).edit(n -> new NodeBuilder(n) // nodes get + patch
                .editMetadata().addToLabels(RunLabel.KEY, RunLabel.value(runId)).addToAnnotations(CORDONED_BY, faultId).endMetadata()
                .editOrNewSpec().withUnschedulable(true).endSpec().build());
    }

    /** Uncordons the nodes this fault cordoned (a pod kill has nothing to undo: its controller replaces the pods). */
    public static void revert(KubernetesClient client, InjectedFault fault) {
        String nodes = fault.revertData().getOrDefault(CORDONED_NODES, "");
        for (String node : nodes.isEmpty() ? List.<String>of() : List.of(nodes.split(","))) {
            uncordon(client, node, fault.id());
        }
    }

    /** Reverts a journaled fault from another process ({@code slogate cleanup}). */
    public static void revertFromJournal(InjectedFault fault) {
        try (KubernetesClient client = ClusterConnection.fromJournal(fault.revertData()).client()) {
            revert(client, fault);
        }
    }

    /** Uncordons every node labelled with {@code runId}; returns one line per node. Nodes of other runs are left alone. */
    public static List<String> cleanupRun(KubernetesClient client, String runId) {
        List<String> done = new ArrayList<>();
        for (Node n : client.nodes().withLabel(RunLabel.KEY, RunLabel.value(runId)).list().getItems()) { // nodes list
            uncordon(client, n.getMetadata().getName(), null);
            done.add("uncordoned node " + n.getMetadata().getName() + " (run " + runId + ")");
        }
        return done;
    }

    /** Uncordons {@code node} if slogate cordoned it (for {@code faultId}, or for any fault when null); drops the run label. */
    static void uncordon(KubernetesClient client, String node, String faultId) {
        Node n = client.nodes().withName(node).get(); // nodes get
        if (n == null) {
            return; // gone: nothing to undo
        }
        String by = n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(CORDONED_BY);
        boolean ours = by != null && (faultId == null || faultId.equals(by));
        client.nodes().withName(node).edit(x -> { // nodes patch
            NodeBuilder b = new NodeBuilder(x).editMetadata().removeFromLabels(RunLabel.KEY).endMetadata();
            if (ours) {
                b.editMetadata().removeFromAnnotations(CORDONED_BY).endMetadata().editOrNewSpec().withUnschedulable(null).endSpec();
            }
            return b.build();
        });
    }
}
