package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capacity:} on a scaling objective: where replica counts come from, and bad input with its line. */
class CapacitySourceSyntaxTest {
    private static final String OBJECTIVES = "apiVersion: slogate/v1\nkind: Objectives\nmetadata: {name: s}\nspec:\n  objectives:\n";
    private static final String SCENARIO = """
            apiVersion: slogate/v1
            kind: Scenario
            metadata: {name: t}
            spec:
              load:
                stages: [{hold: {rps: 30, duration: 20s}}, {step: {rps: 300, duration: 60s}}]
                requests: [{path: /}]
              slos: [slo/s.yaml]
            """;

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private SloDef.Scaling scaling(String line) throws IOException {
        Path f = YamlFixture.write(dir, "slo.yaml", OBJECTIVES + line);
        return (SloDef.Scaling) loader.loadSlos(f).get(0).indicator();
    }

    @Test
    void kubernetesApiNamesTheWorkloadAndPrometheusBuildsTheKubeStateSelector() throws IOException {
        SloDef.Scaling api = scaling("    - {name: k, scaling: {below: 1m, measure: capacity, "
                + "capacity: {from: kubernetes-api, workload: deployment/checkout, namespace: shop, hpa: checkout-hpa}}}\n");
        assertEquals(new SloDef.Workload("deployment", "checkout", "shop", "checkout-hpa"), api.workload());
        assertNull(api.deployment(), "the API source needs no Prometheus");
        SloDef.Scaling sts = scaling("    - {name: k, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: StatefulSet/db, namespace: shop}}}\n");
        assertEquals(new SloDef.Workload("statefulset", "db", "shop", null), sts.workload());
        SloDef.Scaling prom = scaling("    - {name: k, scaling: {below: 1m, capacity: {from: prometheus, workload: deployment/api, namespace: shop}}}\n");
        assertEquals("namespace=\"shop\",deployment=\"api\"", prom.deployment());
        assertNull(prom.workload());
    }

    @Test
    void badCapacityBlocksSayWhereAndWhatToWrite() throws IOException {
        Path f = YamlFixture.write(dir, "slo.yaml", OBJECTIVES + """
                    - {name: a, scaling: {below: 1m, capacity: {from: kube, workload: deployment/x, namespace: shop}}}
                    - {name: b, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: checkout, namespace: shop}}}
                    - {name: c, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: deployment/x}}}
                    - {name: d, scaling: {below: 1m, capacity: {from: prometheus, workload: statefulset/db, namespace: shop}}}
                    - {name: e, scaling: {below: 1m, deployment: 'deployment="x"', capacity: {from: kubernetes-api, workload: deployment/x, namespace: shop}}}
                    - {name: f, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: deployment/x, namespace: Shop_1}}}
                    - {name: g, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: deployment/x, namespace: shop, replicas: 3}}}
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadSlos(f));
        assertTrue(YamlFixture.expectOne(e, "unknown capacity source 'kube'", 6, 0).hint().contains("kubernetes-api"));
        assertTrue(YamlFixture.expectOne(e, "workload 'checkout' is not <kind>/<name>", 7, 0).hint().contains("deployment/checkout"));
        YamlFixture.expectOne(e, "needs 'namespace'", 8, 0);
        assertTrue(YamlFixture.expectOne(e, "only Deployments from kube-state-metrics", 9, 0).hint().contains("kubernetes-api"));
        YamlFixture.expectOne(e, "both deployment and capacity", 10, 0);
        YamlFixture.expectOne(e, "namespace 'Shop_1'", 11, 0);
        YamlFixture.expectOne(e, "unknown key 'replicas'", 12, 0);
        assertEquals(7, e.getProblems().size(), e.getMessage());
    }

    @Test
    void theKubernetesApiSourceNeedsTheScenariosKubernetesBlock() throws IOException {
        YamlFixture.write(dir, "slo/s.yaml", OBJECTIVES
                + "    - {name: pods, scaling: {below: 1m, capacity: {from: kubernetes-api, workload: deployment/checkout, namespace: shop}}}\n");
        ValidationException e = assertThrows(ValidationException.class, () -> loader.loadScenario(YamlFixture.write(dir, "s.yaml", SCENARIO)));
        Problem p = YamlFixture.expectOne(e, "SLO 'pods' (s.yaml line 6) reads replicas from the Kubernetes API", 5, 0);
        assertTrue(p.hint().contains("kubernetes: {"), p.hint());
        Scenario ok = loader.loadScenario(YamlFixture.write(dir, "k.yaml", SCENARIO + "  kubernetes: {allowedNamespaces: [shop]}\n"));
        assertEquals("checkout", ((SloDef.Scaling) ok.slos().get(0).indicator()).workload().name());
    }
}
