package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.fault.Journal;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator reads the injector Job's pods (CRUD mock API server; the test plays the kubelet by writing pod
 * statuses) and fails a run whose pod cannot start within seconds, with the index, the pod and the pod's own reason.
 */
@Timeout(60)
@EnableKubernetesMockClient(crud = true)
class JobPodsTest {
    static KubernetesClient client;

    @TempDir
    Path dir;
    private ClusterConnection connection;

    private static final Load LOAD = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(20), new Rate(20), Duration.ofSeconds(10))),
            List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, Duration.ofSeconds(2));
    /** Listens on loopback, any port; the 3 min connect timeout is the default the fail-fast must beat. */
    private static final IndexedJobInjectors.Settings SETTINGS =
            IndexedJobInjectors.Settings.of("registry.example.com/slogate:nope", "load", "127.0.0.1:0", Duration.ofMinutes(3));
    private static final JobPods.Grace SHORT = new JobPods.Grace(Duration.ofSeconds(1), Duration.ofSeconds(1));

    @BeforeEach
    void cluster() throws Exception {
        client.batch().v1().jobs().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        Path kubeconfig = dir.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, null);
        connection = new ClusterConnection(kubeconfig, null, false);
    }

    private IndexedJobInjectors launcher(String runId, JobPods.Grace grace) {
        return new IndexedJobInjectors(connection.client(), connection, SETTINGS, new Journal(dir.resolve("journal"), runId), runId, grace);
    }

    private LoadPlan plan() {
        return new LoadPlan("http://127.0.0.1:9", LOAD, dir.resolve("work"), Duration.ZERO);
    }

    /** What the Job controller and the kubelet would write: the Job's labels, the index annotation, a status. */
    private static Pod pod(String job, int index, PodStatus status) {
        return pod("load", job, index, status);
    }

    static Pod pod(String namespace, String job, int index, PodStatus status) {
        return new PodBuilder().withNewMetadata().withName(job + "-" + index + "-x7k2p").withNamespace(namespace)
                .addToLabels(JobPods.JOB_NAME_LABEL, job).addToLabels(IndexedJobInjectors.RUN_ID_LABEL, "r")
                .addToAnnotations(JobPods.INDEX_ANNOTATION, Integer.toString(index)).endMetadata()
                .withStatus(status).build();
    }

    static PodStatus imagePullBackOff() {
        return new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("injector").withReady(false)
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"registry.example.com/slogate:nope\"").endWaiting().endState()
                .endContainerStatus().build();
    }

    static PodStatus unschedulable() {
        return new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/5 nodes are available: 5 Insufficient cpu.").endCondition().build();
    }

    static PodStatus oomKilled() {
        return new PodStatusBuilder().withPhase("Failed").addNewContainerStatus().withName("injector").withReady(false)
                .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endState()
                .endContainerStatus().build();
    }

    static PodStatus running() {
        return new PodStatusBuilder().withPhase("Running").addNewContainerStatus().withName("injector").withReady(true)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().build();
    }

    private static <T> T within(Duration d, Supplier<Optional<T>> what) {
        long deadline = System.currentTimeMillis() + d.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Optional<T> v = what.get();
            if (v.isPresent()) {
                return v.get();
            }
            sleep(100);
        }
        throw new AssertionError("not within " + d);
    }

    @Test
    void eachIndexFailsWithItsPodsOwnReasonAfterItsGracePeriod() {
        try (IndexedJobInjectors launcher = launcher("reasons", SHORT)) {
            List<InjectorLauncher.Injector> injectors = launcher.launch(
                    List.of("injector-0", "injector-1", "injector-2", "injector-3"), 7700, plan());
            String job = launcher.jobName();
            client.pods().inNamespace("load").resource(pod(job, 0, imagePullBackOff())).create();
            client.pods().inNamespace("load").resource(pod(job, 1, unschedulable())).create();
            client.pods().inNamespace("load").resource(pod(job, 2, oomKilled())).create();
            client.pods().inNamespace("load").resource(pod(job, 3, running())).create();
            assertEquals(running().getPhase(), client.pods().inNamespace("load").withName(job + "-3-x7k2p").get().getStatus().getPhase(),
                    "the mock keeps what the kubelet wrote");

            String pull = within(Duration.ofSeconds(8), () -> injectors.get(0).ended());
            assertEquals("failed: its pod load/" + job + "-0-x7k2p cannot start container injector: ImagePullBackOff:"
                    + " Back-off pulling image \"registry.example.com/slogate:nope\" (for 1 s)", pull.replaceAll("for \\d+ s", "for 1 s"));
            String unsched = within(Duration.ofSeconds(8), () -> injectors.get(1).ended());
            assertTrue(unsched.startsWith("failed: its pod load/" + job + "-1-x7k2p cannot be scheduled: Unschedulable:"
                    + " 0/5 nodes are available: 5 Insufficient cpu. (for "), unsched);
            String oom = within(Duration.ofSeconds(8), () -> injectors.get(2).ended());
            assertEquals("failed: its pod load/" + job + "-2-x7k2p ended: container injector terminated (OOMKilled) with exit code 137", oom);
            assertEquals(Optional.empty(), injectors.get(3).ended(), "a running pod is the connection's business");
            assertTrue(launcher.whyNotConnected(List.of("injector-3")).orElseThrow()
                    .contains("index 3: pod " + job + "-3-x7k2p is Running"), "the timeout message says what the pod does");
            assertEquals("; " + oom.substring("failed: ".length()), injectors.get(2).postMortem(),
                    "after the start, a failed injector's message gets its pod's reason");
        }
    }

    @Test
    void theGracePeriodHoldsBackAFailureThatMayStillHeal() {
        try (IndexedJobInjectors launcher = launcher("grace", new JobPods.Grace(Duration.ofSeconds(30), Duration.ofSeconds(30)))) {
            List<InjectorLauncher.Injector> injectors = launcher.launch(List.of("injector-0", "injector-1"), 7700, plan());
            client.pods().inNamespace("load").resource(pod(launcher.jobName(), 0, imagePullBackOff())).create();
            client.pods().inNamespace("load").resource(pod(launcher.jobName(), 1, unschedulable())).create();
            String state = within(Duration.ofSeconds(5), () -> launcher.whyNotConnected(List.of("injector-0", "injector-1"))
                    .filter(w -> w.contains("index 1: pod")));
            assertTrue(state.contains("index 0: pod " + launcher.jobName() + "-0-x7k2p cannot start container injector: ImagePullBackOff"), state);
            assertEquals(Optional.empty(), injectors.get(0).ended(), "seen, but not yet for 30 s");
            assertEquals(Optional.empty(), injectors.get(1).ended());
        }
    }

    @Test
    void aPodThatCannotPullItsImageEndsTheRunInconclusiveAfterTheDefaultGraceNotTheConnectTimeout() {
        assertFleetFailsFast("pull", JobPods.Grace.DEFAULT, 1, imagePullBackOff(), "cannot start container injector: ImagePullBackOff:"
                + " Back-off pulling image \"registry.example.com/slogate:nope\" (for 1", 10_000, 20_000);
    }

    @Test
    void anUnschedulablePodEndsTheRunInconclusive() {
        assertFleetFailsFast("unsched", SHORT, 0, unschedulable(),
                "cannot be scheduled: Unschedulable: 0/5 nodes are available: 5 Insufficient cpu.", 1_000, 10_000);
    }

    @Test
    void anOomKilledPodEndsTheRunInconclusiveAtOnce() {
        assertFleetFailsFast("oom", JobPods.Grace.DEFAULT, 1, oomKilled(),
                "ended: container injector terminated (OOMKilled) with exit code 137", 0, 8_000);
    }

    /** A fleet of 2 whose pod {@code index} gets {@code status}: exit-4 material naming index, pod and reason; Job deleted. */
    private void assertFleetFailsFast(String runId, JobPods.Grace grace, int index, PodStatus status, String reason,
            long atLeastMillis, long atMostMillis) {
        IndexedJobInjectors launcher = launcher(runId, grace);
        String job = launcher.jobName();
        Thread kubelet = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 20_000;
            Job created = null;
            while (created == null && System.currentTimeMillis() < deadline) {
                created = client.batch().v1().jobs().inNamespace("load").withName(job).get();
                sleep(50);
            }
            client.pods().inNamespace("load").resource(pod(job, index, status)).create();
            client.pods().inNamespace("load").resource(pod(job, 1 - index, running())).create();
        });
        kubelet.start();
        long began = System.currentTimeMillis();
        LoadResult result = new Fleet(2, launcher).run(plan(), ClientTimeline.fed(LOAD));
        long took = System.currentTimeMillis() - began;

        assertTrue(result.saturated(), "a load that never started is inconclusive (exit 4)");
        String expected = "the injector fleet never started: injector-" + index + " (index " + index + " of Job load/" + job
                + ") failed: its pod load/" + job + "-" + index + "-x7k2p " + reason;
        assertTrue(result.message().startsWith(expected), result.message() + "\n  expected to start with\n" + expected);
        assertTrue(took >= atLeastMillis, "the grace period held: " + took + " ms");
        assertTrue(took < atMostMillis, "far below the 3 min connect timeout: " + took + " ms");
        assertNull(client.batch().v1().jobs().inNamespace("load").withName(job).get(), "the Job is deleted");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
