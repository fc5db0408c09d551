package dev.slogate.fault.backends;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Scenario;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.FaultRouter;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.fault.chaosmesh.ChaosDashboardTransport;
import dev.slogate.fault.chaosmesh.ChaosMeshClient;
import dev.slogate.fault.chaosmesh.ChaosMeshFaultInjector;
import dev.slogate.fault.chaosmesh.ChaosTransport;
import dev.slogate.fault.kubernetes.KubernetesFaultInjector;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The cluster side of a run: one fabric8 client, the Kubernetes injector and the Chaos Mesh injector (same endpoint and
 * credentials), registered on a {@link FaultRouter}. Closing it stops the recovery watches and the client.
 */
public final class ClusterBackends implements AutoCloseable {
    /** How long Chaos Mesh gets to report an injection or a recovery. */
    static final Duration CHAOS_MESH_CONFIRM = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final JournaledInjector kubernetes;
    private final JournaledInjector chaosMesh;

    private ClusterBackends(KubernetesClient client, JournaledInjector kubernetes, JournaledInjector chaosMesh) {
        this.client = client;
        this.kubernetes = kubernetes;
        this.chaosMesh = chaosMesh;
    }

    /** Whether the scenario has a fault for the cluster. */
    public static boolean needed(Scenario s) {
        return s.kubernetes() != null && s.faults().stream().anyMatch(f -> f.fault().backendOrLocal().onCluster());
    }

    /** Connects to the cluster of {@code settings}; fails with a message that names the kubeconfig, never its contents. */
    public static ClusterBackends connect(KubernetesSettings settings, Journal journal, String runId, Consumer<Event> timeline) {
        ClusterConnection connection = ClusterConnection.of(settings);
        KubernetesClient client;
        try {
            client = connection.client();
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new FaultException("cannot connect to the cluster through " + connection.describe() + ": " + e.getMessage(), e);
        }
        KubernetesSettings.ChaosMesh cm = settings.chaosMesh();
        ChaosTransport chaos = cm != null && cm.dashboardUrl() != null
                ? ChaosDashboardTransport.connect(cm.dashboardUrl(), cm.tokenEnv(), System::getenv)
                : ChaosMeshClient.fromConfig(client.getConfiguration());
        return new ClusterBackends(client,
                new JournaledInjector(new KubernetesFaultInjector(client, connection, settings, runId, new Random(), timeline), journal),
                new JournaledInjector(new ChaosMeshFaultInjector(chaos, client, connection, settings, runId, CHAOS_MESH_CONFIRM, timeline), journal));
    }

    public FaultRouter addTo(FaultRouter router) {
        return router.add(Backend.KUBERNETES, KubernetesFaultInjector.NAME, kubernetes).add(Backend.CHAOS_MESH, ChaosMeshFaultInjector.NAME, chaosMesh);
    }

    @Override
    public void close() {
        kubernetes.close();
        client.close();
    }
}
