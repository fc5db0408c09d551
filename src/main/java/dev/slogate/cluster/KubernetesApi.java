package dev.slogate.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Every Kubernetes API call slogate makes, as RBAC sees it. {@code k8s/rbac.yaml} grants exactly these, and each is
 * made at a call site marked with a comment naming it ({@code // pods list}, {@code // apps replicasets get},
 * {@code // nodes get + patch}, {@code // chaos-mesh.org <kind> create} for every Chaos Mesh kind):
 * {@code KubernetesApiRbacTest} checks the three against each other, and the injector tests check that the requests
 * sent to the mock server are all listed here.
 */
public final class KubernetesApi {
    private KubernetesApi() {
    }

    /** One RBAC rule line: API group ("" is core), resource (with subresource), verb. */
    public record Call(String group, String resource, String verb) {
    }

    public static final String CHAOS_MESH_GROUP = "chaos-mesh.org";

    public static final List<Call> CALLS = List.of(
            new Call("", "pods", "list"),      // choose targets, count Ready replicas; the injector Job's pods (FLEET_CALLS)
            new Call("", "pods", "watch"),     // server-side recovery: replacement pods scheduled, started, Ready
            new Call("", "pods", "delete"),    // pod-kill, node-kill (pods of the node)
            new Call("", "pods/eviction", "create"), // the same with podRemoval: evict (PodDisruptionBudgets hold)
            new Call("", "nodes", "get"),      // node-kill by name
            new Call("", "nodes", "list"),     // node-kill by labels, zone/region outage, caps
            new Call("", "nodes", "patch"),    // cordon and uncordon
            new Call("apps", "replicasets", "get"),      // recovery notes name a ReplicaSet's pods by its Deployment
            new Call("apps", "deployments", "get"),      // scaling objective: the workload exists, its replicas
            new Call("apps", "deployments", "watch"),    // scaling objective: replicas desired vs ready as they change
            new Call("apps", "statefulsets", "get"),
            new Call("apps", "statefulsets", "watch"),
            new Call("autoscaling", "horizontalpodautoscalers", "get"), // its HPA's desiredReplicas, every second
            new Call(CHAOS_MESH_GROUP, "podchaos", "create"),
            new Call(CHAOS_MESH_GROUP, "podchaos", "get"),
            new Call(CHAOS_MESH_GROUP, "podchaos", "list"),
            new Call(CHAOS_MESH_GROUP, "podchaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "podchaos", "delete"),
            new Call(CHAOS_MESH_GROUP, "networkchaos", "create"),
            new Call(CHAOS_MESH_GROUP, "networkchaos", "get"),
            new Call(CHAOS_MESH_GROUP, "networkchaos", "list"),
            new Call(CHAOS_MESH_GROUP, "networkchaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "networkchaos", "delete"),
            new Call(CHAOS_MESH_GROUP, "stresschaos", "create"),
            new Call(CHAOS_MESH_GROUP, "stresschaos", "get"),
            new Call(CHAOS_MESH_GROUP, "stresschaos", "list"),
            new Call(CHAOS_MESH_GROUP, "stresschaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "stresschaos", "delete"),
            // cloud node stops (only when the scenario sets allowCloudFaults; listed for cleanup by run label)
            new Call(CHAOS_MESH_GROUP, "awschaos", "create"),
            new Call(CHAOS_MESH_GROUP, "awschaos", "get"),
            new Call(CHAOS_MESH_GROUP, "awschaos", "list"),
            new Call(CHAOS_MESH_GROUP, "awschaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "awschaos", "delete"),
            new Call(CHAOS_MESH_GROUP, "gcpchaos", "create"),
            new Call(CHAOS_MESH_GROUP, "gcpchaos", "get"),
            new Call(CHAOS_MESH_GROUP, "gcpchaos", "list"),
            new Call(CHAOS_MESH_GROUP, "gcpchaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "gcpchaos", "delete"),
            new Call(CHAOS_MESH_GROUP, "azurechaos", "create"),
            new Call(CHAOS_MESH_GROUP, "azurechaos", "get"),
            new Call(CHAOS_MESH_GROUP, "azurechaos", "list"),
            new Call(CHAOS_MESH_GROUP, "azurechaos", "patch"),
            new Call(CHAOS_MESH_GROUP, "azurechaos", "delete"),
            // the injector fleet (slogate run --injectors-on kubernetes), in the namespace of its Job
            new Call("batch", "jobs", "create"),   // the Indexed Job of injector pods
            new Call("batch", "jobs", "get"),      // its pod counts when an index does not connect
            new Call("batch", "jobs", "delete"));  // at the end, on Ctrl-C, by slogate cleanup

    /**
     * The injector fleet's calls, all in the namespace of its Job (the Role slogate-fleet grants exactly these; each is
     * also in {@link #CALLS}).
     */
    public static final List<Call> FLEET_CALLS = List.of(
            new Call("batch", "jobs", "create"),
            new Call("batch", "jobs", "get"),
            new Call("batch", "jobs", "delete"),
            new Call("", "pods", "list"));       // the Job's pods, once a second: why an index cannot start or ended

    /** What a refused or failed API call means, for a message: a 403 names the RBAC file to apply. */
    public static String explain(KubernetesClientException e) {
        return e.getCode() == 403 ? "forbidden (403): the service account lacks a permission; apply k8s/rbac.yaml"
                : e.getCode() == 401 ? "unauthorized (401): the kubeconfig's credentials were rejected"
                : e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getStatus().getMessage() : e.getMessage();
    }
}
