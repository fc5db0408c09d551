package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate run} in-process with load on a 1x1x1 sandbox and a scaling objective whose replicas come from the
 * Kubernetes API (CRUD mock). The test plays the HPA and the Deployment controller: checkout goes 2 -> 6 desired, and
 * its ready replicas climb to 6 during the load step; the capacity time in report.json must match when it did.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesScalingRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    KubernetesClient client;

    @TempDir
    Path work;

    private void scale(Integer replicas, Integer ready) {
        client.apps().deployments().inNamespace("shop").withName("checkout").edit(d -> {
            if (replicas != null) {
                d.getSpec().setReplicas(replicas);
            }
            if (ready != null) {
                d.getStatus().setReadyReplicas(ready);
            }
            return d;
        });
    }

    @Test
    void theCapacityTimeComesFromTheDeploymentsReadyReplicas() throws Exception {
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("checkout").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withReplicas(2).withReadyReplicas(2).endStatus().build()).create();
        MockKubeconfig.write(work.resolve("kubeconfig"), client, null);
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: k8s}
                spec:
                  objectives:
                    - {name: pods, scaling: {below: 30s, measure: capacity, capacity: {from: kubernetes-api, workload: deployment/checkout, namespace: shop}}}
                """);
        Path scenario = work.resolve("scenario.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: k8s-scaling}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1, serviceTime: 2ms, concurrency: 8}
                  kubernetes: {kubeconfig: kubeconfig, allowedNamespaces: [shop]}
                  load:
                    stages: [{hold: {rps: 10, duration: 5s}}, {step: {rps: 20, duration: 25s}}]
                    requests: [{name: home, path: /}]
                  slos: [slo.yaml]
                """);
        // HPA and controller, on the load's clock: when the load runner creates its results folder (Gatling then
        // boots for a few seconds before the run's clock starts), the Deployment wants 6 one second later; one more
        // pod is Ready every 2 s from +14 s, the 6th at +20 s: inside step:2 (run start + 5 s .. + 30 s).
        ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sixReady = new AtomicLong();
        Path loadStarted = work.resolve("state/gatling/scale");
        controller.execute(() -> {
            while (!Files.exists(loadStarted)) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            controller.schedule(() -> scale(6, null), 1, TimeUnit.SECONDS);
            for (int ready = 3; ready <= 6; ready++) {
                int r = ready;
                controller.schedule(() -> {
                    if (r == 6) {
                        sixReady.set(System.currentTimeMillis());
                    }
                    scale(null, r);
                }, 14 + 2L * (ready - 3), TimeUnit.SECONDS);
            }
        });
        InProcessCli.Result cli;
        try {
            cli = InProcessCli.run("run", "--run-id", "scale", "--state-dir", work.resolve("state").toString(),
                    "--reports-dir", work.resolve("reports").toString(), scenario.toString());
        } finally {
            controller.shutdownNow();
        }
        int code = cli.code();
        String out = cli.out();
        assertEquals(0, code, out);
        JsonNode report = JSON.readTree(work.resolve("reports/scale/report.json").toFile());
        long stepStart = -1;
        for (JsonNode w : report.get("windows")) {
            if (w.get("name").asText().equals("step:2")) {
                stepStart = w.get("startMillis").asLong();
            }
        }
        assertTrue(stepStart > 0, report.get("windows").toString());
        JsonNode result = null;
        for (JsonNode r : report.get("results")) {
            if (r.get("slo").asText().equals("pods")) {
                result = r;
            }
        }
        assertNotNull(result, report.get("results").toString());
        String message = result.get("message").asText();
        long stepEnd = stepStart + 25_000;
        assertTrue(sixReady.get() > stepStart && sixReady.get() < stepEnd, "the 6th pod was Ready inside the step: " + message);
        assertEquals((sixReady.get() - stepStart) / 1000.0, result.get("measured").asDouble(), 0.5, message);
        assertTrue(message.contains("-> 6 replicas ready at +") && message.contains("(Kubernetes API deployment/checkout)"), message);
        assertTrue(report.get("notes").toString().contains("Kubernetes API deployment/checkout: "), report.get("notes").toString());
        assertTrue(!Files.readString(work.resolve("reports/scale/report.json")).contains("not-a-real-token"));
    }
}
