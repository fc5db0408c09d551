package dev.slogate.fault.kubernetes;

import dev.slogate.fault.InjectedFault;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Server side of a node fault's revert, on the timeline: each node slogate uncordoned, and when each hit node is Ready
 * and schedulable again (at once when it is, else polled with nodes get every second until it is).
 */
final class NodeRecovery {
    private final KubernetesClient client;
    private final Consumer<Event> timeline;
    private final Supplier<ScheduledExecutorService> polls;

    NodeRecovery(KubernetesClient client, Consumer<Event> timeline, Supplier<ScheduledExecutorService> polls) {
        this.client = client;
        this.timeline = timeline;
        this.polls = polls;
    }

    void nodesBack(InjectedFault fault) {
        String cordoned = fault.revertData().getOrDefault(Cordons.CORDONED_NODES, "");
        Set<String> uncordoned = cordoned.isEmpty() ? Set.of() : Set.of(cordoned.split(","));
        for (String node : fault.targets().stream().map(KubernetesFaultInjector::nodeName).toList()) {
            if (!nodeBack(fault, node, uncordoned.contains(node), true)) {
                pollNode(fault, node);
            }
        }
    }

    private void pollNode(InjectedFault fault, String node) {
        polls.get().schedule(() -> {
            if (!nodeBack(fault, node, false, false)) {
                pollNode(fault, node);
            }
        }, 1, TimeUnit.SECONDS);
    }

    /** Reads the node and notes it; whether there is nothing more to wait for (Ready and schedulable, or gone). */
    private boolean nodeBack(InjectedFault fault, String node, boolean uncordoned, boolean first) {
        Node n;
        try {
            n = client.nodes().withName(node).get(); // nodes get
        } catch (KubernetesClientException e) {
            return false; // the next poll asks again
        }
        String ready = n == null ? "gone" : nodeReady(n);
        boolean schedulable = n != null && !Boolean.TRUE.equals(n.getSpec() == null ? null : n.getSpec().getUnschedulable());
        boolean back = "True".equals(ready) && schedulable;
        if (first) {
            nodeNote(fault, "node " + node + (uncordoned ? " uncordoned" : " reverted (slogate had not cordoned it)")
                    + (back ? ": Ready and schedulable again" : ": not back yet (Ready=" + ready + (schedulable ? "" : ", still cordoned") + ")"));
        } else if (back) {
            nodeNote(fault, "node " + node + " Ready and schedulable again");
        }
        return back || n == null;
    }

    private static String nodeReady(Node n) {
        return n.getStatus() == null || n.getStatus().getConditions() == null ? "Unknown" : n.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse("Unknown");
    }

    private void nodeNote(InjectedFault fault, String detail) {
        long now = System.currentTimeMillis();
        timeline.accept(new Event(now, Event.Kind.NOTE, fault.name(),
                detail + String.format(Locale.ROOT, " (+%.1f s)", (now - fault.injectedAtMillis()) / 1000.0)));
    }
}
