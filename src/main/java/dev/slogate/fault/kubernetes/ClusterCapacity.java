package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.SloDef;
import dev.slogate.fault.FaultException;
import dev.slogate.slo.CapacityHistory;
import dev.slogate.slo.CapacitySample;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replica watches of a run's scaling objectives with {@code capacity: {from: kubernetes-api}}: one
 * {@link WorkloadReplicas} per workload, started before the load and read when the objectives are judged.
 */
public final class ClusterCapacity implements AutoCloseable {
    private final KubernetesClient client;
    private final Map<SloDef.Workload, WorkloadReplicas> watches;

    private ClusterCapacity(KubernetesClient client, Map<SloDef.Workload, WorkloadReplicas> watches) {
        this.client = client;
        this.watches = watches;
    }

    /** The workloads the scenario's scaling objectives read from the API server. */
    public static List<SloDef.Workload> workloads(Scenario s) {
        return s.slos().stream().flatMap(slo -> slo.kind().workloads(slo).stream()).distinct().toList();
    }

    /**
     * Connects and starts watching every workload; throws naming a workload (or HPA) that does not exist, so the run
     * stops before its load with exit 2.
     */
    public static ClusterCapacity start(KubernetesSettings settings, List<SloDef.Workload> workloads) {
        KubernetesClient client = connect(settings);
        Map<SloDef.Workload, WorkloadReplicas> watches = new LinkedHashMap<>();
        try {
            for (SloDef.Workload w : workloads) {
                watches.put(w, WorkloadReplicas.start(client, w));
            }
        } catch (RuntimeException e) {
            watches.values().forEach(WorkloadReplicas::close);
            client.close();
            throw e;
        }
        return new ClusterCapacity(client, watches);
    }

    /** A live, read-only look at each workload for {@code slogate plan}: one line each, or the problem. */
    public static List<String> plan(KubernetesSettings settings, List<SloDef.Workload> workloads) {
        List<String> out = new ArrayList<>();
        try (KubernetesClient client = connect(settings)) {
            for (SloDef.Workload w : workloads) {
                String hpa = WorkloadReplicas.check(client, w);
                out.add(w.describe() + ": exists" + (hpa == null ? ", no HPA (desired = spec.replicas)" : ", desired from hpa " + hpa));
            }
        }
        return out;
    }

    private static KubernetesClient connect(KubernetesSettings settings) {
        ClusterConnection connection = ClusterConnection.of(settings);
        try {
            return connection.client();
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new FaultException("cannot connect to the cluster through " + connection.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Each objective's replicas from its workload's watch; objectives without one read {@code otherwise}. */
    public CapacityHistory history(CapacityHistory otherwise) {
        Map<SloDef.Workload, CapacityHistory> seen = new LinkedHashMap<>();
        watches.forEach((w, r) -> seen.put(w, r.history()));
        return (objective, from, to) -> objective != null && objective.workload() != null && seen.containsKey(objective.workload())
                ? seen.get(objective.workload()).read(objective, from, to) : otherwise.read(objective, from, to);
    }

    /** One note per workload: how often its replicas changed during [from, to] and where they ended. */
    public List<String> notes(long from, long to) {
        List<String> out = new ArrayList<>();
        watches.forEach((w, r) -> {
            List<CapacitySample> s = r.samples();
            long changes = s.stream().filter(x -> x.atMillis() >= from && x.atMillis() <= to).count();
            CapacitySample last = s.isEmpty() ? null : s.get(s.size() - 1);
            out.add("Kubernetes API " + w.kind() + "/" + w.name() + ": " + changes + " replica changes during the run"
                    + (last == null ? "" : "; last: " + last.desired() + " desired, " + last.ready() + " ready"));
        });
        return out;
    }

    @Override
    public void close() {
        watches.values().forEach(WorkloadReplicas::close);
        client.close();
    }
}
