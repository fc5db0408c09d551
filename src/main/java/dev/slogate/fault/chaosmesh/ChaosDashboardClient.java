package dev.slogate.fault.chaosmesh;

import dev.slogate.redact.Redaction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.KubernetesSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The Chaos Dashboard's REST API ({@code /api/experiments}), for clusters where slogate may talk to the dashboard but
 * not to the API server: list experiments, create one (the same object {@link ChaosExperiments} builds), pause and
 * delete by uid. The dashboard acts with the bearer token it is given (a service account token; slogate reads it
 * from {@code $SLOGATE_CHAOS_MESH_TOKEN}, never from a file it writes or a log).
 * <p>A run uses it through {@link ChaosDashboardTransport} when the scenario sets {@code kubernetes.chaosMesh.dashboardUrl}.
 */
public final class ChaosDashboardClient {
    public static final String TOKEN_ENV = KubernetesSettings.DEFAULT_TOKEN_ENV; // one default for both transports
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** One row of {@code GET /api/experiments}; {@code status} is the dashboard's word (injecting, running, paused, finished). */
    public record Experiment(String uid, String kind, String namespace, String name, String status) {
    }

    private final HttpUrl base;
    private final String token;
    private final String tokenEnv;
    private final OkHttpClient http;

    public ChaosDashboardClient(String dashboardUrl, String token, Duration timeout) {
        this(dashboardUrl, token, TOKEN_ENV, timeout);
    }

    /** @param tokenEnv the name of the variable the token came from, for messages (the token itself is never shown) */
    public ChaosDashboardClient(String dashboardUrl, String token, String tokenEnv, Duration timeout) {
        this.base = Objects.requireNonNull(HttpUrl.parse(dashboardUrl), () -> "not an http(s) URL: " + Redaction.url(dashboardUrl));
        this.token = token;
        this.tokenEnv = tokenEnv;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).build();
    }

    public String url() {
        return base.toString();
    }

    public List<Experiment> list(String namespace) {
        return list(url("api", "experiments").newBuilder().addQueryParameter("namespace", namespace).build(), "list experiments in " + namespace);
    }

    /** The experiment of that kind, namespace and name (the dashboard filters live from the cluster), if any. */
    public Optional<Experiment> find(String kind, String namespace, String name) {
        HttpUrl u = url("api", "experiments").newBuilder().addQueryParameter("namespace", namespace).addQueryParameter("kind", kind)
                .addQueryParameter("name", name).build();
        return list(u, "find " + kind + " " + namespace + "/" + name).stream()
                .filter(e -> e.kind().equals(kind) && e.namespace().equals(namespace) && e.name().equals(name)).findFirst();
    }

    /** The labels of an experiment ({@code GET /api/experiments/<uid>}: kube_object.metadata.labels). */
    public Map<String, String> labels(String uid) {
        JsonNode labels = send(new Request.Builder().url(url("api", "experiments", uid)).get(), "get experiment " + uid)
                .path("kube_object").path("metadata").path("labels");
        Map<String, String> out = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private List<Experiment> list(HttpUrl u, String what) {
        List<Experiment> out = new ArrayList<>();
        for (JsonNode e : send(new Request.Builder().url(u).get(), what)) {
            out.add(new Experiment(e.path("uid").asText(), e.path("kind").asText(), e.path("namespace").asText(), e.path("name").asText(),
                    e.path("status").asText()));
        }
        return out;
    }

    public JsonNode create(ObjectNode experiment) {
        return send(new Request.Builder().url(url("api", "experiments")).post(RequestBody.create(experiment.toString(), JSON_TYPE)),
                "create " + experiment.path("kind").asText() + " " + experiment.path("metadata").path("name").asText());
    }

    public void pause(String uid) {
        send(new Request.Builder().url(url("api", "experiments", "pause", uid)).put(RequestBody.create(new byte[0])), "pause experiment " + uid);
    }

    public void delete(String uid) {
        send(new Request.Builder().url(url("api", "experiments", uid)).delete(), "delete experiment " + uid);
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private JsonNode send(Request.Builder req, String what) {
        if (token != null && !token.isEmpty()) {
            req.header("Authorization", "Bearer " + token);
        }
        try (Response r = http.newCall(req.build()).execute()) {
            String body = r.body().string();
            if (!r.isSuccessful()) {
                String message = ChaosMeshClient.JSON.readTree(body.isEmpty() ? "{}" : body).path("message").asText(body);
                throw new ChaosMeshException(r.code(), "Chaos Dashboard: " + what + " failed: HTTP " + r.code() + " " + message
                        + (r.code() == 401 || r.code() == 403 ? "; set $" + tokenEnv + " to a token the dashboard accepts" : ""));
            }
            return body.isEmpty() ? ChaosMeshClient.JSON.createObjectNode() : ChaosMeshClient.JSON.readTree(body);
        } catch (IOException e) {
            throw new ChaosMeshException("Chaos Dashboard: " + what + ": cannot reach " + base.host() + ":" + base.port() + " (" + e.getMessage() + ")", e);
        }
    }
}
