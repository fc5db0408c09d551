package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import dev.slogate.fault.kubernetes.MockKubeconfig;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} and {@code run} look the scaling objective's workload up on the cluster (CRUD mock): missing is exit 2, named. */
@EnableKubernetesMockClient(crud = true)
class ScalingWorkloadCliTest {
    static KubernetesClient client;

    @TempDir
    Path work;

    private Path scenario(String workload) throws Exception {
        MockKubeconfig.write(work.resolve("kubeconfig"), client, null);
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: k8s}
                spec:
                  objectives:
                    - {name: pods, scaling: {below: 1m, measure: capacity, capacity: {from: kubernetes-api, workload: %s, namespace: shop}}}
                """.formatted(workload));
        Path s = work.resolve("scenario.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: k8s-scaling}
                spec:
                  target: {url: "http://127.0.0.1:1"}
                  kubernetes: {kubeconfig: kubeconfig, allowedNamespaces: [shop]}
                  load:
                    stages: [{hold: {rps: 5, duration: 5s}}, {step: {rps: 50, duration: 5s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """);
        return s;
    }

    private Result slogate(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void planAndRunRefuseAWorkloadThatDoesNotExistNamingIt() throws Exception {
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata().withName("checkout").endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withReadyReplicas(2).endStatus().build()).create();
        Path missing = scenario("deployment/cart");
        Result plan = slogate("plan", "--state-dir", work.resolve("state").toString(), missing.toString());
        assertEquals(2, plan.code(), plan.out());
        assertTrue(plan.out().contains("error: the scaling objective's workload deployment/cart in namespace shop does not exist"), plan.out());
        Result run = slogate("run", "--state-dir", work.resolve("state").toString(), "--reports-dir", work.resolve("reports").toString(), missing.toString());
        assertEquals(2, run.code(), run.out());
        assertTrue(run.out().contains("deployment/cart in namespace shop does not exist"), run.out());
        assertFalse(run.out().contains("not-a-real-token"));

        Result ok = slogate("plan", "--state-dir", work.resolve("state").toString(), scenario("deployment/checkout").toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("deployment/checkout in namespace shop: exists, no HPA (desired = spec.replicas)"), ok.out());
        assertTrue(ok.out().contains("(replicas of deployment/checkout in namespace shop from the Kubernetes API)"), ok.out());
    }
}
