package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Chaos Mesh experiments through the Kubernetes API server's custom-resource endpoints
 * ({@code /apis/chaos-mesh.org/v1alpha1/namespaces/<ns>/<plural>}): create, get (with {@link ChaosStatus}), pause
 * (the {@code experiment.chaos-mesh.org/pause} annotation), delete, and delete every experiment of a run by label.
 * Authenticates like fabric8 ({@link #fromConfig}): bearer token and/or client certificates of the kubeconfig or the
 * service account. The token is sent, never logged or put in an exception message.
 */
public final class ChaosMeshClient implements ChaosTransport {
    public static final String GROUP = "chaos-mesh.org";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String PAUSE_ANNOTATION = "experiment.chaos-mesh.org/pause";
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpUrl apiServer;
    private final String bearerToken;
    private final OkHttpClient http;

    private ChaosMeshClient(Builder b) {
        this.apiServer = Objects.requireNonNull(HttpUrl.parse(b.apiServer), () -> "not an http(s) URL: " + Redaction.url(b.apiServer));
        this.bearerToken = b.bearerToken;
        this.http = b.http != null ? b.http : new OkHttpClient.Builder().callTimeout(b.timeout).build();
    }

    public static Builder builder(String apiServerUrl) {
        return new Builder(apiServerUrl);
    }

    /** Same endpoint, TLS and credentials as a fabric8 client built from {@code config}. */
    public static ChaosMeshClient fromConfig(Config config) {
        OkHttpClient.Builder http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30));
        if (config.getMasterUrl().startsWith("https")) {
            try {
                TrustManager[] trust = SSLUtils.trustManagers(config);
                SSLContext ssl = SSLUtils.sslContext(SSLUtils.keyManagers(config), trust);
                http.sslSocketFactory(ssl.getSocketFactory(), (X509TrustManager) trust[0]);
                if (config.isTrustCerts() || config.isDisableHostnameVerification()) {
                    http.hostnameVerifier((host, session) -> true);
                }
            } catch (Exception e) {
                throw new ChaosMeshException("cannot set up TLS to the API server from the kubeconfig (" + e.getClass().getSimpleName()
                        + "); check its certificate-authority and client certificate entries", e);
            }
        }
        String token = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
        Secrets.process().remember(token);
        return builder(config.getMasterUrl()).bearerToken(token).httpClient(http.build()).build();
    }

    public static final class Builder {
        private final String apiServer;
        private String bearerToken;
        private OkHttpClient http;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String apiServer) {
            this.apiServer = apiServer;
        }

        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        public Builder httpClient(OkHttpClient client) {
            this.http = client;
            return this;
        }

        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        public ChaosMeshClient build() {
            return new ChaosMeshClient(this);
        }
    }

    /** Creates {@code experiment} (apiVersion, kind, metadata.namespace set); returns the object as stored. */
    @Override
    public JsonNode create(ObjectNode experiment) {
        ChaosKind kind = ChaosKind.fromKind(experiment.path("kind").asText());
        String ns = experiment.path("metadata").path("namespace").asText();
        Request req = request(url(kind, ns, null)).post( // chaos-mesh.org <kind> create
                RequestBody.create(experiment.toString(), JSON_TYPE)).build();
        return send(req, "create " + kind.kind() + " " + ns + "/" + experiment.path("metadata").path("name").asText()).orElseThrow();
    }

    /** The experiment and its status, or empty when it does not exist. */
    public Optional<JsonNode> get(ChaosKind kind, String namespace, String name) {
        return send(request(url(kind, namespace, name)).get().build(), // chaos-mesh.org <kind> get
                "get " + kind.kind() + " " + namespace + "/" + name);
    }

    @Override
    public Optional<ChaosStatus> status(ChaosKind kind, String namespace, String name) {
        return get(kind, namespace, name).map(ChaosStatus::parse);
    }

    /** Pauses an experiment: Chaos Mesh recovers its targets and keeps the object (and its records). */
    @Override
    public void pause(ChaosKind kind, String namespace, String name) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").putObject("annotations").put(PAUSE_ANNOTATION, "true");
        send(request(url(kind, namespace, name)).patch( // chaos-mesh.org <kind> patch
                RequestBody.create(patch.toString(), MERGE_PATCH)).build(),
                "pause " + kind.kind() + " " + namespace + "/" + name);
    }

    /** Deletes an experiment (Chaos Mesh recovers what it still holds); a missing one is not an error. */
    @Override
    public void delete(ChaosKind kind, String namespace, String name) {
        send(request(url(kind, namespace, name)).delete().build(), // chaos-mesh.org <kind> delete
                "delete " + kind.kind() + " " + namespace + "/" + name);
    }

    /** Names ("Kind ns/name") of the experiments in {@code namespace} carrying {@code label=value}, of every kind slogate creates. */
    public List<String> list(String namespace, String label, String value) {
        List<String> out = new ArrayList<>();
        for (ChaosKind kind : ChaosKind.values()) {
            HttpUrl u = url(kind, namespace, null).newBuilder().addQueryParameter("labelSelector", label + "=" + value).build();
            Optional<JsonNode> found;
            try {
                found = send(request(u).get().build(), // chaos-mesh.org <kind> list
                        "list " + kind.plural() + " in " + namespace);
            } catch (ChaosMeshException e) {
                if (e.code() == 404 && kind.cloud()) {
                    continue; // an older Chaos Mesh without this cloud kind: nothing of it can exist
                }
                throw e;
            }
            found.ifPresent(list -> {
                for (JsonNode item : list.path("items")) {
                    out.add(kind.kind() + " " + namespace + "/" + item.path("metadata").path("name").asText());
                }
            });
        }
        return out;
    }

    /** Deletes every experiment of {@code namespace} labelled {@code label=value}; returns what it deleted. */
    @Override
    public List<String> deleteLabelled(String namespace, String label, String value) {
        List<String> deleted = new ArrayList<>();
        for (String k : list(namespace, label, value)) {
            String[] parts = k.split(" ", 2);
            String name = parts[1].substring(parts[1].indexOf('/') + 1);
            delete(ChaosKind.fromKind(parts[0]), namespace, name);
            deleted.add(k);
        }
        return deleted;
    }

    /** The API server transport reconnects from the cluster connection already journaled. */
    @Override
    public Map<String, String> journalData() {
        return Map.of();
    }

    private HttpUrl url(ChaosKind kind, String namespace, String name) {
        HttpUrl.Builder b = apiServer.newBuilder().addPathSegment("apis").addPathSegment(GROUP).addPathSegment(VERSION)
                .addPathSegment("namespaces").addPathSegment(namespace).addPathSegment(kind.plural());
        if (name != null) {
            b.addPathSegment(name);
        }
        return b.build();
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
        if (bearerToken != null && !bearerToken.isEmpty()) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        return b;
    }

    /** The JSON answer; empty on 404; a {@link ChaosMeshException} that says what to do on any other failure. */
    private Optional<JsonNode> send(Request req, String what) {
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            if (r.code() == 404) {
                if (body.contains("the server could not find the requested resource")) {
                    throw new ChaosMeshException(404, what + ": the API server does not know " + GROUP + "/" + VERSION
                            + "; install Chaos Mesh (helm install chaos-mesh chaos-mesh/chaos-mesh -n chaos-mesh --create-namespace)");
                }
                return Optional.empty();
            }
            if (!r.isSuccessful()) {
                String message = JSON.readTree(body.isEmpty() ? "{}" : body).path("message").asText(body);
                String hint = switch (r.code()) {
                    case 401 -> "; the kubeconfig's credentials were rejected";
                    case 403 -> "; the service account lacks this permission: apply k8s/rbac.yaml";
                    case 422 -> "; Chaos Mesh's webhook rejected the experiment";
                    default -> "";
                };
                throw new ChaosMeshException(r.code(), what + " failed: HTTP " + r.code() + " " + message + hint);
            }
            return Optional.of(body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new ChaosMeshException(what + ": cannot reach the API server at " + apiServer.host() + ":" + apiServer.port() + " (" + e.getMessage() + ")", e);
        }
    }
}
