package dev.slogate.fault.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Eviction API answered as a real API server answers it, over fabric8's CRUD mock (which does not implement it: it
 * stores the POST as an object and answers 409 later). Expectations take precedence over the CRUD store, so each pod's
 * {@code pods/<name>/eviction} is answered here: 201 with a Success Status when allowed, 429 with the budget named in
 * {@code details.causes} when a PodDisruptionBudget refuses.
 */
public final class MockEvictions {
    /** What the API server answers an allowed eviction. */
    static final String SUCCESS = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}";

    private MockEvictions() {
    }

    static String path(String namespace, String pod) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/eviction";
    }

    /** A real API server's refusal: 429 TooManyRequests, the budget in details.causes. */
    static String refusal(String pdb) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Cannot evict pod as it would violate the pod's disruption budget.\",\"reason\":\"TooManyRequests\","
                + "\"details\":{\"causes\":[{\"reason\":\"DisruptionBudget\",\"message\":\"The disruption budget " + pdb
                + " needs 1 healthy pods and has 1 currently\"}]},\"code\":429}";
    }

    /**
     * Every eviction of {@code pod} is allowed (201), and then, as the API server does once the grace period is over, the
     * pod is deleted from the CRUD store (through {@code crud}, off the mock's request thread); each allowed eviction is
     * added to {@code evicted} ("ns/name").
     */
    public static void allowAndDelete(KubernetesMockServer server, KubernetesClient crud, String namespace, String pod, List<String> evicted) {
        server.expect().post().withPath(path(namespace, pod)).andReply(201, request -> {
            evicted.add(namespace + "/" + pod);
            CompletableFuture.runAsync(() -> crud.pods().inNamespace(namespace).withName(pod).delete());
            return SUCCESS;
        }).always();
    }

    /** Every eviction of {@code pod} is refused (429) by PodDisruptionBudget {@code pdb}; each refusal is added to {@code refused}. */
    public static void refuseAlways(KubernetesMockServer server, String namespace, String pod, String pdb, List<String> refused) {
        server.expect().post().withPath(path(namespace, pod)).andReply(429, request -> {
            refused.add(namespace + "/" + pod);
            return refusal(pdb);
        }).always();
    }

    /** A thread-safe list for the callbacks above. */
    public static List<String> log() {
        return new CopyOnWriteArrayList<>();
    }
}
