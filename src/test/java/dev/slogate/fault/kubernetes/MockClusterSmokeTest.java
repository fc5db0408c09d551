package dev.slogate.fault.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class MockClusterSmokeTest {
    KubernetesClient client;

    @Test
    void fabric8OverOkHttp5TalksToTheCrudMock() {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("p1").addToLabels("app", "x").endMetadata().build()).create();
        assertEquals(1, client.pods().inNamespace("shop").withLabel("app", "x").list().getItems().size());
        assertEquals("OkHttpClientImpl", client.getHttpClient().getClass().getSimpleName());
    }
}
