package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterTargets;
import dev.slogate.cluster.Workloads;
import dev.slogate.experiment.Selector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Server-side recovery after a pod kill or a node kill: watches a set of pods (the fault's selector, or the pods of one
 * owner whose pods a node fault evicted) and puts on the run's timeline when each replacement pod is scheduled, started
 * and Ready, then when the set is back to as many Ready pods as it had before the kill. A replacement is any member pod
 * whose UID was not there at the kill, so a StatefulSet pod that comes back under its old name counts. The pods of a
 * Deployment are followed across its ReplicaSets ({@link Members#ofDeployment}), so a rollout during the fault counts.
 */
final class RecoveryWatch implements Watcher<Pod>, AutoCloseable {
    /**
     * The pods watched: those in {@code namespace} with {@code labels} (and {@code fields}) for which {@code member}
     * holds; {@code description} names them in the "Ready again" note.
     */
    record Members(String namespace, Map<String, String> labels, Map<String, String> fields, Predicate<Pod> member, String description) {
        static Members of(Selector s) {
            return new Members(s.scope().namespace(), s.labels(), s.scope().fields(), p -> true, ClusterTargets.describe(s));
        }

        /** The pods controlled by the owner with {@code ownerUid}, found through the labels they share. */
        static Members ownedBy(String namespace, Map<String, String> labels, String ownerUid, String description) {
            return new Members(namespace, labels, Map.of(),
                    p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> ownerUid.equals(o.getUid())), description);
        }

        /**
         * The pods of {@code deployment}, whichever of its ReplicaSets owns them (each pod's ReplicaSet resolved through
         * {@code workloads}, once per ReplicaSet), so replacements a rollout creates under a new ReplicaSet count.
         */
        static Members ofDeployment(String namespace, Map<String, String> labels, Workloads workloads, Workloads.Workload deployment,
                                    String description) {
            return new Members(namespace, labels, Map.of(), p -> deployment.equals(workloads.of(p)), description);
        }

        List<Pod> list(KubernetesClient client) {
            var op = client.pods().inNamespace(namespace).withLabels(labels); // pods list
            if (!fields.isEmpty()) {
                op = op.withFields(fields);
            }
            return op.list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> ClusterTargets.fieldsMatch(p, fields)) // the API filtered already; a mock may not
                    .filter(member).toList();
        }
    }

    private final KubernetesClient client;
    private final Workloads workloads;
    private final String fault;
    private final Members selector;
    private final Set<String> knownUids;
    private final int readyBefore;
    private final long injectedAt;
    private final Consumer<Event> timeline;
    /** Per replacement UID, the steps already reported: scheduled, started, ready. */
    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean recovered;

    private RecoveryWatch(KubernetesClient client, Workloads workloads, String fault, Members selector, Set<String> knownUids, int readyBefore, long injectedAt,
                          Consumer<Event> timeline) {
        this.client = client;
        this.workloads = workloads;
        this.fault = fault;
        this.selector = selector;
        this.knownUids = Set.copyOf(knownUids);
        this.readyBefore = readyBefore;
        this.injectedAt = injectedAt;
        this.timeline = timeline;
    }

    static RecoveryWatch start(KubernetesClient client, Workloads workloads, String fault, Selector selector, Set<String> knownUids, int readyBefore,
                               long injectedAt, Consumer<Event> timeline) {
        return start(client, workloads, fault, Members.of(selector), knownUids, readyBefore, injectedAt, timeline);
    }

    static RecoveryWatch start(KubernetesClient client, Workloads workloads, String fault, Members members, Set<String> knownUids, int readyBefore,
                               long injectedAt, Consumer<Event> timeline) {
        RecoveryWatch w = new RecoveryWatch(client, workloads, fault, members, knownUids, readyBefore, injectedAt, timeline);
        w.watch = client.pods().inNamespace(members.namespace()).withLabels(members.labels()).watch(w); // pods watch
        if (w.recovered) {
            w.close(); // recovered before the watch handle was assigned
        }
        return w;
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        if (recovered || action == Action.DELETED || !isReplacement(pod)) {
            return;
        }
        if (reportSteps(pod)) {
            List<Pod> members = selector.list(client);
            // a replacement that turned Ready before this list was taken gets no event of its own once the watch closes
            members.stream().filter(this::isReplacement).forEach(this::reportSteps);
            int ready = (int) members.stream().filter(RecoveryWatch::isReady).count();
            if (ready >= readyBefore && !recovered) {
                recovered = true;
                // A NOTE, not RECOVERED: the reports read RECOVERED as the client-side recovery of the fault.
                note(Event.Kind.NOTE, "server side: " + ready + " of " + readyBefore + " pods " + selector.description() + " Ready again");
                close();
            }
        }
    }

    /** A member pod that was not there before the fault and is not going away. */
    private boolean isReplacement(Pod pod) {
        String uid = pod.getMetadata().getUid();
        return uid != null && !knownUids.contains(uid) && pod.getMetadata().getDeletionTimestamp() == null && selector.member().test(pod);
    }

    /** Notes each step of a replacement the first time it is seen; true when it has just been seen Ready. */
    private boolean reportSteps(Pod pod) {
        Set<String> steps = reported.computeIfAbsent(pod.getMetadata().getUid(), u -> ConcurrentHashMap.newKeySet());
        String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + owner(pod);
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && steps.add("scheduled")) {
            note(Event.Kind.NOTE, "replacement " + name + " scheduled on node " + node);
        }
        if (started(pod) && steps.add("started")) {
            note(Event.Kind.NOTE, "replacement " + name + " started");
        }
        if (isReady(pod) && steps.add("ready")) {
            note(Event.Kind.NOTE, "replacement " + name + " Ready");
            return true;
        }
        return false;
    }

    private void note(Event.Kind kind, String detail) {
        long now = System.currentTimeMillis();
        timeline.accept(new Event(now, kind, fault, detail + String.format(Locale.ROOT, " (+%.1f s)", (now - injectedAt) / 1000.0)));
    }

    /** " (Deployment checkout)": the pod's workload, a ReplicaSet named by its Deployment. */
    private String owner(Pod pod) {
        Workloads.Workload w = workloads.of(pod);
        return w == null ? "" : " (" + w + ")";
    }

    private static boolean started(Pod pod) {
        var statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses != null && !statuses.isEmpty()
                && statuses.stream().allMatch((ContainerStatus c) -> Boolean.TRUE.equals(c.getStarted()) || c.getState() != null && c.getState().getRunning() != null);
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void onClose(WatcherException cause) {
        // the run ended or the API server closed the watch; recovery seen so far stays on the timeline
    }

    @Override
    public void close() {
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
