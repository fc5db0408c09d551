package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cleanup.Cleanup;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.fault.chaosmesh.ChaosExperiments;
import dev.slogate.fault.chaosmesh.ChaosMeshClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slogate cleanup} after a harness died mid-fault: it reconnects from the journal alone and undoes that run only. */
@EnableKubernetesMockClient(crud = true)
class ClusterCleanupTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void cleanupUncordonsTheCrashedRunsNodesAndDeletesItsChaosMeshObjectsOnly() throws Exception {
        MockCluster.populate(client);
        Path kubeconfig = dir.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, null);
        Path journalDir = dir.resolve("journal");
        KubernetesSettings settings = new KubernetesSettings(kubeconfig, false, null, List.of("shop"), null);
        ClusterConnection connection = ClusterConnection.of(settings);
        // the crashed run: a cordoned node, journaled as injecting and never reverted
        JournaledInjector crashed = new JournaledInjector(new KubernetesFaultInjector(client, connection, settings, "crashed",
                new Random(1), e -> { }), new Journal(journalDir, "crashed"));
        crashed.inject("n", new FaultSpec("n", FaultType.NODE_KILL, new Selector(Map.of(), Selector.Mode.ONE, 0,
                new Selector.Scope(null, Map.of(), List.of("n1"), null, null, null)), Duration.ofSeconds(30), null, null, ClusterOptions.DEFAULTS));
        // a Chaos Mesh experiment of the crashed run, and one of another run, in the same namespace
        ChaosMeshClient chaos = ChaosMeshClient.fromConfig(client.getConfiguration());
        FaultSpec failure = new FaultSpec("p", FaultType.POD_FAILURE, new Selector(Map.of("app", "checkout"), Selector.Mode.ONE, 0,
                new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(30), null, null, ClusterOptions.DEFAULTS);
        chaos.create(ChaosExperiments.of(failure, "slogate-p-aaaaaaaa", "crashed", "p"));
        chaos.create(ChaosExperiments.of(failure, "slogate-p-bbbbbbbb", "other-run", "p"));
        new Journal(journalDir, "crashed").recordInjecting(new InjectedFault("cm-1", "crashed", "p", FaultType.POD_FAILURE, "chaos-mesh",
                List.of("shop/checkout-1"), System.currentTimeMillis(), Map.of("kubeconfig", kubeconfig.toString(), "inCluster", "false",
                "chaosKind", "PodChaos", "chaosNamespace", "shop", "chaosObject", "slogate-p-aaaaaaaa")));
        assertEquals(Boolean.TRUE, client.nodes().withName("n1").get().getSpec().getUnschedulable());

        // the "crashed" run is this JVM, alive: only --force reverts the faults of a live run
        List<String> done = Cleanup.run(journalDir, dir.resolve("no-sandbox"), true);

        assertTrue(done.contains("reverted node-kill 'n' of run crashed on [node/n1]"), done.toString());
        assertNull(client.nodes().withName("n1").get().getSpec().getUnschedulable(), "uncordoned");
        assertEquals(List.of(), chaos.list("shop", ChaosExperiments.RUN_ID_LABEL, "crashed"), "the crashed run's experiment is gone");
        assertEquals(List.of("PodChaos shop/slogate-p-bbbbbbbb"), chaos.list("shop", ChaosExperiments.RUN_ID_LABEL, "other-run"),
                "another run's experiment stays");
        assertEquals(List.of(), Journal.unreverted(journalDir), "both journaled as reverted: " + done);
        assertTrue(done.stream().noneMatch(l -> l.contains("not-a-real-token")));
    }
}
