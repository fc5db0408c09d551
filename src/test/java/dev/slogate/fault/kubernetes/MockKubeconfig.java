package dev.slogate.fault.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file that points at fabric8's mock server with a dummy token, as a user's would point at a cluster. */
public final class MockKubeconfig {
    private MockKubeconfig() {
    }

    /** Writes {@code file}; {@code namespace} (may be null) becomes the context's default namespace. */
    public static Path write(Path file, KubernetesClient mockClient, String namespace) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: tester, user: {token: not-a-real-token}}]
                contexts: [{name: mock, context: {cluster: mock, user: tester%s}}]
                current-context: mock
                """.formatted(mockClient.getMasterUrl(), namespace == null ? "" : ", namespace: " + namespace));
        return file;
    }
}
