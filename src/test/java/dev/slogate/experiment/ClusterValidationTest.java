package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.fault.types.MemoryStress;
import dev.slogate.fault.types.NetworkDelay;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes and Chaos Mesh keys: each loads into the model, and each bad value is reported at its line. */
class ClusterValidationTest {
    /** Lines 1-4; the spec body starts on line 5. */
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    /** Lines 5-11 of every scenario below: a url target, load, and a cluster allowing namespace shop. */
    private static final String BODY = """
              target: {url: http://127.0.0.1:8080}
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
              kubernetes:
                kubeconfig: kube/config
                allowedNamespaces: [shop, chaos-mesh, kube-system]
            """;
    /** The line the first fault item is on (line 12 says "faults:"). */
    private static final int FAULT = 13;

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        return YamlFixture.write(dir, name, yaml);
    }

    private Scenario load(String faults) throws IOException {
        return new ExperimentLoader().loadScenario(write("s.yaml", HEAD + BODY + "  faults:\n" + faults));
    }

    private ValidationException fails(String faults) throws IOException {
        Path s = write("s.yaml", HEAD + BODY + "  faults:\n" + faults);
        return assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s));
    }

    private ValidationException failsWhole(String spec) throws IOException {
        Path s = write("s.yaml", HEAD + spec);
        return assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s));
    }

    private static Problem expect(ValidationException e, String part, int line) {
        return YamlFixture.expectOne(e, part, line, 0);
    }

    private static String inline(String fault) {
        return "    - name: f\n      at: 10s\n      fault: " + fault + "\n";
    }

    @Test
    void podKillOnTheClusterLoadsWithNamespaceFieldsCapsAndGrace() throws IOException {
        Scenario s = load(inline("{type: pod-kill, selector: {namespace: shop, labels: {app: checkout}, fields: {status.phase: Running},"
                + " mode: fixed-percent, value: 30}, maxPercent: 40, gracePeriod: 5s}"));
        FaultSpec f = s.faults().get(0).fault();
        assertEquals(Backend.KUBERNETES, f.backend(), "a url target with a kubernetes block defaults to the API");
        assertEquals(new Selector.Scope("shop", Map.of("status.phase", "Running"), List.of(), null, null, null), f.selector().scope());
        assertEquals(40, f.cluster().maxPercent());
        assertEquals(Duration.ofSeconds(5), f.options().podRemoval().gracePeriod());
        KubernetesSettings k = s.kubernetes();
        assertEquals(dir.resolve("kube/config"), k.kubeconfig());
        assertEquals(List.of("shop", "chaos-mesh", "kube-system"), k.allowedNamespaces());
        assertEquals("chaos-mesh", k.chaosMeshNamespace());
    }

    @Test
    void nodeFaultsChooseNodesByNameRunningPodOrZone() throws IOException {
        Scenario s = load(inline("{type: node-kill, selector: {nodes: [worker-2], mode: one}, duration: 20s}")
                + inline("{type: node-kill, selector: {runningPod: {namespace: shop, labels: {app: db}}, mode: all}, duration: 20s}").replace("name: f", "name: g").replace("at: 10s", "at: 31s")
                + inline("{type: zone-outage, selector: {zone: eu-west-1b, mode: all}, duration: 5s, force: true}").replace("name: f", "name: h").replace("at: 10s", "at: 52s"));
        assertEquals(List.of("worker-2"), s.faults().get(0).fault().selector().scope().nodes());
        assertEquals(Map.of("app", "db"), s.faults().get(1).fault().selector().scope().runningPod().labels());
        assertEquals("eu-west-1b", s.faults().get(2).fault().selector().scope().zone());
        assertTrue(s.faults().get(2).fault().cluster().force());
    }

    @Test
    void chaosMeshFaultsLoadTheirOptions() throws IOException {
        Scenario s = load(inline("{type: network-delay, selector: {namespace: shop, labels: {app: a}, mode: all}, duration: 5s, latency: 100ms,"
                + " jitter: 10ms, direction: both, target: {namespace: shop, labels: {app: db}}}")
                + inline("{type: memory-stress, selector: {namespace: shop, labels: {app: a}, mode: one}, duration: 5s, workers: 2, size: 256MB}")
                        .replace("name: f", "name: g").replace("at: 10s", "at: 20s"));
        FaultSpec d = s.faults().get(0).fault();
        assertEquals(Backend.CHAOS_MESH, d.backend(), "only Chaos Mesh delays packets");
        assertEquals("both", d.options().peer().direction());
        assertEquals(Duration.ofMillis(10), d.options(NetworkDelay.Options.class).jitter());
        assertEquals("shop", d.options().peer().target().scope().namespace());
        assertEquals("256MB", s.faults().get(1).fault().options(MemoryStress.Options.class).size());
        assertEquals(2, s.faults().get(1).fault().options(MemoryStress.Options.class).workers());
    }

    @Test
    void theSandboxPathIsUnchanged() throws IOException {
        Path p = write("sb.yaml", HEAD + """
                  load:
                    stages: [{hold: {rps: 10, duration: 60s}}]
                    requests: [{path: /}]
                  faults:
                    - {name: f, at: 10s, fault: {type: pod-kill, selector: {labels: {region: a}, mode: one}}}
                """);
        Scenario s = new ExperimentLoader().loadScenario(p);
        assertNull(s.faults().get(0).fault().backend());
        assertEquals(Backend.LOCAL, s.faults().get(0).fault().backendOrLocal());
        assertEquals(Selector.Scope.NONE, s.faults().get(0).fault().selector().scope());
        assertNull(s.kubernetes());
    }

    @Test
    void unknownBackendAndBackendThatCannotInject() throws IOException {
        expect(fails(inline("{type: pod-kill, backend: kubernets, selector: {namespace: shop, labels: {app: a}, mode: one}}")),
                "unknown backend 'kubernets'; did you mean 'kubernetes'?", FAULT + 2);
        Problem p = expect(fails(inline("{type: network-loss, backend: kubernetes, loss: 10%, duration: 5s, selector: {namespace: shop, labels: {app: a}, mode: one}}")),
                "backend kubernetes cannot inject network-loss", FAULT + 2);
        assertEquals("write backend: chaos-mesh", p.hint());
        expect(fails("    - {name: f, at: 10s, backend: local, fault: {type: zone-outage, selector: {zone: z, mode: all}, duration: 5s}}\n"),
                "backend local cannot inject zone-outage", FAULT);
    }

    @Test
    void namespaceMustBeAllowedAndNamedAndProtectedOnesNeedForce() throws IOException {
        expect(fails(inline("{type: pod-kill, selector: {namespace: billing, labels: {app: a}, mode: one}}")),
                "touches namespace 'billing', which spec.kubernetes.allowedNamespaces does not list", FAULT);
        expect(fails(inline("{type: pod-kill, selector: {labels: {app: a}, mode: one}}")), "names no namespace", FAULT);
        expect(fails(inline("{type: pod-kill, selector: {namespace: kube-system, labels: {app: a}, mode: one}}")),
                "touches namespace 'kube-system', which slogate refuses unless forced", FAULT);
        expect(fails(inline("{type: pod-kill, backend: chaos-mesh, selector: {namespace: chaos-mesh, labels: {app: a}, mode: one}}")),
                "touches namespace 'chaos-mesh', which slogate refuses unless forced", FAULT);
        expect(fails(inline("{type: pod-kill, selector: {namespace: Shop!, labels: {app: a}, mode: one}}")), "is not a Kubernetes namespace name", FAULT + 2);
        load(inline("{type: pod-kill, force: true, selector: {namespace: kube-system, labels: {app: a}, mode: one}}"));
    }

    @Test
    void selectorKeysOnlyWhereTheyMeanSomething() throws IOException {
        expect(fails(inline("{type: pod-kill, selector: {namespace: shop, labels: {app: a}, zone: z, mode: one}}")), "zone only applies to zone-outage", FAULT + 2);
        expect(fails(inline("{type: pod-kill, selector: {namespace: shop, labels: {app: a}, region: r, mode: one}}")), "region only applies to region-outage", FAULT + 2);
        expect(fails(inline("{type: pod-kill, selector: {namespace: shop, labels: {app: a}, nodes: [n1], mode: one}}")), "nodes only applies to node-kill", FAULT + 2);
        expect(fails(inline("{type: zone-outage, selector: {mode: all}, duration: 5s}")), "zone-outage needs zone", FAULT + 2);
        expect(fails(inline("{type: node-kill, selector: {namespace: shop, nodes: [n1], mode: one}, duration: 5s}")), "namespace has no meaning for node-kill", FAULT + 2);
        expect(fails(inline("{type: node-kill, selector: {nodes: [], mode: one}, duration: 5s}")), "nodes is empty", FAULT + 2);
        expect(fails(inline("{type: node-kill, selector: {runningPod: {namespace: shop}, mode: one}, duration: 5s}")), "runningPod needs labels", FAULT + 2);
        expect(fails(inline("{type: pod-kill, selector: {namespace: shop, labels: {app: a}, fields: [x], mode: one}}")), "fields must be a map", FAULT + 2);
    }

    @Test
    void clusterOptionsAreCheckedPerType() throws IOException {
        String sel = "selector: {namespace: shop, labels: {app: a}, mode: one}";
        expect(fails(inline("{type: pod-kill, " + sel + ", maxPercent: 150}")), "maxPercent is 150", FAULT + 2);
        expect(fails(inline("{type: pod-kill, " + sel + ", force: maybe}")), "force must be true or false", FAULT + 2);
        expect(fails(inline("{type: pod-kill, " + sel + ", gracePeriod: 5}")), "gracePeriod: 5 has no unit", FAULT + 2);
        expect(fails(inline("{type: container-kill, " + sel + "}")), "needs 'containers'", FAULT + 2);
        expect(fails(inline("{type: pod-kill, " + sel + ", containers: [app]}")), "containers only applies to container-kill", FAULT + 2);
        expect(fails(inline("{type: network-loss, " + sel + ", duration: 5s, loss: 10%, direction: sideways}")), "unknown direction 'sideways'", FAULT + 2);
        expect(fails(inline("{type: network-partition, " + sel + ", duration: 5s}")), "network-partition needs target", FAULT + 2);
        expect(fails(inline("{type: network-partition, " + sel + ", duration: 5s, target: {labels: {app: db}}}")), "spec.faults[0].fault.target needs 'namespace'", FAULT + 2);
        expect(fails(inline("{type: network-loss, " + sel + ", duration: 5s}")), "needs 'loss'", FAULT + 2);
        expect(fails(inline("{type: network-delay, " + sel + ", duration: 5s, latency: 1s, jitter: lots}")), "jitter", FAULT + 2);
        expect(fails(inline("{type: network-bandwidth, " + sel + ", duration: 5s, bandwidth: fast}")), "bandwidth 'fast' is not a rate", FAULT + 2);
        expect(fails(inline("{type: cpu-stress, " + sel + ", duration: 5s, workers: 0}")), "workers must be 1 or more", FAULT + 2);
        expect(fails(inline("{type: cpu-stress, " + sel + ", duration: 5s, load: 300}")), "load is 300", FAULT + 2);
        expect(fails(inline("{type: memory-stress, " + sel + ", duration: 5s, size: lots}")), "size 'lots' is not a memory size", FAULT + 2);
        expect(fails(inline("{type: pod-kill, " + sel + ", size: 1GB}")), "size only applies to memory-stress", FAULT + 2);
    }

    @Test
    void kubernetesBlockKeys() throws IOException {
        String target = "  target: {url: http://127.0.0.1:8080}\n  load: {stages: [{hold: {rps: 1, duration: 9s}}], requests: [{path: /}]}\n";
        expect(failsWhole(target + "  kubernetes: {kubeconfig: k, inCluster: true, allowedNamespaces: [a]}\n"), "both kubeconfig and inCluster", 7);
        expect(failsWhole(target + "  kubernetes: {kubeconfig: k}\n"), "spec.kubernetes needs 'allowedNamespaces'", 7);
        expect(failsWhole(target + "  kubernetes: {allowedNamespaces: []}\n"), "allowedNamespaces is empty", 7);
        expect(failsWhole(target + "  kubernetes: {allowedNamespaces: [a], chaosMesh: {dashboardUrl: ftp://x}}\n"), "dashboardUrl 'ftp://x' is not an http(s) URL", 7);
        expect(failsWhole(target + "  kubernetes: {allowedNamespaces: [a], contxt: c}\n"), "unknown key 'contxt' in spec.kubernetes; did you mean 'context'?", 7);
        expect(failsWhole(target + "  kubernetes: {allowedNamespaces: [a], chaosMesh: {namespce: x}}\n"), "unknown key 'namespce'", 7);
        expect(failsWhole(target + "  kubernetes: {allowedNamespaces: [a], inCluster: 1}\n"), "inCluster must be true or false", 7);
    }

    @Test
    void clusterFaultsNeedTheKubernetesBlockAndLocalFaultsNeedTheSandbox() throws IOException {
        String sandbox = "  load: {stages: [{hold: {rps: 1, duration: 60s}}], requests: [{path: /}]}\n  faults:\n";
        expect(failsWhole(sandbox + inline("{type: pod-kill, backend: kubernetes, selector: {namespace: shop, labels: {app: a}, mode: one}}")),
                "goes to kubernetes, but the scenario has no spec.kubernetes", 7);
        expect(failsWhole(sandbox + inline("{type: zone-outage, selector: {zone: z, mode: all}, duration: 5s}")),
                "only kubernetes injects, but the scenario has no spec.kubernetes", 7);
        expect(failsWhole(sandbox + inline("{type: pod-kill, maxPercent: 10, selector: {labels: {app: demo}, mode: one}}")),
                "uses Kubernetes settings", 7);
        String url = "  target: {url: http://127.0.0.1:8080}\n" + sandbox;
        expect(failsWhole(url + inline("{type: pod-kill, selector: {labels: {app: demo}, mode: one}}")), "runs on the local sandbox, but the target is a url", 8);
    }
}
