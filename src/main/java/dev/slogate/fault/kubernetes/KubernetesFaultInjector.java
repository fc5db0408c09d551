package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.ClusterTargets;
import dev.slogate.cluster.ClusterTargets.Choice;
import dev.slogate.cluster.KubernetesApi;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.fault.FaultBackend;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Faults through the Kubernetes API (fabric8): pod-kill deletes pods with a grace period; node-kill cordons nodes
 * (spec.unschedulable) and deletes their pods, reverted by uncordoning (with podRemoval: evict, pods are evicted
 * instead, so PodDisruptionBudgets hold: {@link PodEvictions}); zone-/region-outage does that to every node
 * with the topology.kubernetes.io label. What a fault may hit, and the safety checks, are {@link ClusterTargets}';
 * the cordons and their cleanup after a crash are {@link Cordons}'; the notes of the recovery on the timeline are
 * {@link RecoveryWatches}' (the pods) and {@link NodeRecovery}'s (the nodes).
 */
public final class KubernetesFaultInjector implements FaultBackend {
    public static final String NAME = "kubernetes";

    private final KubernetesClient client;
    private final ClusterConnection connection;
    private final KubernetesSettings settings;
    private final String runId;
    private final RandomGenerator random;
    private final Consumer<Event> timeline;
    private final RecoveryWatches watches;
    private final NodeRecovery nodeRecovery;
    /** Per fault id, its evictions still being retried (podRemoval: evict). */
    private final Map<String, PodEvictions> evictions = new ConcurrentHashMap<>();
    private ScheduledExecutorService polls;

    public KubernetesFaultInjector(KubernetesClient client, ClusterConnection connection, KubernetesSettings settings,
                                   String runId, RandomGenerator random, Consumer<Event> timeline) {
        this.client = client;
        this.connection = connection;
        this.settings = settings;
        this.runId = runId;
        this.random = random;
        this.timeline = timeline;
        this.watches = new RecoveryWatches(client, timeline);
        this.nodeRecovery = new NodeRecovery(client, timeline, this::polls);
    }

    /** What the fault would hit now: every matching pod ("ns/name") or node ("node/name"), after the safety checks. */
    @Override
    public List<String> plan(FaultSpec spec) {
        return choose(spec).candidates();
    }

    @Override
    public Injection prepare(String name, FaultSpec spec) {
        Choice c = choose(spec);
        KubernetesFault.Takes takes = KubernetesFault.of(spec.type()).takes();
        List<String> chosen = pick(c.candidates(), c.count());
        Map<String, String> revert = new HashMap<>(connection.journalData());
        String id = UUID.randomUUID().toString();
        List<String> toCordon;
        if (takes != KubernetesFault.Takes.PODS) {
            toCordon = chosen.stream().map(KubernetesFaultInjector::nodeName)
                    .filter(n -> !Boolean.TRUE.equals(c.nodes().get(n).getSpec().getUnschedulable())).toList();
            revert.put(Cordons.CORDONED_NODES, String.join(",", toCordon));
        } else {
            toCordon = List.of();
        }
        InjectedFault fault = new InjectedFault(id, runId, name, spec.type(), NAME, chosen, System.currentTimeMillis(), revert);
        return Injection.of(fault, () -> {
            try {
                if (takes == KubernetesFault.Takes.PODS) {
                    watches.watchPods(fault.name(), spec.selector(), c.pods().values());
                    remove(fault, spec, chosen.stream().map(k -> c.pods().get(k)).toList());
                } else {
                    for (String node : toCordon) {
                        Cordons.cordon(client, node, runId, id);
                    }
                    drain(fault, spec, chosen.stream().map(KubernetesFaultInjector::nodeName).toList());
                }
            } catch (KubernetesClientException e) {
                throw new FaultException(spec.type() + " failed on " + connection.describe() + ": " + KubernetesApi.explain(e)
                        + "; what was done is journaled (run `slogate cleanup` if the run does not revert it)", e);
            }
        });
    }

    /** Uncordons what the fault cordoned, then notes when each node it hit is back. */
    @Override
    public void revert(InjectedFault fault) {
        PodEvictions pending = evictions.remove(fault.id());
        if (pending != null) {
            pending.finish(); // the fault is over: pods still refused are noted, no longer retried
        }
        Cordons.revert(client, fault);
        if (fault.type().hitsNodes()) {
            nodeRecovery.nodesBack(fault);
        }
    }

    @Override
    public void close() {
        evictions.values().forEach(PodEvictions::finish);
        evictions.clear();
        watches.close();
        synchronized (this) {
            if (polls != null) {
                polls.shutdownNow();
            }
        }
    }

    private Choice choose(FaultSpec spec) {
        KubernetesFault.Takes takes = KubernetesFault.of(spec.type()).takes();
        try {
            return takes == KubernetesFault.Takes.PODS ? ClusterTargets.pods(client, settings, spec, random)
                    : ClusterTargets.nodes(client, settings, spec, takes == KubernetesFault.Takes.PICKED_NODES, random);
        } catch (KubernetesClientException e) {
            throw new FaultException("cannot read the cluster through " + connection.describe() + ": " + KubernetesApi.explain(e), e);
        }
    }

    /**
     * Removes the pods as the fault says: deleted with its grace period (0 unless written), or evicted through the
     * Eviction API ({@link PodEvictions}: refusals by a PodDisruptionBudget retried every second until the fault's
     * duration runs out).
     */
    private void remove(InjectedFault fault, FaultSpec spec, List<Pod> pods) {
        long grace = spec.options().podRemoval().gracePeriod().toSeconds();
        if (!spec.options().podRemoval().evict()) {
            for (Pod p : pods) {
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).withGracePeriod(grace).delete(); // pods delete
            }
            return;
        }
        long deadline = fault.injectedAtMillis() + (spec.duration() == null ? 0 : spec.duration().toMillis());
        PodEvictions e = new PodEvictions(client, fault.name(), fault.injectedAtMillis(), deadline, grace, timeline);
        PodEvictions old = evictions.put(fault.id(), e);
        if (old != null) {
            old.finish();
        }
        e.start(pods, polls());
    }

    /**
     * Deletes (or evicts, with podRemoval: evict) the pods of the nodes: only those of allowed namespaces (every namespace with force), never DaemonSet pods.
     * Pods are listed per namespace and filtered by spec.nodeName here, so no cluster-wide pod list is needed without force.
     * Before deleting, it watches the evicted pods' owners for their replacements ({@link RecoveryWatches#watchReplacements}).
     */
    private void drain(InjectedFault fault, FaultSpec spec, List<String> nodes) {
        boolean force = spec.cluster().force();
        List<Pod> pods = force ? client.pods().inAnyNamespace().list().getItems() // pods list (all namespaces, force only)
                : settings.allowedNamespaces().stream().filter(ns -> !ns.equals("kube-system"))
                        .flatMap(ns -> client.pods().inNamespace(ns).list().getItems().stream()).toList(); // pods list
        List<Pod> evicted = pods.stream().filter(p -> {
            boolean daemon = p.getMetadata().getOwnerReferences().stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
            boolean onNode = nodes.contains(p.getSpec() == null ? null : p.getSpec().getNodeName());
            return onNode && !daemon && p.getMetadata().getDeletionTimestamp() == null;
        }).toList();
        watches.watchReplacements(fault.name(), evicted, pods);
        remove(fault, spec, evicted);
    }

    /** One thread for the retried evictions and the polls of nodes coming back, made when first needed. */
    private synchronized ScheduledExecutorService polls() {
        if (polls == null) {
            polls = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "slogate-node-ready");
                t.setDaemon(true);
                return t;
            });
        }
        return polls;
    }

    static String nodeName(String target) {
        return target.substring("node/".length());
    }

    /** A uniformly random subset of {@code n} names (partial Fisher-Yates). */
    private List<String> pick(Collection<String> names, int n) {
        List<String> a = new ArrayList<>(names);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(a.size() - i);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        return List.copyOf(new TreeSet<>(a.subList(0, n)));
    }
}
