package dev.slogate.fault.kubernetes;

import dev.slogate.experiment.Selector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Server-side recovery after a pod kill: watches the pods of the fault's selector and puts on the run's timeline when
 * each replacement pod is scheduled, started and Ready, then when the workload is back to as many Ready pods as it had
 * before the kill. A replacement is any pod whose UID was not there at the kill, so a StatefulSet pod that comes back
 * under its old name counts.
 */
final class RecoveryWatch implements Watcher<Pod>, AutoCloseable {
    private final KubernetesClient client;
    private final String fault;
    private final Selector selector;
    private final Set<String> knownUids;
    private final int readyBefore;
    private final long injectedAt;
    private final Consumer<Event> timeline;
    /** Per replacement UID, the steps already reported: scheduled, started, ready. */
    private final Map<String, Set<String>> reported = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean recovered;

    private RecoveryWatch(KubernetesClient client, String fault, Selector selector, Set<String> knownUids, int readyBefore, long injectedAt,
                          Consumer<Event> timeline) {
        this.client = client;
        this.fault = fault;
        this.selector = selector;
        this.knownUids = Set.copyOf(knownUids);
        this.readyBefore = readyBefore;
        this.injectedAt = injectedAt;
        this.timeline = timeline;
    }

    static RecoveryWatch start(KubernetesClient client, String fault, Selector selector, Set<String> knownUids, int readyBefore, long injectedAt,
                               Consumer<Event> timeline) {
        RecoveryWatch w = new RecoveryWatch(client, fault, selector, knownUids, readyBefore, injectedAt, timeline);
        w.watch = client.pods().inNamespace(selector.scope().namespace()).withLabels(selector.labels()).watch(w); // pods watch
        if (w.recovered) {
            w.close(); // recovered before the watch handle was assigned
        }
        return w;
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (recovered || uid == null || knownUids.contains(uid) || action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Set<String> steps = reported.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet());
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
            int ready = (int) KubernetesFaultInjector.matchingPods(client, selector).stream().filter(RecoveryWatch::isReady).count();
            if (ready >= readyBefore && !recovered) {
                recovered = true;
                // A NOTE, not RECOVERED: the reports read RECOVERED as the client-side recovery of the fault.
                note(Event.Kind.NOTE, "server side: " + ready + " of " + readyBefore + " pods " + KubernetesFaultInjector.describe(selector)
                        + " Ready again");
                close();
            }
        }
    }

    private void note(Event.Kind kind, String detail) {
        long now = System.currentTimeMillis();
        timeline.accept(new Event(now, kind, fault, detail + String.format(java.util.Locale.ROOT, " (+%.1f s)", (now - injectedAt) / 1000.0)));
    }

    private static String owner(Pod pod) {
        return pod.getMetadata().getOwnerReferences().stream().findFirst()
                .map((OwnerReference o) -> " (" + o.getKind() + " " + o.getName() + ")").orElse("");
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
