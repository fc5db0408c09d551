package dev.slogate.experiment;

import java.nio.file.Path;
import java.util.List;

/**
 * A scenario's {@code kubernetes:} block: how to reach the cluster and where faults may go. Credentials are not
 * here: they stay in the kubeconfig (or the pod's service account), which slogate reads but never copies.
 *
 * @param kubeconfig        the kubeconfig file, or null for the default ($KUBECONFIG, ~/.kube/config)
 * @param inCluster         use the service account of the pod slogate runs in
 * @param context           kubeconfig context, or null for its current one
 * @param allowedNamespaces the only namespaces a fault may touch
 * @param chaosMesh         where Chaos Mesh runs, or null when it is not used
 * @param allowCloudFaults  whether faults may stop cloud machines (aws-ec2-stop, gcp-node-stop, azure-vm-stop)
 */
public record KubernetesSettings(Path kubeconfig, boolean inCluster, String context, List<String> allowedNamespaces, ChaosMesh chaosMesh,
                                 boolean allowCloudFaults) {
    public static final String CHAOS_MESH_DEFAULT_NAMESPACE = "chaos-mesh";
    public static final String DEFAULT_TOKEN_ENV = "SLOGATE_CHAOS_MESH_TOKEN";

    public KubernetesSettings {
        allowedNamespaces = List.copyOf(allowedNamespaces);
    }

    public KubernetesSettings(Path kubeconfig, boolean inCluster, String context, List<String> allowedNamespaces, ChaosMesh chaosMesh) {
        this(kubeconfig, inCluster, context, allowedNamespaces, chaosMesh, false);
    }

    /**
     * @param dashboardUrl the Chaos Dashboard, or null to use the API server's custom-resource endpoints
     * @param tokenEnv     the environment variable holding the dashboard's bearer token (its name, never its value)
     */
    public record ChaosMesh(String namespace, String dashboardUrl, String tokenEnv) {
        public ChaosMesh {
            tokenEnv = tokenEnv == null ? DEFAULT_TOKEN_ENV : tokenEnv;
        }

        public ChaosMesh(String namespace, String dashboardUrl) {
            this(namespace, dashboardUrl, null);
        }
    }

    /** The namespace Chaos Mesh itself runs in (refused as a target unless forced). */
    public String chaosMeshNamespace() {
        return chaosMesh == null ? CHAOS_MESH_DEFAULT_NAMESPACE : chaosMesh.namespace();
    }
}
