package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cluster.KubernetesApi;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.fault.FaultException;
import dev.slogate.slo.CapacitySample;
import dev.slogate.slo.SloEvaluator;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Window;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replica counts from the API server (CRUD mock): the scaling objective's capacity time from a Deployment scaling 2 -> 6. */
@EnableKubernetesMockClient(crud = true)
class WorkloadReplicasTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final SloDef.Rto CRITERIA = new SloDef.Rto(0.01, 95, 0.2, 3, 5);
    private static final SloDef.Workload CHECKOUT = new SloDef.Workload("deployment", "checkout", "shop", null);

    @BeforeEach
    void fresh() {
        client.apps().deployments().inAnyNamespace().delete();
        client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().delete();
        client.apps().deployments().inNamespace("shop").resource(deployment(2, 2)).create();
    }

    private static Deployment deployment(int replicas, int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("checkout").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(ready).endStatus().build();
    }

    /** The Deployment controller's part: ready replicas as the new pods pass their readiness probes. */
    private static void setReady(int ready) {
        client.apps().deployments().inNamespace("shop").withName("checkout").editStatus(d -> {
            d.getStatus().setReadyReplicas(ready);
            return d;
        });
    }

    private static SloResult capacityTime(WorkloadReplicas r, long stepStart, long stepEnd) {
        SloDef slo = new SloDef("pods", "", new SloDef.Scaling(CRITERIA, true, null, CHECKOUT), Op.LTE, 30, List.of("step:2"), Path.of("slo.yaml"), 1);
        List<SloResult> results = new SloEvaluator(null, r.history()).evaluate(List.of(slo), List.of(new Window("step:2", stepStart, stepEnd)),
                List.of(), List.of());
        assertEquals(1, results.size());
        return results.get(0);
    }

    @Test
    void capacityReadyIsWhenTheReadyReplicasReachTheDesiredOnes() throws Exception {
        long readyAt;
        long stepStart;
        try (WorkloadReplicas r = WorkloadReplicas.start(client, CHECKOUT)) {
            Thread.sleep(300);
            stepStart = System.currentTimeMillis();
            client.apps().deployments().inNamespace("shop").withName("checkout").edit(d -> { // the HPA raises spec.replicas
                d.getSpec().setReplicas(6);
                return d;
            });
            for (int ready = 3; ready <= 6; ready++) {
                Thread.sleep(400);
                setReady(ready);
            }
            readyAt = System.currentTimeMillis();
            waitFor(() -> r.samples().stream().anyMatch(s -> s.ready() == 6));
            List<CapacitySample> seen = r.samples();
            assertEquals(new CapacitySample(seen.get(0).atMillis(), 2, 2), seen.get(0));
            assertEquals(List.of(2, 3, 4, 5, 6), seen.stream().filter(s -> s.desired() == 6).map(CapacitySample::ready).toList(), seen.toString());
            SloResult result = capacityTime(r, stepStart, readyAt + 5000);
            assertEquals(Verdict.PASS, result.verdict(), result.message());
            assertEquals((readyAt - stepStart) / 1000.0, result.measured(), 0.3, result.message());
            assertTrue(result.message().contains("capacity 2 -> 6 replicas ready at +")
                    && result.message().contains("Kubernetes API deployment/checkout"), result.message());

            SloResult tooEarly = capacityTime(r, stepStart, readyAt - 600);
            assertEquals(Verdict.FAIL, tooEarly.verdict(), "not all 6 ready before the step ended: " + tooEarly.message());
            assertTrue(tooEarly.message().contains("capacity never caught up: 4 of 6"), tooEarly.message());
        }
    }

    @Test
    void theHpasDesiredReplicasAreTheDesiredCapacityBeforeTheDeploymentFollows() throws Exception {
        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("checkout").withNamespace("shop").endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("checkout").endScaleTargetRef()
                .withMinReplicas(2).withMaxReplicas(10).endSpec()
                .withNewStatus().withCurrentReplicas(2).withDesiredReplicas(2).endStatus().build();
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").resource(hpa).create();
        try (WorkloadReplicas r = WorkloadReplicas.start(client, CHECKOUT)) {
            client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").withName("checkout").editStatus(h -> {
                h.getStatus().setDesiredReplicas(6);
                return h;
            });
            waitFor(() -> r.samples().stream().anyMatch(s -> s.desired() == 6));
            CapacitySample wanted = r.samples().stream().filter(s -> s.desired() == 6).findFirst().orElseThrow();
            assertEquals(2, wanted.ready(), "the HPA wants 6 while the Deployment still runs 2: " + r.samples());
            assertTrue(r.history().read(null, 0, Long.MAX_VALUE).source().contains("(hpa checkout)"));
        }
    }

    @Test
    void aMissingWorkloadOrNamedHpaIsAnErrorNamingIt() {
        FaultException e = assertThrows(FaultException.class,
                () -> WorkloadReplicas.check(client, new SloDef.Workload("deployment", "cart", "shop", null)));
        assertTrue(e.getMessage().contains("workload deployment/cart in namespace shop does not exist"), e.getMessage());
        FaultException sts = assertThrows(FaultException.class,
                () -> WorkloadReplicas.check(client, new SloDef.Workload("statefulset", "checkout", "shop", null)));
        assertTrue(sts.getMessage().contains("statefulset/checkout"), sts.getMessage());
        FaultException hpa = assertThrows(FaultException.class,
                () -> WorkloadReplicas.check(client, new SloDef.Workload("deployment", "checkout", "shop", "checkout-hpa")));
        assertTrue(hpa.getMessage().contains("hpa checkout-hpa does not exist in namespace shop"), hpa.getMessage());
        assertEquals(null, WorkloadReplicas.check(client, CHECKOUT), "no HPA named like the workload: spec.replicas is the desired count");
    }

    @Test
    void everyRequestIsAnApiCallTheRbacListGrants() throws Exception {
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // the fixture's own requests
        }
        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("checkout").withNamespace("shop").endMetadata()
                .withNewSpec().withNewScaleTargetRef().withKind("Deployment").withName("checkout").endScaleTargetRef().withMaxReplicas(4).endSpec().build();
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop").resource(hpa).create();
        server.takeRequest(1, TimeUnit.SECONDS);
        try (WorkloadReplicas r = WorkloadReplicas.start(client, CHECKOUT);
             WorkloadReplicas s = startStatefulSet()) {
            Thread.sleep(1500);
            assertNotNull(r.samples());
        }
        Set<KubernetesApi.Call> seen = new HashSet<>();
        RecordedRequest req;
        while ((req = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            if (!req.getMethod().equals("POST") && !req.getMethod().equals("DELETE")) { // the fixture's
                seen.add(ApiCalls.of(req.getMethod(), req.getPath()));
            }
        }
        for (KubernetesApi.Call c : seen) {
            assertTrue(KubernetesApi.CALLS.contains(c), "not in KubernetesApi.CALLS (nor k8s/rbac.yaml): " + c);
        }
        List<KubernetesApi.Call> expected = new ArrayList<>(List.of(new KubernetesApi.Call("apps", "deployments", "get"),
                new KubernetesApi.Call("apps", "deployments", "watch"), new KubernetesApi.Call("apps", "statefulsets", "get"),
                new KubernetesApi.Call("apps", "statefulsets", "watch"), new KubernetesApi.Call("autoscaling", "horizontalpodautoscalers", "get")));
        assertTrue(seen.containsAll(expected), seen.toString());
    }

    private static WorkloadReplicas startStatefulSet() {
        client.apps().statefulSets().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                .withNewMetadata().withName("db").withNamespace("shop").endMetadata().withNewSpec().withReplicas(1).endSpec()
                .withNewStatus().withReplicas(1).withReadyReplicas(1).endStatus().build()).create();
        return WorkloadReplicas.start(client, new SloDef.Workload("statefulset", "db", "shop", null));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
