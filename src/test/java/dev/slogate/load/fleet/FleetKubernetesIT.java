package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slogate.cli.InProcessCli;
import dev.slogate.fault.Journal;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import dev.slogate.sandbox.JavaCommand;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate run --injectors 2 --injectors-on kubernetes} against a CRUD mock API server. The test plays the
 * kubelet: when the Job appears it starts, for each index, the injector process the pod would run (the Job's own args,
 * JOB_COMPLETION_INDEX set), and the coordinator merges what they send. One index that never connects: exit 4 by name.
 */
@Timeout(150)
@EnableKubernetesMockClient(crud = true)
class FleetKubernetesIT {
    static KubernetesClient client;

    @TempDir
    Path work;
    private HttpServer target;
    private ExecutorService pool;
    private final AtomicLong served = new AtomicLong();
    private final List<Process> pods = new CopyOnWriteArrayList<>();
    private final AtomicReference<Job> seen = new AtomicReference<>();

    @BeforeEach
    void startTarget() throws Exception {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        pool = Executors.newFixedThreadPool(4);
        target.setExecutor(pool);
        target.createContext("/", ex -> {
            served.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 2);
            try (OutputStream body = ex.getResponseBody()) {
                body.write("ok".getBytes(StandardCharsets.UTF_8));
            }
        });
        target.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : pods) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        target.stop(0);
        pool.shutdownNow();
    }

    @Test
    void theCoordinatorCreatesTheJobAndMergesWhatItsPodsSend() throws Exception {
        Thread kubelet = kubelet("k8s-fleet", Set.of(0, 1));
        Run run = run("k8s-fleet", "90s");
        kubelet.join(1_000);

        assertEquals(0, run.code, run.out);
        Job job = seen.get();
        assertNotNull(job, "the Job was created");
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(2, job.getSpec().getCompletions());
        assertEquals(2, job.getSpec().getParallelism());
        assertEquals("k8s-fleet", job.getMetadata().getLabels().get(IndexedJobInjectors.RUN_ID_LABEL));
        assertEquals("slogate:it", job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        String report = Files.readString(work.resolve("reports").resolve("k8s-fleet").resolve("report.json"));
        for (int i = 0; i < 2; i++) {
            Matcher m = Pattern.compile("injector-" + i + " \\(index " + i + " of Job slogate/slogate-fleet-k8s-fleet\\): stage 1 \\(hold\\):"
                    + " share 20\\.0 rps, achieved ([\\d.]+) rps").matcher(report);
            assertTrue(m.find(), "injector-" + i + " in the report's notes: " + report);
            assertEquals(20, Double.parseDouble(m.group(1)), 4, "index " + i + " held its share");
        }
        assertTrue(report.contains("2 injector pods of the Indexed Job slogate/slogate-fleet-k8s-fleet (image slogate:it)"), report);
        Matcher merged = Pattern.compile("stage 1 \\(hold\\): target 40\\.0 rps, achieved ([\\d.]+) rps").matcher(report);
        assertTrue(merged.find(), report);
        assertEquals(40, Double.parseDouble(merged.group(1)), 8, "the merged rate of both pods");
        assertTrue(served.get() >= 220, "2 x 20 rps for 6 s (plus the unrecorded 3 s warm-up) reached the target: " + served.get());

        assertNull(client.batch().v1().jobs().inNamespace("slogate").withName("slogate-fleet-k8s-fleet").get(), "deleted at the end");
        assertEquals(1, Journal.entries(work.resolve("state").resolve("journal"), IndexedJobInjectors.JOURNAL_DELETED).size());
        for (Process p : pods) {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "every injector pod's process ended");
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    void anIndexThatNeverConnectsMakesTheRunInconclusiveByName() throws Exception {
        Thread kubelet = kubelet("k8s-missing", Set.of(0)); // index 1's pod never comes up
        long began = System.currentTimeMillis();
        Run run = run("k8s-missing", "8s");
        kubelet.join(1_000);

        assertEquals(4, run.code, run.out);
        assertTrue(run.out.contains("injector-1 (index 1 of Job slogate/slogate-fleet-k8s-missing) did not connect within 8 s"), run.out);
        assertFalse(run.out.contains("injector-0 (index 0 of Job slogate/slogate-fleet-k8s-missing) did not"), "index 0 connected: " + run.out);
        assertTrue(run.out.contains("has 0 of 2 pods active"), "what the Job says (nothing, in a mock): " + run.out);
        assertTrue(System.currentTimeMillis() - began < 60_000, "the run did not wait for the load");
        assertNull(client.batch().v1().jobs().inNamespace("slogate").withName("slogate-fleet-k8s-missing").get(), "deleted at the end");
        assertTrue(pods.get(0).waitFor(30, TimeUnit.SECONDS), "the connected injector stopped once the coordinator gave up");
    }

    @Test
    void aPodThatDiesDuringTheRunGivesItsOwnReason() throws Exception {
        Thread kubelet = kubelet("k8s-oom", Set.of(0, 1));
        Thread oom = new Thread(() -> {
            // both pods run; once the load reaches the target, index 1 is OOM-killed and the kubelet says so a bit later
            long deadline = System.currentTimeMillis() + 60_000;
            while ((pods.size() < 2 || served.get() < 20) && System.currentTimeMillis() < deadline) {
                sleep(50);
            }
            String job = IndexedJobInjectors.jobName("k8s-oom");
            client.pods().inNamespace("slogate").resource(JobPodsTest.pod("slogate", job, 0, JobPodsTest.running())).create();
            pods.get(1).destroyForcibly();
            sleep(500);
            client.pods().inNamespace("slogate").resource(JobPodsTest.pod("slogate", job, 1, JobPodsTest.oomKilled())).create();
        }, "test-oom-killer");
        oom.setDaemon(true);
        oom.start();
        Run run = run("k8s-oom", "90s");
        kubelet.join(1_000);
        oom.join(1_000);

        assertEquals(4, run.code, run.out);
        assertTrue(run.out.contains("injector-1 (index 1 of Job slogate/slogate-fleet-k8s-oom)"), run.out);
        assertTrue(run.out.contains("its pod slogate/slogate-fleet-k8s-oom-1-x7k2p ended: container injector terminated (OOMKilled)"
                + " with exit code 137"), "the pod's reason, not only the lost connection: " + run.out);
        assertNull(client.batch().v1().jobs().inNamespace("slogate").withName("slogate-fleet-k8s-oom").get(), "deleted at the end");
    }

    private record Run(int code, String out) {
    }

    private Run run(String runId, String timeout) throws Exception {
        Path kubeconfig = work.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, null);
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: fleet}
                spec:
                  objectives:
                    - {name: error-rate, errorRate: {below: 1%}, windows: [run]}
                """);
        Path scenario = work.resolve("fleet.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: fleet-k8s}
                spec:
                  target: {url: "http://127.0.0.1:%d"}
                  kubernetes: {kubeconfig: %s, allowedNamespaces: [shop]}
                  load:
                    requestTimeout: 2s
                    stages:
                      - hold: {rps: 40, duration: 6s}
                    requests:
                      - {name: home, method: GET, path: /}
                  slos: [slo.yaml]
                """.formatted(target.getAddress().getPort(), kubeconfig));
        InProcessCli.Result r = InProcessCli.run("run", "--injectors", "2", "--injectors-on", "kubernetes", "--injector-image", "slogate:it",
                    "--injector-namespace", "slogate", "--coordinator", "127.0.0.1:0", "--injector-timeout", timeout,
                    "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(),
                    "--run-id", runId, scenario.toString());
        return new Run(r.code(), r.out());
    }

    /** Waits for the run's Job, then starts what each of {@code indexes}' pods would run. */
    private Thread kubelet(String runId, Set<Integer> indexes) {
        Thread t = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            Job job = null;
            while (job == null && System.currentTimeMillis() < deadline) {
                job = client.batch().v1().jobs().inNamespace("slogate").withLabel(IndexedJobInjectors.RUN_ID_LABEL, runId)
                        .list().getItems().stream().findFirst().orElse(null);
                sleep(100);
            }
            if (job == null) {
                return;
            }
            seen.set(job);
            List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
            for (int i : indexes) {
                // the image's entrypoint is `slogate`, whose `injector` subcommand is InjectorMain; /tmp is the pod's emptyDir
                List<String> podArgs = new ArrayList<>(args.subList(1, args.size()));
                podArgs.replaceAll(a -> a.equals(InjectorJob.POD_WORK_DIR) ? work.resolve("pod-" + i).toString() : a);
                ProcessBuilder pb = new ProcessBuilder(JavaCommand.of(InjectorMain.class.getName(), Fleet.defaultFlags(), podArgs))
                        .redirectErrorStream(true).redirectOutput(work.resolve("pod-" + i + ".log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().put(InjectorMain.INDEX_ENV, Integer.toString(i));
                try {
                    pods.add(pb.start());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "test-kubelet");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
