package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.RunLabel;
import dev.slogate.cluster.Workloads;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultBackend;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Faults through the Kubernetes API (fabric8): pod-kill deletes pods with a grace period; node-kill cordons nodes
 * (spec.unschedulable) and deletes their pods, reverted by uncordoning (with podRemoval: evict, pods are evicted
 * instead, so PodDisruptionBudgets hold: {@link PodEvictions}); zone-/region-outage does that to every node
 * with the topology.kubernetes.io label. Safety: only allowed namespaces, kube-system and Chaos Mesh's namespace only
 * with force, at most {@code maxPercent} of the matching pods (of the cluster's nodes), never the last schedulable node
 * of a zone unless forced. Every fault is journaled before it is applied; cordoned nodes carry the run id as a label so
 * {@link #cleanupRun} finds them after a crash.
 */
public final class KubernetesFaultInjector implements FaultBackend {
    public static final String NAME = "kubernetes";
    public static final String RUN_ID_LABEL = RunLabel.KEY;
    /** Annotation on a node slogate cordoned: the id of the fault, so revert never uncordons someone else's cordon. */
    public static final String CORDONED_BY = "slogate.io/cordoned-by";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String CORDONED_NODES = "cordonedNodes";

    private final KubernetesClient client;
    private final ClusterConnection connection;
    private final KubernetesSettings settings;
    private final String runId;
    private final RandomGenerator random;
    private final Consumer<Event> timeline;
    private final Map<String, RecoveryWatch> watches = new ConcurrentHashMap<>();
    private final Workloads workloads;
    /** Per fault id, its evictions still being retried (podRemoval: evict). */
    private final Map<String, PodEvictions> evictions = new ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService nodePolls;

    public KubernetesFaultInjector(KubernetesClient client, ClusterConnection connection, KubernetesSettings settings,
                                   String runId, RandomGenerator random, Consumer<Event> timeline) {
        this.client = client;
        this.workloads = new Workloads(client);
        this.connection = connection;
        this.settings = settings;
        this.runId = runId;
        this.random = random;
        this.timeline = timeline;
    }

    /** What the fault would hit now: every matching pod ("ns/name") or node ("node/name"), after the safety checks. */
    @Override
    public List<String> plan(FaultSpec spec) {
        Choice c = choose(spec);
        return c.candidates();
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
            revert.put(CORDONED_NODES, String.join(",", toCordon));
        } else {
            toCordon = List.of();
        }
        InjectedFault fault = new InjectedFault(id, runId, name, spec.type(), NAME, chosen, System.currentTimeMillis(), revert);
        return Injection.of(fault, () -> {
            try {
                if (takes == KubernetesFault.Takes.PODS) {
                    killPods(fault, spec, chosen, c);
                } else {
                    for (String node : toCordon) {
                        cordon(node, id);
                    }
                    List<String> nodes = chosen.stream().map(KubernetesFaultInjector::nodeName).toList();
                    drain(fault, spec, nodes);
                }
            } catch (KubernetesClientException e) {
                throw new FaultException(spec.type() + " failed on " + connection.describe() + ": " + status(e)
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
        revert(client, fault);
        if (fault.type().hitsNodes()) {
            nodesBack(fault);
        }
    }

    /**
     * Server side of a node fault's revert, on the timeline: each node slogate uncordoned, and when each hit node is
     * Ready and schedulable again (at once when it is, else polled with nodes get every second until it is).
     */
    private void nodesBack(InjectedFault fault) {
        String cordoned = fault.revertData().getOrDefault(CORDONED_NODES, "");
        Set<String> uncordoned = cordoned.isEmpty() ? Set.of() : Set.of(cordoned.split(","));
        for (String node : fault.targets().stream().map(KubernetesFaultInjector::nodeName).toList()) {
            if (!nodeBack(fault, node, uncordoned.contains(node), true)) {
                pollNode(fault, node);
            }
        }
    }

    private void pollNode(InjectedFault fault, String node) {
        nodePolls().schedule(() -> {
            if (!nodeBack(fault, node, false, false)) {
                pollNode(fault, node);
            }
        }, 1, java.util.concurrent.TimeUnit.SECONDS);
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

    private synchronized java.util.concurrent.ScheduledExecutorService nodePolls() {
        if (nodePolls == null) {
            nodePolls = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "slogate-node-ready");
                t.setDaemon(true);
                return t;
            });
        }
        return nodePolls;
    }

    private static String nodeReady(Node n) {
        return n.getStatus() == null || n.getStatus().getConditions() == null ? "Unknown" : n.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse("Unknown");
    }

    private void nodeNote(InjectedFault fault, String detail) {
        long now = System.currentTimeMillis();
        timeline.accept(new Event(now, Event.Kind.NOTE, fault.name(),
                detail + String.format(java.util.Locale.ROOT, " (+%.1f s)", (now - fault.injectedAtMillis()) / 1000.0)));
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
        for (Node n : client.nodes().withLabel(RUN_ID_LABEL, RunLabel.value(runId)).list().getItems()) { // nodes list
            uncordon(client, n.getMetadata().getName(), null);
            done.add("uncordoned node " + n.getMetadata().getName() + " (run " + runId + ")");
        }
        return done;
    }

    @Override
    public void close() {
        evictions.values().forEach(PodEvictions::finish);
        evictions.clear();
        watches.values().forEach(RecoveryWatch::close);
        watches.clear();
        synchronized (this) {
            if (nodePolls != null) {
                nodePolls.shutdownNow();
            }
        }
    }

    // ---- choosing targets ----------------------------------------------------------------------------------------

    /** Candidates by name, how many the mode takes, and the nodes seen (node faults). */
    record Choice(List<String> candidates, int count, Map<String, Node> nodes, Map<String, Pod> pods) {
    }

    private Choice choose(FaultSpec spec) {
        KubernetesFault.Takes takes = KubernetesFault.of(spec.type()).takes();
        try {
            return takes == KubernetesFault.Takes.PODS ? podChoice(client, settings, spec, random) : chooseNodes(spec, takes);
        } catch (KubernetesClientException e) {
            throw new FaultException("cannot read the cluster through " + connection.describe() + ": " + status(e), e);
        }
    }

    /**
     * The pods a pod-level fault may hit ("ns/name"), after the namespace and cap checks; Chaos Mesh faults are
     * planned and capped the same way before their experiment is created.
     */
    public static List<String> podTargets(KubernetesClient client, KubernetesSettings settings, FaultSpec spec) {
        try {
            return podChoice(client, settings, spec, RandomGenerator.getDefault()).candidates();
        } catch (KubernetesClientException e) {
            throw new FaultException("cannot list pods: " + status(e), e);
        }
    }

    private static Choice podChoice(KubernetesClient client, KubernetesSettings settings, FaultSpec spec, RandomGenerator random) {
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
    static List<Pod> matchingPods(KubernetesClient client, Selector sel) {
        var op = client.pods().inNamespace(sel.scope().namespace()).withLabels(sel.labels()); // pods list
        if (!sel.scope().fields().isEmpty()) {
            op = op.withFields(sel.scope().fields());
        }
        return op.list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> fieldsMatch(p, sel.scope().fields())) // the API filtered already; a mock may not
                .toList();
    }

    private Choice chooseNodes(FaultSpec spec, KubernetesFault.Takes takes) {
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
        boolean picked = takes == KubernetesFault.Takes.PICKED_NODES;
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

    private static void checkNamespace(KubernetesSettings settings, String ns, ClusterOptions o) {
        if (!settings.allowedNamespaces().contains(ns)) {
            throw new FaultException("namespace '" + ns + "' is not in spec.kubernetes.allowedNamespaces " + settings.allowedNamespaces());
        }
        if ((ns.equals("kube-system") || ns.equals(settings.chaosMeshNamespace())) && !o.force()) {
            throw new FaultException("namespace '" + ns + "' is refused unless the fault has force: true");
        }
    }

    // ---- applying ------------------------------------------------------------------------------------------------

    private void killPods(InjectedFault fault, FaultSpec spec, List<String> chosen, Choice c) {
        String name = fault.name();
        Selector sel = spec.selector();
        String ns = sel.scope().namespace();
        Set<String> knownUids = c.pods().values().stream().map(p -> p.getMetadata().getUid()).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        long ready = c.pods().values().stream().filter(RecoveryWatch::isReady).count();
        RecoveryWatch old = watches.remove(name);
        if (old != null) {
            old.close();
        }
        watches.put(name, RecoveryWatch.start(client, workloads, name, sel, knownUids, (int) ready, System.currentTimeMillis(), timeline));
        remove(fault, spec, chosen.stream().map(k -> c.pods().get(k)).toList());
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
        e.start(pods, nodePolls());
    }

    private void cordon(String node, String faultId) {
        client.nodes().withName(node).edit(n -> new NodeBuilder(n) // nodes get + patch
                .editMetadata().addToLabels(RUN_ID_LABEL, RunLabel.value(runId)).addToAnnotations(CORDONED_BY, faultId).endMetadata()
                .editOrNewSpec().withUnschedulable(true).endSpec().build());
    }

    /**
     * Deletes (or evicts, with podRemoval: evict) the pods of the nodes: only those of allowed namespaces (every namespace with force), never DaemonSet pods.
     * Pods are listed per namespace and filtered by spec.nodeName here, so no cluster-wide pod list is needed without force.
     * Before deleting, it watches the evicted pods' owners for their replacements ({@link #watchReplacements}).
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
        watchReplacements(fault.name(), evicted, pods);
        remove(fault, spec, evicted);
    }

    /**
     * Server-side recovery of a node fault: per workload of evicted pods, a {@link RecoveryWatch} over that workload's
     * pods, found through the labels its evicted pods share, and named by their workload ({@link Workloads}). A
     * ReplicaSet of a Deployment stands for the whole Deployment: its pods under any of its ReplicaSets count (the
     * pod-template-hash label, which differs between them, is left out), so a rollout during the fault is followed.
     * Any other owner (a StatefulSet, a bare ReplicaSet) is followed through its own UID. Ready before = the workload's
     * Ready pods on every node before the kill. A pod without an owner is only noted: nothing will replace it.
     */
    private void watchReplacements(String fault, List<Pod> evicted, List<Pod> all) {
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

    private static io.fabric8.kubernetes.api.model.OwnerReference controller(Pod p) {
        return Workloads.controller(p);
    }

    private static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
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
            NodeBuilder b = new NodeBuilder(x).editMetadata().removeFromLabels(RUN_ID_LABEL).endMetadata();
            if (ours) {
                b.editMetadata().removeFromAnnotations(CORDONED_BY).endMetadata().editOrNewSpec().withUnschedulable(null).endSpec();
            }
            return b.build();
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static String nodeName(String target) {
        return target.substring("node/".length());
    }

    private static Map<String, String> labels(Node n) {
        return n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    }

    static String describe(Selector s) {
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
            return new java.util.TreeMap<>(m).toString();
        }
    }

    @SuppressWarnings("unchecked")
    static boolean fieldsMatch(Pod p, Map<String, String> fields) {
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

    private static String status(KubernetesClientException e) {
        return e.getCode() == 403 ? "forbidden (403): the service account lacks a permission; apply k8s/rbac.yaml"
                : e.getCode() == 401 ? "unauthorized (401): the kubeconfig's credentials were rejected"
                : e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getStatus().getMessage() : e.getMessage();
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
