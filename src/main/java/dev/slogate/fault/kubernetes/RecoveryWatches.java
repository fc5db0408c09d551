package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.Workloads;
import dev.slogate.experiment.Selector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Server-side recovery of the faults of one injector: a {@link RecoveryWatch} per pod fault over its selector, and per
 * workload of a node fault's drained pods; each watch notes on the timeline when the replacements are scheduled,
 * started and Ready. A fault injected again replaces its watches.
 */
final class RecoveryWatches implements AutoCloseable {
    private final KubernetesClient client;
    private final Workloads workloads;
    private final Consumer<Event> timeline;
    private final Map<String, RecoveryWatch> watches = new ConcurrentHashMap<>();

    RecoveryWatches(KubernetesClient client, Consumer<Event> timeline) {
        this.client = client;
        this.workloads = new Workloads(client);
        this.timeline = timeline;
    }

    /** Watches the pods of {@code sel} after a pod fault kills some of {@code pods} (the matching pods it saw). */
    void watchPods(String fault, Selector sel, Collection<Pod> pods) {
        Set<String> knownUids = pods.stream().map(p -> p.getMetadata().getUid()).filter(Objects::nonNull).collect(Collectors.toSet());
        long ready = pods.stream().filter(RecoveryWatch::isReady).count();
        RecoveryWatch old = watches.remove(fault);
        if (old != null) {
            old.close();
        }
        watches.put(fault, RecoveryWatch.start(client, workloads, fault, sel, knownUids, (int) ready, System.currentTimeMillis(), timeline));
    }

    /**
     * Server-side recovery of a node fault: per workload of evicted pods, a {@link RecoveryWatch} over that workload's
     * pods, found through the labels its evicted pods share, and named by their workload ({@link Workloads}). A
     * ReplicaSet of a Deployment stands for the whole Deployment: its pods under any of its ReplicaSets count (the
     * pod-template-hash label, which differs between them, is left out), so a rollout during the fault is followed.
     * Any other owner (a StatefulSet, a bare ReplicaSet) is followed through its own UID. Ready before = the workload's
     * Ready pods on every node before the kill. A pod without an owner is only noted: nothing will replace it.
     */
    void watchReplacements(String fault, List<Pod> evicted, List<Pod> all) {
        long now = System.currentTimeMillis();
        watches.keySet().stream().filter(k -> k.startsWith(fault + "#")).toList().forEach(k -> watches.remove(k).close());
        Map<String, List<Pod>> byWorkload = new LinkedHashMap<>();
        for (Pod p : evicted) {
            var owner = controller(p);
            if (owner == null) {
                timeline.accept(new Event(now, Event.Kind.NOTE, fault, "pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                        + " has no owner: nothing will replace it"));
            } else {
                String ns = p.getMetadata().getNamespace();
                byWorkload.computeIfAbsent(deploymentOf(p) != null ? ns + "/Deployment/" + deploymentOf(p).name() : ns + "/" + owner.getUid(),
                        k -> new ArrayList<>()).add(p);
            }
        }
        byWorkload.forEach((key, pods) -> {
            String ns = pods.get(0).getMetadata().getNamespace();
            var owner = controller(pods.get(0));
            Map<String, String> shared = new HashMap<>(labels(pods.get(0)));
            pods.forEach(p -> shared.entrySet().retainAll(labels(p).entrySet()));
            Workloads.Workload workload = workloads.of(pods.get(0));
            String description = "of " + workload.kind() + " " + ns + "/" + workload.name();
            Workloads.Workload deployment = deploymentOf(pods.get(0));
            RecoveryWatch.Members members;
            if (deployment != null) {
                shared.remove(POD_TEMPLATE_HASH);
                members = RecoveryWatch.Members.ofDeployment(ns, shared, workloads, deployment, description);
            } else {
                members = RecoveryWatch.Members.ownedBy(ns, shared, owner.getUid(), description);
            }
            List<Pod> before = all.stream().filter(p -> ns.equals(p.getMetadata().getNamespace()) && members.member().test(p)
                    && p.getMetadata().getDeletionTimestamp() == null).toList();
            Set<String> known = before.stream().map(p -> p.getMetadata().getUid()).filter(Objects::nonNull).collect(Collectors.toSet());
            int ready = (int) before.stream().filter(RecoveryWatch::isReady).count();
            watches.put(fault + "#" + key, RecoveryWatch.start(client, workloads, fault, members, known, ready, now, timeline));
        });
    }

    /** The label the Deployment controller gives each ReplicaSet's pods: differs between the ReplicaSets of a rollout. */
    private static final String POD_TEMPLATE_HASH = "pod-template-hash";

    /** The Deployment of a pod owned by its ReplicaSet, else null. */
    private Workloads.Workload deploymentOf(Pod p) {
        var owner = controller(p);
        Workloads.Workload w = owner == null || !"ReplicaSet".equals(owner.getKind()) ? null : workloads.of(p);
        return w != null && "Deployment".equals(w.kind()) ? w : null;
    }

    private static OwnerReference controller(Pod p) {
        return Workloads.controller(p);
    }

    private static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }


    @Override
    public void close() {
        watches.values().forEach(RecoveryWatch::close);
        watches.clear();
    }
}
