package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate run} in-process with load on the local sandbox (1 region x 1 node x 1 pod) and a Kubernetes pod-kill
 * against fabric8's CRUD mock server, where the test plays the ReplicaSet controller (it replaces a deleted pod, then
 * marks it Ready). The report must carry the fault and the server-side recovery on its timeline.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    KubernetesClient client;

    @TempDir
    Path work;

    private static Pod pod(String name, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withUid(UUID.randomUUID().toString())
                .addToLabels("app", "checkout").addNewOwnerReference().withKind("ReplicaSet").withName("checkout-5d8f").withApiVersion("apps/v1")
                .withUid("rs-1").endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("app").withStarted(true).withReady(ready).endContainerStatus().endStatus().build();
    }

    @Test
    void aKubernetesPodKillWhileTheSandboxTakesLoadLandsOnTheReportTimeline() throws Exception {
        for (String p : List.of("checkout-a", "checkout-b", "checkout-c")) {
            client.pods().inNamespace("shop").resource(pod(p, true)).create();
        }
        Path kubeconfig = work.resolve("kubeconfig");
        MockKubeconfig.write(kubeconfig, client, "shop");
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: k8s}
                spec:
                  objectives:
                    - {name: error-rate, errorRate: {below: 5%}, windows: [run]}
                """);
        Path scenario = work.resolve("scenario.yaml");
        Files.writeString(scenario, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: k8s-pod-kill}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1, serviceTime: 2ms, concurrency: 8, restartDelay: 1s}
                  kubernetes:
                    kubeconfig: kubeconfig
                    allowedNamespaces: [shop]
                  load:
                    stages: [{hold: {rps: 20, duration: 15s}}]
                    requests: [{name: home, path: /}]
                  faults:
                    - name: kill-checkout
                      at: 4s
                      backend: kubernetes
                      fault: {type: pod-kill, selector: {namespace: shop, labels: {app: checkout}, mode: one}, duration: 6s}
                  slos: [slo.yaml]
                """);

        // The ReplicaSet controller's part: a deleted pod is replaced 1 s later, Ready 1 s after that.
        ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
        List<String> deleted = new ArrayList<>();
        Watch watch = client.pods().inNamespace("shop").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod p) {
                if (action == Action.DELETED && !p.getMetadata().getName().endsWith("-new")) {
                    deleted.add(p.getMetadata().getName());
                    String name = p.getMetadata().getName() + "-new";
                    controller.schedule(() -> client.pods().inNamespace("shop").resource(pod(name, false)).create(), 1, TimeUnit.SECONDS);
                    controller.schedule(() -> client.pods().inNamespace("shop").withName(name).edit(x -> {
                        x.getStatus().getConditions().get(0).setStatus("True");
                        return x;
                    }), 2, TimeUnit.SECONDS);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        InProcessCli.Result result;
        try {
            result = InProcessCli.run("run", "--run-id", "k8s", "--state-dir", work.resolve("state").toString(),
                    "--reports-dir", work.resolve("reports").toString(), scenario.toString());
        } finally {
            watch.close();
            controller.shutdownNow();
        }
        int code = result.code();
        String out = result.out();
        assertEquals(0, code, out);
        assertEquals(1, deleted.size(), "mode one deleted one pod: " + deleted);
        JsonNode report = JSON.readTree(work.resolve("reports/k8s/report.json").toFile());
        List<String> timeline = new ArrayList<>();
        for (JsonNode e : report.get("events")) {
            timeline.add(e.get("kind").asText() + " " + e.get("subject").asText() + ": " + e.get("detail").asText());
        }
        String victim = "shop/" + deleted.get(0);
        assertTrue(timeline.contains("FAULT_INJECTED kill-checkout: pod-kill on " + victim), timeline.toString());
        assertTrue(timeline.stream().anyMatch(t -> t.startsWith("NOTE kill-checkout: replacement " + victim + "-new (ReplicaSet checkout-5d8f) scheduled on node n1")),
                timeline.toString());
        assertTrue(timeline.stream().anyMatch(t -> t.startsWith("NOTE kill-checkout: replacement " + victim + "-new (ReplicaSet checkout-5d8f) Ready")),
                timeline.toString());
        assertTrue(timeline.stream().anyMatch(t -> t.startsWith("NOTE kill-checkout: server side: 3 of 3 pods")), timeline.toString());
        assertTrue(timeline.contains("FAULT_REVERTED kill-checkout: scheduled end"), timeline.toString());
        assertTrue(out.contains("fault kill-checkout (pod-kill) would hit now: shop/checkout-a, shop/checkout-b, shop/checkout-c"), out);
        assertTrue(!out.contains("not-a-real-token") && !Files.readString(work.resolve("reports/k8s/report.json")).contains("not-a-real-token"),
                "the token never reaches the output or the report");
        assertTrue(Files.readString(work.resolve("state/journal/k8s.jsonl")).contains("\"injector\":\"kubernetes\""));
    }
}
