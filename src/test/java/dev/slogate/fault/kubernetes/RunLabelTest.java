package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cleanup.Cleanup;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.RunLabel;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesNames;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.fault.chaosmesh.ChaosExperiments;
import dev.slogate.fault.chaosmesh.ChaosMeshClient;
import dev.slogate.run.ExperimentRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-id label is a valid label value for every run id, and cleanup selects by the same derivation. */
@EnableKubernetesMockClient(crud = true)
class RunLabelTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void aRunIdThatIsALabelValueIsUsedAsItIs() {
        String r63 = "r".repeat(63);
        assertEquals(r63, RunLabel.value(r63), "63 characters: unchanged");
        assertEquals("20260101-120000-checkout", RunLabel.value("20260101-120000-checkout"));
        assertFalse(RunLabel.changes("release-42"));
    }

    @Test
    void anyOtherRunIdIsCleanedCutAndHashedIntoAValidLabelValue() {
        String r64 = "r".repeat(64);
        String v = RunLabel.value(r64);
        assertTrue(KubernetesNames.isLabelValue(v) && v.length() == 63, v);
        assertTrue(v.matches("r{54}-[0-9a-f]{8}"), v);
        assertEquals(v, RunLabel.value(r64), "deterministic: cleanup derives the same value");
        assertNotEquals(RunLabel.value(r64), RunLabel.value(r64 + "x"), "two long run ids sharing their first 54 characters stay apart");
        // run ids slogate makes are label values already (RunId); journals of older versions may hold others
        String gameday = ExperimentRun.newRunId("checkout gameday (v2)");
        assertTrue(KubernetesNames.isLabelValue(gameday), gameday);
        assertEquals(gameday, RunLabel.value(gameday));
        String long48 = ExperimentRun.newRunId("s".repeat(48));
        assertEquals(63, long48.length());
        assertEquals(long48, RunLabel.value(long48));
        String old = "20260101-120000-checkout_gameday__v2_"; // an older default id, ending in '_'
        String g = RunLabel.value(old);
        assertTrue(KubernetesNames.isLabelValue(g) && g.startsWith(old.substring(0, old.length() - 1)), g);
        assertTrue(RunLabel.value("___").matches("[0-9a-f]{8}"), "nothing alphanumeric left: the hash alone");
        assertTrue(KubernetesNames.isLabelValue(RunLabel.value("a b/c")), RunLabel.value("a b/c"));
    }

    @Test
    void cleanupFindsTheNodesAndExperimentsOfARunWhoseIdIsNotALabelValue() throws Exception {
        String crashed = "20260101-120000-" + "checkout_gameday_with_a_very_long_scenario_name_v2_";
        assertTrue(crashed.length() > 63);
        MockCluster.populate(client);
        Path kubeconfig = dir.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, null);
        Path journalDir = dir.resolve("journal");
        KubernetesSettings settings = new KubernetesSettings(kubeconfig, false, null, List.of("shop"), null);
        JournaledInjector k = new JournaledInjector(new KubernetesFaultInjector(client, ClusterConnection.of(settings), settings,
                crashed, new Random(1), e -> { }), new Journal(journalDir, crashed));
        k.inject("n", new FaultSpec("n", FaultType.NODE_KILL, new Selector(Map.of(), Selector.Mode.ONE, 0,
                new Selector.Scope(null, Map.of(), List.of("n1"), null, null, null)), Duration.ofSeconds(30), null, null, ClusterOptions.DEFAULTS));
        String label = client.nodes().withName("n1").get().getMetadata().getLabels().get(RunLabel.KEY);
        assertEquals(RunLabel.value(crashed), label);
        assertTrue(KubernetesNames.isLabelValue(label), label);

        ChaosMeshClient chaos = ChaosMeshClient.fromConfig(client.getConfiguration());
        FaultSpec failure = new FaultSpec("p", FaultType.POD_FAILURE, new Selector(Map.of("app", "checkout"), Selector.Mode.ONE, 0,
                new Selector.Scope("shop", Map.of(), List.of(), null, null, null)), Duration.ofSeconds(30), null, null, ClusterOptions.DEFAULTS);
        var body = ChaosExperiments.of(failure, "slogate-p-aaaaaaaa", crashed, "p");
        assertEquals(crashed, body.at("/metadata/annotations/slogate.io~1run-id").asText(), "the full run id stays readable");
        chaos.create(body);
        chaos.create(ChaosExperiments.of(failure, "slogate-p-bbbbbbbb", crashed + "x", "p")); // another run, same first 54 characters
        new Journal(journalDir, crashed).recordInjecting(new InjectedFault("cm-1", crashed, "p", FaultType.POD_FAILURE, "chaos-mesh",
                List.of("shop/checkout-1"), System.currentTimeMillis(), Map.of("kubeconfig", kubeconfig.toString(), "inCluster", "false",
                "chaosKind", "PodChaos", "chaosNamespace", "shop", "chaosObject", "slogate-p-zzzzzzzz"))); // journal missed the name

        // the "crashed" run's owner is this test's JVM, alive: forced, as a user would after a crash in the same process
        List<String> done = Cleanup.run(journalDir, dir.resolve("no-sandbox"), true);

        assertEquals(null, client.nodes().withName("n1").get().getSpec().getUnschedulable(), "uncordoned: " + done);
        assertEquals(List.of(), chaos.list("shop", RunLabel.KEY, RunLabel.value(crashed)), "found by the derived label and deleted: " + done);
        assertEquals(List.of("PodChaos shop/slogate-p-bbbbbbbb"), chaos.list("shop", RunLabel.KEY, RunLabel.value(crashed + "x")));
    }
}
