package dev.slogate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.fault.chaosmesh.ChaosKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesApi#CALLS}, the hand-written list of every API call slogate makes, against the two things it must
 * agree with: the RBAC slogate ships (every Role and ClusterRole under {@code k8s/} bound to slogate's service account)
 * and the code (every call site carries a marker comment such as {@code // pods list} or
 * {@code // apps replicasets get}). A call the code makes that is not granted fails a run with 403 on a real cluster;
 * a grant no code uses is privilege for nothing. Either way the three lists drift apart, and this test says where.
 */
class KubernetesApiRbacTest {
    private static final Path K8S = Path.of("k8s");
    private static final Path MAIN = Path.of("src/main/java");
    private static final String SERVICE_ACCOUNT = "slogate";
    /** Resources without a namespace: only a ClusterRole can grant them. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("nodes");
    private static final Set<String> VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
    /** {@code // [group] resource verb [+ verb]}: a call site's marker; {@code <kind>} stands for every Chaos Mesh kind. */
    private static final Pattern MARKER = Pattern.compile("//\\s*(?:([a-z][a-z-]*(?:\\.[a-z]+)+|apps|batch|autoscaling)\\s+)?(<kind>|[a-z]+(?:/[a-z]+)?)"
            + "\\s+(" + String.join("|", VERBS) + ")(?:\\s*\\+\\s*(" + String.join("|", VERBS) + "))?\\b");

    /** One grant: the call, where it holds (a namespace, or null for the whole cluster), and the role that grants it. */
    record Grant(KubernetesApi.Call call, String namespace, String role) {
    }

    @Test
    void everyCallSlogateMakesIsGrantedAndEveryGrantIsACallItMakes() throws IOException {
        Set<KubernetesApi.Call> granted = new LinkedHashSet<>();
        grants().forEach(g -> granted.add(g.call()));
        Set<KubernetesApi.Call> table = new LinkedHashSet<>(KubernetesApi.CALLS);
        assertEquals(table.size(), KubernetesApi.CALLS.size(), "KubernetesApi.CALLS lists a call twice");
        assertEquals(Set.of(), minus(table, granted), "in KubernetesApi.CALLS but granted by no Role or ClusterRole under k8s/ bound to "
                + SERVICE_ACCOUNT + " (a run would fail with 403 there)");
        assertEquals(Set.of(), minus(granted, table), "granted under k8s/ but not in KubernetesApi.CALLS (drop the grant, or list the call)");
    }

    @Test
    void everyCallInTheTableHasACallSiteAndEveryCallSiteIsInTheTable() throws IOException {
        Set<KubernetesApi.Call> marked = markedCalls();
        Set<KubernetesApi.Call> table = new LinkedHashSet<>(KubernetesApi.CALLS);
        assertEquals(Set.of(), minus(table, marked), "in KubernetesApi.CALLS but no call site in src/main/java is marked with it"
                + " (an unused permission: remove it from KubernetesApi and k8s/rbac.yaml, or mark the call site: // resource verb)");
        assertEquals(Set.of(), minus(marked, table), "marked at a call site but missing from KubernetesApi.CALLS (and so from k8s/rbac.yaml)");
    }

    @Test
    void grantsHoldWhereTheCallsGoAndNoWider() throws IOException {
        List<Grant> grants = grants();
        for (Grant g : grants) {
            boolean clusterScoped = CLUSTER_SCOPED.contains(g.call().resource());
            assertEquals(clusterScoped, g.namespace() == null, g.role() + " grants " + g.call() + (clusterScoped
                    ? " in one namespace, but the resource has none: grant it in a ClusterRole"
                    : " in every namespace: grant it in a Role of the namespace it is needed in (least privilege)"));
        }
        // the fleet's Job and its pods in slogate's own namespace, and nothing else there
        Set<KubernetesApi.Call> own = new LinkedHashSet<>();
        grants.stream().filter(g -> SERVICE_ACCOUNT.equals(g.namespace())).forEach(g -> own.add(g.call()));
        assertEquals(new LinkedHashSet<>(KubernetesApi.FLEET_CALLS), own, "the Role in slogate's namespace and KubernetesApi.FLEET_CALLS");
        // jobs only there: faults never create Jobs where they break things
        grants.stream().filter(g -> g.call().resource().equals("jobs"))
                .forEach(g -> assertEquals(SERVICE_ACCOUNT, g.namespace(), g.role() + " grants jobs outside slogate's namespace"));
    }

    @Test
    void theMarkerReadsTheWaysCallSitesAreWritten() {
        assertEquals(List.of(new KubernetesApi.Call("", "nodes", "get"), new KubernetesApi.Call("", "nodes", "patch")),
                calls("client.nodes().withName(node).edit(n -> x); // nodes get + patch"));
        assertEquals(List.of(new KubernetesApi.Call("apps", "replicasets", "get")), calls("x.get(); // apps replicasets get"));
        assertEquals(List.of(new KubernetesApi.Call("", "pods", "list")), calls("x.list(); // pods list (all namespaces, force only)"));
        assertEquals(List.of(new KubernetesApi.Call("", "pods/eviction", "create")), calls("x.create(); // pods/eviction create"));
        assertEquals(ChaosKind.values().length, calls("post( // chaos-mesh.org <kind> create").size());
        assertEquals(List.of(), calls("// the pods list is read once a second"), "prose is no marker");
        assertEquals(List.of(), calls("// we delete what we made"), "prose is no marker");
        assertEquals(List.of(new KubernetesApi.Call("", "services", "list")), calls("// services list"), "a call the table lacks is still read");
    }

    // ---- the manifests ---------------------------------------------------------------------------------------------

    /** Every rule of every Role and ClusterRole under k8s/, each bound to slogate's service account. */
    private static List<Grant> grants() throws IOException {
        List<HasMetadata> objects = manifests();
        Set<String> bound = new TreeSet<>(); // "Role ns/name" or "ClusterRole name"
        for (HasMetadata o : objects) {
            if (o instanceof RoleBinding b && toServiceAccount(b.getSubjects())) {
                RoleRef ref = b.getRoleRef();
                bound.add(ref.getKind().equals("ClusterRole") ? "ClusterRole " + ref.getName() : "Role " + b.getMetadata().getNamespace() + "/" + ref.getName());
            } else if (o instanceof ClusterRoleBinding b && toServiceAccount(b.getSubjects())) {
                bound.add("ClusterRole " + b.getRoleRef().getName());
            }
        }
        List<Grant> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            String role;
            List<PolicyRule> rules;
            String ns;
            if (o instanceof Role r) {
                role = "Role " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
                rules = r.getRules();
                ns = r.getMetadata().getNamespace();
            } else if (o instanceof ClusterRole c) {
                role = "ClusterRole " + c.getMetadata().getName();
                rules = c.getRules();
                ns = null;
            } else {
                continue;
            }
            assertTrue(bound.contains(role), role + " is bound to no subject " + SERVICE_ACCOUNT + "/" + SERVICE_ACCOUNT + "; bound: " + bound);
            for (PolicyRule rule : rules) {
                assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), role + ": resourceNames are not modelled here");
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            assertFalse(group.equals("*") || resource.equals("*") || verb.equals("*"), "wildcard in " + role + ": " + rule);
                            out.add(new Grant(new KubernetesApi.Call(group, resource, verb), ns, role));
                        }
                    }
                }
            }
        }
        assertFalse(out.isEmpty(), "no Role or ClusterRole under " + K8S.toAbsolutePath());
        return out;
    }

    private static boolean toServiceAccount(List<Subject> subjects) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && SERVICE_ACCOUNT.equals(s.getName())
                && SERVICE_ACCOUNT.equals(s.getNamespace()));
    }

    private static List<HasMetadata> manifests() throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    Object o = Serialization.unmarshal(in);
                    if (o instanceof List<?> l) {
                        l.forEach(x -> out.add((HasMetadata) x));
                    } else {
                        out.add((HasMetadata) o);
                    }
                }
            }
        }
        return out;
    }

    // ---- the code ----------------------------------------------------------------------------------------------------

    private static Set<KubernetesApi.Call> markedCalls() throws IOException {
        Set<KubernetesApi.Call> out = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.addAll(calls(line));
                }
            }
        }
        return out;
    }

    /** The calls a line's marker names; the group is the one the table gives the resource when the marker leaves it out. */
    private static List<KubernetesApi.Call> calls(String line) {
        int comment = line.indexOf("//");
        if (comment < 0) {
            return List.of();
        }
        Matcher m = MARKER.matcher(line.substring(comment));
        if (!m.lookingAt()) {
            return List.of();
        }
        List<String> resources = m.group(2).equals("<kind>") ? Arrays.stream(ChaosKind.values()).map(ChaosKind::plural).toList() : List.of(m.group(2));
        List<KubernetesApi.Call> out = new ArrayList<>();
        for (String resource : resources) {
            String group = m.group(1) != null ? m.group(1) : groupOf(resource);
            if (group == null) {
                continue; // not a resource: prose, not a marker
            }
            out.add(new KubernetesApi.Call(group, resource, m.group(3)));
            if (m.group(4) != null) {
                out.add(new KubernetesApi.Call(group, resource, m.group(4)));
            }
        }
        return out;
    }

    /**
     * The API group of each resource a marker may name without one: the table's, and the common resources of the
     * core and apps groups (so a marker for a call the table lacks is caught, while prose such as "we delete" is not a
     * marker).
     */
    private static final Map<String, String> GROUPS = groups();

    private static Map<String, String> groups() {
        Map<String, String> g = new LinkedHashMap<>();
        for (String core : List.of("pods", "pods/eviction", "pods/log", "pods/exec", "nodes", "services", "endpoints", "configmaps", "secrets",
                "events", "namespaces", "serviceaccounts", "persistentvolumeclaims")) {
            g.put(core, "");
        }
        for (String apps : List.of("deployments", "statefulsets", "daemonsets", "replicasets")) {
            g.put(apps, "apps");
        }
        KubernetesApi.CALLS.forEach(c -> g.put(c.resource(), c.group()));
        return g;
    }

    private static String groupOf(String resource) {
        return GROUPS.get(resource);
    }

    private static <T> Set<T> minus(Set<T> a, Set<T> b) {
        Set<T> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
