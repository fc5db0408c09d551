package dev.slogate.fault.backends;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.RunLabel;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.chaosmesh.ChaosExperiments;
import dev.slogate.fault.chaosmesh.ChaosMeshFaultInjector;
import dev.slogate.fault.chaosmesh.ChaosTransport;
import dev.slogate.fault.kubernetes.Cordons;
import dev.slogate.fault.kubernetes.KubernetesFaultInjector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slogate cleanup} for cluster faults of a crashed run: reverts the journaled fault, then sweeps by the run's
 * label (nodes it cordoned, Chaos Mesh experiments it created in the fault's namespace), so nothing of that run is
 * left even if the journal missed a step. Objects of other runs or of nobody are not touched.
 */
public final class ClusterCleanup {
    private ClusterCleanup() {
    }

    public static boolean handles(InjectedFault f) {
        return f.injector().equals(KubernetesFaultInjector.NAME) || f.injector().equals(ChaosMeshFaultInjector.NAME);
    }

    /** Returns one line per thing done. */
    public static List<String> revert(InjectedFault f) {
        List<String> done = new ArrayList<>();
        ClusterConnection connection = ClusterConnection.fromJournal(f.revertData());
        try (KubernetesClient client = connection.client()) {
            return revert(client, f, done);
        } catch (KubernetesClientException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new FaultException("cannot reach the cluster through " + connection.describe() + ": " + root.getMessage(), e);
        }
    }

    private static List<String> revert(KubernetesClient client, InjectedFault f, List<String> done) {
        if (f.injector().equals(KubernetesFaultInjector.NAME)) {
            Cordons.revert(client, f);
        } else {
            ChaosMeshFaultInjector.revertFromJournal(f);
        }
        done.add("reverted " + f.type() + " '" + f.name() + "' of run " + f.runId() + " on " + f.targets());
        done.addAll(Cordons.cleanupRun(client, f.runId()));
        String ns = f.revertData().get("chaosNamespace");
        if (ns != null) {
            ChaosTransport chaos = ChaosMeshFaultInjector.transportFromJournal(f.revertData());
            chaos.deleteLabelled(ns, ChaosExperiments.RUN_ID_LABEL, RunLabel.value(f.runId())).forEach(o -> done.add("deleted " + o + " (run " + f.runId() + ")"));
        }
        return done;
    }
}
