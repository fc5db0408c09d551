package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.Main;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.cleanup.Cleanup;
import dev.slogate.fault.Journal;
import dev.slogate.fault.kubernetes.ApiCalls;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.KubernetesApi;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import dev.slogate.load.LoadPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Indexed Job the fleet creates on Kubernetes (CRUD mock API server): its exact spec, journal, deletion, cleanup, RBAC. */
@EnableKubernetesMockClient(crud = true)
class IndexedJobInjectorsTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path dir;
    private Path kubeconfig;
    private ClusterConnection connection;

    private static final Load LOAD = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(300), new Rate(300), Duration.ofSeconds(60))),
            List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, Duration.ofSeconds(5));
    private static final IndexedJobInjectors.Settings SETTINGS =
            IndexedJobInjectors.Settings.of("registry.example.com/slogate:1.2.3", "load", "10.244.1.7:7700", Duration.ofMinutes(3));

    @BeforeEach
    void cluster() throws Exception {
        client.batch().v1().jobs().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        kubeconfig = dir.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, null);
        connection = new ClusterConnection(kubeconfig, null, false);
    }

    private IndexedJobInjectors launcher(String runId) {
        return new IndexedJobInjectors(connection.client(), connection, SETTINGS, new Journal(dir.resolve("journal"), runId), runId);
    }

    private LoadPlan plan() {
        return new LoadPlan("http://checkout.shop.svc:8080", LOAD, dir.resolve("work"), Duration.ofSeconds(10));
    }

    @Test
    void createsAnIndexedJobOfNInjectorPodsJournaledFirstAndDeletesIt() {
        IndexedJobInjectors launcher = launcher("release-42");
        List<InjectorLauncher.Injector> injectors = launcher.launch(List.of("injector-0", "injector-1", "injector-2"), 7700, plan());

        Job job = client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-release-42").get();
        assertNotNull(job, "the Job is in the namespace asked for, named after the run");
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "slogate", "app.kubernetes.io/component", "injector",
                "slogate.io/run-id", "release-42");
        assertEquals(labels, job.getMetadata().getLabels());
        JobSpec spec = job.getSpec();
        assertEquals("Indexed", spec.getCompletionMode());
        assertEquals(3, spec.getCompletions());
        assertEquals(3, spec.getParallelism());
        assertEquals(0, spec.getBackoffLimit());
        assertEquals(3600, spec.getTtlSecondsAfterFinished());
        assertEquals(180 + 10 + 60 + 5 + 300, spec.getActiveDeadlineSeconds(), "connect timeout + warm-up + load + request timeout + 5 min");
        assertEquals(labels, spec.getTemplate().getMetadata().getLabels(), "pods carry the run id too");
        assertEquals("Never", spec.getTemplate().getSpec().getRestartPolicy());
        assertEquals(Boolean.FALSE, spec.getTemplate().getSpec().getAutomountServiceAccountToken());
        assertEquals(1, spec.getTemplate().getSpec().getContainers().size());
        Container c = spec.getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.example.com/slogate:1.2.3", c.getImage());
        assertEquals(List.of("injector", "--connect", "10.244.1.7:7700", "--work-dir", "/tmp/slogate"), c.getArgs());
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), "the image's entrypoint is slogate");
        List<EnvVar> env = c.getEnv();
        assertEquals(List.of("JOB_COMPLETION_INDEX", "JAVA_TOOL_OPTIONS"), env.stream().map(EnvVar::getName).toList());
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.get(0).getValueFrom().getFieldRef().getFieldPath());
        assertEquals("-XX:+UseParallelGC -Xss512k -Xmx1g", env.get(1).getValue());
        Map<String, Quantity> guaranteed = Map.of("cpu", new Quantity("2"), "memory", new Quantity("1536Mi"));
        assertEquals(guaranteed, c.getResources().getRequests());
        assertEquals(guaranteed, c.getResources().getLimits());
        assertEquals("/tmp", c.getVolumeMounts().get(0).getMountPath());

        assertEquals(List.of("injector-0 (index 0 of Job load/slogate-fleet-release-42)", "injector-1 (index 1 of Job load/slogate-fleet-release-42)",
                "injector-2 (index 2 of Job load/slogate-fleet-release-42)"), injectors.stream().map(InjectorLauncher.Injector::label).toList());
        List<Map<String, String>> journaled = Journal.entries(dir.resolve("journal"), IndexedJobInjectors.JOURNAL_CREATED);
        assertEquals(1, journaled.size());
        assertEquals("load", journaled.get(0).get("namespace"));
        assertEquals("slogate-fleet-release-42", journaled.get(0).get("job"));
        assertEquals("release-42", journaled.get(0).get("runId"));
        assertEquals(kubeconfig.toAbsolutePath().toString(), journaled.get(0).get("kubeconfig"), "enough to reconnect, no token");
        assertTrue(launcher.whyNotConnected(List.of("injector-2")).orElseThrow().contains("has 0 of 3 pods active"));

        launcher.close();
        assertNull(client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-release-42").get(), "deleted at the end");
        assertEquals(List.of(), IndexedJobInjectors.cleanup(dir.resolve("journal"), true), "journaled as deleted: nothing left for cleanup");
    }

    @Test
    void aStopWhileThePodsAreComingUpDeletesTheJob() throws Exception {
        // what Ctrl-C does: the run's shutdown hook stops the load driver, here while no pod has connected yet
        IndexedJobInjectors.Settings local = IndexedJobInjectors.Settings.of("slogate:it", "load", "127.0.0.1:0", Duration.ofMinutes(3));
        Fleet fleet = new Fleet(2, new IndexedJobInjectors(connection.client(), connection, local,
                new Journal(dir.resolve("journal"), "ctrl-c"), "ctrl-c"));
        Thread interrupter = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 20_000;
            while (client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-ctrl-c").get() == null
                    && System.currentTimeMillis() < deadline) {
                sleep(100);
            }
            fleet.stop("interrupted");
        });
        interrupter.start();
        long began = System.currentTimeMillis();
        var result = fleet.run(plan(), dev.slogate.load.ClientTimeline.fed(LOAD));
        interrupter.join();

        assertTrue(result.saturated(), "a load that never started is inconclusive");
        assertTrue(result.message().contains("stopped while waiting for the injectors to connect: interrupted"), result.message());
        assertTrue(System.currentTimeMillis() - began < 20_000, "it did not wait for the connect timeout");
        assertNull(client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-ctrl-c").get(), "the Job is deleted");
        assertEquals(List.of(), IndexedJobInjectors.cleanup(dir.resolve("journal"), true));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theManifestInK8sIsTheJobTheCodeCreates() throws Exception {
        Job manifest;
        try (InputStream in = Files.newInputStream(Path.of("k8s", "indexed-job.yaml"))) {
            manifest = Serialization.unmarshal(in, Job.class);
        }
        Job code = InjectorJob.of("slogate-fleet-gate", "slogate", "gate", "slogate:0.1.0", "10.244.1.7:7700", 3,
                Duration.ofSeconds(1500));
        assertEquals(Serialization.asYaml(code), Serialization.asYaml(manifest));
    }

    @Test
    void cleanupDeletesACrashedRunsJobAndNothingElse() {
        IndexedJobInjectors crashed = launcher("crashed");
        crashed.launch(List.of("injector-0", "injector-1"), 7700, plan()); // then the harness dies: no close()
        client.batch().v1().jobs().inNamespace("load").resource(new JobBuilder().withNewMetadata().withName("nightly-batch")
                .addToLabels("app", "batch").endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
                .withName("b").withImage("b").endContainer().endSpec().endTemplate().endSpec().build()).create();
        client.pods().inNamespace("load").resource(new PodBuilder().withNewMetadata().withName("web-1").endMetadata().build()).create();

        // the "crashed" run's owner is this test's JVM, which is alive: cleanup leaves its Job unless forced
        List<String> skipped = Cleanup.run(dir.resolve("journal"), dir.resolve("no-sandbox"), false);
        assertEquals(1, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).startsWith("skipped the injector Job load/slogate-fleet-crashed of run crashed: that run is"
                + " still going (pid " + ProcessHandle.current().pid() + ")"), skipped.get(0));
        assertTrue(client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-crashed").get() != null);

        List<String> done = Cleanup.run(dir.resolve("journal"), dir.resolve("no-sandbox"), true);

        assertEquals(List.of("deleted the injector Job load/slogate-fleet-crashed (run crashed)"), done);
        assertNull(client.batch().v1().jobs().inNamespace("load").withName("slogate-fleet-crashed").get());
        assertEquals(List.of("nightly-batch"), client.batch().v1().jobs().inNamespace("load").list().getItems().stream()
                .map(j -> j.getMetadata().getName()).toList(), "another Job stays");
        assertEquals(1, client.pods().inNamespace("load").list().getItems().size(), "pods are not touched");
        assertEquals(List.of(), Cleanup.run(dir.resolve("journal"), dir.resolve("no-sandbox")), "a second cleanup has nothing to do");
        crashed.close(); // stops its pod reader
    }

    @Test
    void everyRequestIsAnApiCallTheRbacGrants() throws Exception {
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // the fixture's own requests
        }
        IndexedJobInjectors launcher = launcher("rbac");
        launcher.launch(List.of("injector-0"), 7700, plan());
        launcher.whyNotConnected(List.of("injector-0"));
        launcher.close();
        IndexedJobInjectors crashed = launcher("rbac-crashed");
        crashed.launch(List.of("injector-0"), 7700, plan());
        IndexedJobInjectors.cleanup(dir.resolve("journal"), true);
        List<KubernetesApi.Call> seen = new ArrayList<>();
        KubernetesApi.Call podsList = new KubernetesApi.Call("", "pods", "list");
        long deadline = System.currentTimeMillis() + 5_000; // the crashed run's pod reader polls once a second
        RecordedRequest r;
        while ((r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null
                || (!seen.contains(podsList) && System.currentTimeMillis() < deadline)) {
            if (r != null) {
                seen.add(ApiCalls.of(r.getMethod(), r.getPath()));
            }
        }
        crashed.close();
        for (KubernetesApi.Call c : seen) {
            assertTrue(KubernetesApi.FLEET_CALLS.contains(c), "not in KubernetesApi.FLEET_CALLS (nor the Role slogate-fleet): " + c);
        }
        for (String verb : List.of("create", "get", "delete")) {
            assertTrue(seen.contains(new KubernetesApi.Call("batch", "jobs", verb)), verb + " in " + seen);
        }
        assertTrue(seen.contains(podsList), "the Job's pods are read: " + seen);
    }

    @Test
    void namesAndSettingsAreValidated() {
        assertEquals("slogate-fleet-20261127-101500-checkout_gameday".replace('_', '-'),
                IndexedJobInjectors.jobName("20261127-101500-Checkout_GameDay"));
        assertTrue(IndexedJobInjectors.jobName("x".repeat(80)).length() <= 52, "room for the pods' -<index>-<suffix>");
        assertTrue(IndexedJobInjectors.labelValue("..abc__").matches("abc-[0-9a-f]{8}"), "cleaned, and hashed so cleanup selects this run only");
        assertEquals("release-42", IndexedJobInjectors.labelValue("release-42"));
        try (IndexedJobInjectors podIp = launcher("listen")) {
            assertEquals("10.244.1.7:7700", podIp.listenOn().getAddress().getHostAddress() + ":" + podIp.listenOn().getPort(),
                    "the pod IP the pods are told is the only address the coordinator listens on");
        }
        try (IndexedJobInjectors byName = new IndexedJobInjectors(connection.client(), connection, IndexedJobInjectors.Settings.of("i",
                null, "slogate-gate.slogate.svc:7701", Duration.ofMinutes(1)), new Journal(dir, "listen"), "listen")) {
            assertTrue(byName.listenOn().getAddress().isAnyLocalAddress(), "a DNS name: listen on every interface");
            assertEquals(7701, byName.listenOn().getPort());
            assertEquals("default", byName.namespace(), "the connection's namespace when none is given");
        }
        IndexedJobInjectors.Settings s = IndexedJobInjectors.Settings.of("i", null, "10.0.0.5", Duration.ofMinutes(1));
        assertEquals(7700, s.coordinatorPort(), "the default port");
        assertEquals("fd00::1", IndexedJobInjectors.Settings.of("i", null, "[fd00::1]:7701", Duration.ofMinutes(1)).coordinatorHost());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IndexedJobInjectors.Settings.of(null, null, "10.0.0.5", Duration.ofMinutes(1)))
                .getMessage().contains("--injector-image is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IndexedJobInjectors.Settings.of("i", null, null, Duration.ofMinutes(1)))
                .getMessage().contains("SLOGATE_POD_IP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IndexedJobInjectors.Settings.of("i", null, "h:http", Duration.ofMinutes(1)))
                .getMessage().contains("HOST[:PORT]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IndexedJobInjectors.Settings.of("i", "Load_NS", "h", Duration.ofMinutes(1)))
                .getMessage().contains("not a Kubernetes namespace name"));
    }

    @Test
    void theCliRefusesAKubernetesFleetItCannotLaunchWithExit2() throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "not read: the flags are checked first\n");
        assertEquals(2, Main.execute("run", "--injectors-on", "kubernetes", "--injector-image", "i", "--coordinator", "10.0.0.5",
                scenario.toString()), "no --injectors");
        assertEquals(2, Main.execute("run", "--injectors", "2", "--injectors-on", "kubernetes", "--injector-image", "i",
                "--coordinator", "10.0.0.5", "--injector-timeout", "soon", scenario.toString()), "bad timeout");
        assertEquals(2, Main.execute("run", "--injectors", "2", "--injectors-on", "mars", scenario.toString()), "unknown site");
        assertFalse(client.batch().v1().jobs().inAnyNamespace().list().getItems().stream().findAny().isPresent(), "nothing created");
    }
}
