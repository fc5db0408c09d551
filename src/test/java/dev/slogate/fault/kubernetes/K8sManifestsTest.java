package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cluster.KubernetesApi;
import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every manifest in k8s/ parses as typed Kubernetes objects, and the RBAC grants exactly the calls slogate makes. */
class K8sManifestsTest {
    private static final Path K8S = Path.of("k8s");

    static List<HasMetadata> objects(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            Object o = Serialization.unmarshal(in);
            List<HasMetadata> out = new ArrayList<>();
            if (o instanceof List<?> l) {
                l.forEach(x -> out.add((HasMetadata) x));
            } else {
                out.add((HasMetadata) o);
            }
            return out;
        }
    }

    static List<HasMetadata> all() throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.addAll(objects(f));
            }
        }
        return out;
    }

    @Test
    void everyManifestIsATypedKubernetesObject() throws Exception {
        List<HasMetadata> objects = all();
        List<String> kinds = objects.stream().map(HasMetadata::getKind).sorted().distinct().toList();
        assertEquals(List.of("ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "Namespace",
                "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"), kinds);
        for (HasMetadata o : objects) {
            assertFalse(o instanceof GenericKubernetesResource, "not a known Kubernetes type: " + o.getKind() + " " + o.getMetadata().getName());
            assertTrue(o.getMetadata().getName() != null && !o.getMetadata().getName().isBlank());
        }
        List<Job> jobs = objects.stream().filter(Job.class::isInstance).map(Job.class::cast).toList();
        assertEquals(2, jobs.size());
        // the gate runs as slogate's service account; the injector pods have no token at all
        assertTrue(jobs.stream().filter(j -> j.getSpec().getCompletionMode() == null)
                .allMatch(j -> "slogate".equals(j.getSpec().getTemplate().getSpec().getServiceAccountName())));
        assertTrue(jobs.stream().filter(j -> "Indexed".equals(j.getSpec().getCompletionMode()))
                .allMatch(j -> Boolean.FALSE.equals(j.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())));
        assertTrue(jobs.stream().anyMatch(j -> "Indexed".equals(j.getSpec().getCompletionMode())));
        assertTrue(jobs.stream().allMatch(j -> j.getSpec().getBackoffLimit() == 0), "a failed gate is not retried");
    }

    @Test
    void rbacGrantsExactlyTheCallsTheCodeMakesWithoutWildcards() throws Exception {
        Set<KubernetesApi.Call> granted = new HashSet<>();
        Set<KubernetesApi.Call> fleet = new HashSet<>();
        for (HasMetadata o : objects(K8S.resolve("rbac.yaml"))) {
            List<PolicyRule> rules = o instanceof Role r ? r.getRules() : o instanceof ClusterRole c ? c.getRules() : List.of();
            Set<KubernetesApi.Call> inThisRole = new HashSet<>(); // one call may be granted in two namespaces' Roles
            for (PolicyRule rule : rules) {
                for (List<String> l : List.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())) {
                    assertFalse(l.contains("*"), "wildcard in " + o.getMetadata().getName() + ": " + rule);
                }
                for (String g : rule.getApiGroups()) {
                    for (String res : rule.getResources()) {
                        for (String v : rule.getVerbs()) {
                            KubernetesApi.Call call = new KubernetesApi.Call(g, res, v);
                            assertTrue(inThisRole.add(call), "granted twice in " + o.getMetadata().getName() + ": " + call);
                            granted.add(call);
                            if (o.getMetadata().getName().equals("slogate-fleet")) {
                                fleet.add(call);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(new HashSet<>(KubernetesApi.CALLS), granted, "k8s/rbac.yaml and KubernetesApi.CALLS differ");
        assertEquals(new HashSet<>(KubernetesApi.FLEET_CALLS), fleet, "the Role slogate-fleet and KubernetesApi.FLEET_CALLS differ");
        assertTrue(KubernetesApi.CALLS.containsAll(KubernetesApi.FLEET_CALLS));
        for (HasMetadata o : objects(K8S.resolve("rbac.yaml"))) {
            if (o instanceof RoleBinding b) {
                assertEquals("slogate", b.getSubjects().get(0).getName());
                assertEquals("slogate", b.getSubjects().get(0).getNamespace());
            }
        }
    }

    @Test
    void theConfigMapsScenarioValidates(@TempDir Path dir) throws Exception {
        ConfigMap cm = (ConfigMap) objects(K8S.resolve("configmap.yaml")).get(0);
        for (var e : cm.getData().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        Scenario s = new ExperimentLoader().loadScenario(dir.resolve("checkout-gameday.yaml"));
        assertTrue(s.kubernetes().inCluster());
        assertEquals(List.of("shop"), s.kubernetes().allowedNamespaces());
        assertEquals(2, s.faults().size());
        assertTrue(s.faults().stream().allMatch(f -> f.fault().backendOrLocal().onCluster()));
    }
}
