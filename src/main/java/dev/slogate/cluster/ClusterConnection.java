package dev.slogate.cluster;

import dev.slogate.redact.Secrets;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.fault.FaultException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How slogate reaches a cluster: a kubeconfig file (and context) or the pod's service account. Only the path and the
 * context name are kept (in the journal, so {@code slogate cleanup} can reconnect): never the file's contents or tokens.
 */
public record ClusterConnection(Path kubeconfig, String context, boolean inCluster) {
    static final String KUBECONFIG = "kubeconfig";
    static final String CONTEXT = "context";
    static final String IN_CLUSTER = "inCluster";

    public static ClusterConnection of(KubernetesSettings s) {
        return new ClusterConnection(s.kubeconfig(), s.context(), s.inCluster());
    }

    /** The fabric8 configuration; its credentials stay inside it (and are remembered as {@link Secrets}, masked in every output). */
    public Config config() {
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new FaultException("cannot read the kubeconfig " + kubeconfig + ": write spec.kubernetes.kubeconfig as a path to a readable file");
            }
            return remembered(Config.fromKubeconfig(context, kubeconfig.toFile()));
        }
        if (inCluster && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
            throw new FaultException("spec.kubernetes.inCluster is true but slogate does not run in a pod (no KUBERNETES_SERVICE_HOST); "
                    + "use kubeconfig: outside the cluster");
        }
        return remembered(Config.autoConfigure(context));
    }

    private static Config remembered(Config c) {
        Secrets s = Secrets.process();
        s.remember(c.getOauthToken());
        s.remember(c.getAutoOAuthToken());
        s.remember(c.getPassword());
        s.remember(c.getClientKeyData());
        s.rememberUrl(c.getMasterUrl());
        return c;
    }

    /** A fabric8 client over OkHttp (the project's one HTTP stack). */
    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).withHttpClientFactory(new OkHttpClientFactory()).build();
    }

    /** What to journal: enough to reconnect, nothing secret. */
    public Map<String, String> journalData() {
        Map<String, String> m = new HashMap<>();
        if (kubeconfig != null) {
            m.put(KUBECONFIG, kubeconfig.toAbsolutePath().toString());
        }
        if (context != null) {
            m.put(CONTEXT, context);
        }
        m.put(IN_CLUSTER, String.valueOf(inCluster));
        return m;
    }

    public static ClusterConnection fromJournal(Map<String, String> d) {
        return new ClusterConnection(d.containsKey(KUBECONFIG) ? Path.of(d.get(KUBECONFIG)) : null, d.get(CONTEXT),
                Boolean.parseBoolean(d.get(IN_CLUSTER)));
    }

    /** For messages: where, never how it authenticates. */
    public String describe() {
        return inCluster ? "the in-cluster service account" : "kubeconfig " + (kubeconfig == null ? "(default)" : kubeconfig)
                + (context == null ? "" : " context " + context);
    }
}
