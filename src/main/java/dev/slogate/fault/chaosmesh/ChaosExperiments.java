package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.cluster.RunLabel;
import dev.slogate.experiment.CloudInstance;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.NetworkPeer;
import dev.slogate.experiment.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a fault into a Chaos Mesh object (chaos-mesh.org/v1alpha1): PodChaos (action pod-kill, pod-failure,
 * container-kill), NetworkChaos (delay, loss, partition, bandwidth; direction and target), StressChaos (cpu or memory
 * stressors), a zone partition (NetworkChaos over nodeSelectors), and the cloud node stops (AWSChaos ec2-stop, GCPChaos
 * node-stop, AzureChaos vm-stop). The object lives in the namespace of the pods it hits (a cloud fault's: the namespace
 * of its credentials secret) and carries the run id label for cleanup ({@link RunLabel}). Every value sent satisfies
 * the Chaos Mesh 2.8 CRD schema and webhook; the experiment package's validation refuses inputs that could not.
 */
public final class ChaosExperiments {
    public static final String RUN_ID_LABEL = RunLabel.KEY;
    public static final String FAULT_LABEL = "slogate.io/fault";
    /** tc's bandwidth needs a queue limit and a bucket size; these are Chaos Mesh's documented example values. */
    public static final long BANDWIDTH_LIMIT = 20971520;
    public static final long BANDWIDTH_BUFFER = 10000;

    private ChaosExperiments() {
    }

    public static ObjectNode of(FaultSpec spec, String objectName, String runId, String faultName) {
        if (spec.type().isCloud()) {
            return cloud(spec, objectName, runId, faultName);
        }
        if (spec.options().partition()) {
            throw new IllegalArgumentException("a zone partition needs the live node lists: use zonePartition");
        }
        ChaosMeshFault fault = ChaosMeshFault.of(spec.type());
        ChaosKind kind = fault.chaosKind();
        Selector sel = spec.selector();
        ObjectNode root = object(kind, objectName, sel.scope().namespace(), runId, faultName);
        ObjectNode s = root.putObject("spec");
        fault.action(s, spec);
        mode(s, sel);
        s.set("selector", selector(sel));
        if (kind == ChaosKind.NETWORK_CHAOS) {
            NetworkPeer peer = spec.options().peer() != null ? spec.options().peer() : NetworkPeer.DEFAULT;
            s.put("direction", peer.direction());
            if (peer.target() != null) {
                ObjectNode t = s.putObject("target");
                mode(t, peer.target());
                t.set("selector", selector(peer.target()));
            }
        }
        // pod-kill and container-kill are one-shot; everything else lasts its duration, then Chaos Mesh recovers it.
        if (!fault.oneShot() && !spec.duration().isZero()) {
            s.put("duration", goDuration(spec.duration()));
        }
        return root;
    }

    private static ObjectNode object(ChaosKind kind, String objectName, String namespace, String runId, String faultName) {
        ObjectNode root = ChaosMeshClient.JSON.createObjectNode();
        root.put("apiVersion", ChaosMeshClient.API_VERSION);
        root.put("kind", kind.kind());
        ObjectNode meta = root.putObject("metadata");
        meta.put("name", objectName);
        meta.put("namespace", namespace);
        ObjectNode labels = meta.putObject("labels");
        labels.put(RUN_ID_LABEL, RunLabel.value(runId));
        labels.put(FAULT_LABEL, labelValue(faultName));
        if (RunLabel.changes(runId)) {
            meta.putObject("annotations").put(RunLabel.ANNOTATION, runId);
        }
        return root;
    }

    /**
     * AWSChaos / GCPChaos / AzureChaos: action, secretName, the instance fields named as in the CRD, duration (after
     * which Chaos Mesh starts the machine again). No pod selector: the instance is named explicitly.
     */
    private static ObjectNode cloud(FaultSpec spec, String objectName, String runId, String faultName) {
        CloudInstance c = spec.options().cloud();
        ChaosMeshFault fault = ChaosMeshFault.of(spec.type());
        ObjectNode root = object(fault.chaosKind(), objectName, c.namespace(), runId, faultName);
        ObjectNode s = root.putObject("spec");
        fault.action(s, spec);
        s.put("secretName", c.secretName());
        c.location().forEach(s::put);
        s.put("duration", goDuration(spec.duration()));
        return root;
    }

    /**
     * A zone (or region) outage as a NetworkChaos partition: every pod of {@code namespaces} on the nodes whose
     * topology label is the zone (nodeSelectors, plus the fault's node labels) is cut off in both directions from the
     * pods of the same namespaces on {@code peerNodes} (the nodes of the other zones, looked up live). The object lives
     * in the first of {@code namespaces}.
     */
    public static ObjectNode zonePartition(FaultSpec spec, String objectName, String runId, String faultName, String topologyLabel,
                                           List<String> namespaces, List<String> peerNodes) {
        Selector.Scope scope = spec.selector().scope();
        String value = scope.zone() != null ? scope.zone() : scope.region();
        ObjectNode root = object(ChaosKind.NETWORK_CHAOS, objectName, namespaces.get(0), runId, faultName);
        ObjectNode s = root.putObject("spec");
        s.put("action", "partition");
        s.put("mode", "all");
        ObjectNode sel = s.putObject("selector");
        namespaces.forEach(sel.putArray("namespaces")::add);
        ObjectNode nodeSelectors = sel.putObject("nodeSelectors");
        Map<String, String> nodeLabels = new TreeMap<>(spec.selector().labels());
        nodeLabels.put(topologyLabel, value);
        nodeLabels.forEach(nodeSelectors::put);
        s.put("direction", "both");
        ObjectNode t = s.putObject("target");
        t.put("mode", "all");
        ObjectNode ts = t.putObject("selector");
        namespaces.forEach(ts.putArray("namespaces")::add);
        peerNodes.forEach(ts.putArray("nodes")::add);
        s.put("duration", goDuration(spec.duration()));
        return root;
    }

    private static void mode(ObjectNode s, Selector sel) {
        s.put("mode", sel.mode().id());
        if (sel.mode() != Selector.Mode.ONE && sel.mode() != Selector.Mode.ALL) {
            s.put("value", number(sel.value())); // Chaos Mesh's value is a string
        }
    }

    private static ObjectNode selector(Selector sel) {
        ObjectNode n = ChaosMeshClient.JSON.createObjectNode();
        n.putArray("namespaces").add(sel.scope().namespace());
        if (!sel.labels().isEmpty()) {
            ObjectNode l = n.putObject("labelSelectors");
            new TreeMap<>(sel.labels()).forEach(l::put);
        }
        if (!sel.scope().fields().isEmpty()) {
            ObjectNode f = n.putObject("fieldSelectors");
            new TreeMap<>(sel.scope().fields()).forEach(f::put);
        }
        return n;
    }

    /** Go's duration syntax, as Chaos Mesh parses a spec.duration: 30s, 1m30s, 250ms, 1500us. */
    static String goDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L != 0) {
            return netemDuration(d);
        }
        long s = nanos / 1_000_000_000L;
        return (s >= 3600 ? s / 3600 + "h" : "") + (s % 3600 >= 60 ? (s % 3600) / 60 + "m" : "") + (s % 60 != 0 || s == 0 ? s % 60 + "s" : "");
    }

    /**
     * A delay's latency or jitter: one whole number and one unit (the CRD's pattern {@code ^[0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h)$}
     * refuses 1m30s), in s, ms or us only because the string goes to tc netem as it is, and tc knows no m or h. 90 s is
     * {@code 90s}, 1.5 ms {@code 1500us}. Whole microseconds: validation refuses finer ones.
     */
    public static String netemDuration(Duration d) {
        long us = d.toNanos() / 1000;
        if (us % 1_000_000 == 0) {
            return us / 1_000_000 + "s";
        }
        return us % 1000 == 0 ? us / 1000 + "ms" : us + "us";
    }

    /** A number as Chaos Mesh reads it: 50, 12.5. */
    public static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** A DNS-1123 object name from the fault's name and a short id: lower-case, at most 63 characters. */
    public static String objectName(String faultName, String id) {
        String base = ("slogate-" + faultName).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
        String suffix = "-" + id.replace("-", "").substring(0, 8);
        if (base.length() > 63 - suffix.length()) {
            base = base.substring(0, 63 - suffix.length());
        }
        return base.replaceAll("-$", "") + suffix;
    }

    /** A label value: letters, digits, '-', '_', '.', at most 63, starting and ending alphanumeric. */
    static String labelValue(String v) {
        String s = v.replaceAll("[^A-Za-z0-9._-]", "-");
        s = s.length() > 63 ? s.substring(0, 63) : s;
        return s.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }
}
