package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <p>Not used by the run yet: {@link ChaosMeshClient} (the API server) is the transport of {@link ChaosMeshFaultInjector}.
 */
public final class ChaosDashboardClient {
    public static final String TOKEN_ENV = "SLOGATE_CHAOS_MESH_TOKEN";
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** One row of {@code GET /api/experiments}; {@code status} is the dashboard's word (injecting, running, paused, finished). */
    public record Experiment(String uid, String kind, String namespace, String name, String status) {
    }

    private final HttpUrl base;
    private final String token;
    private final OkHttpClient http;

    public ChaosDashboardClient(String dashboardUrl, String token, Duration timeout) {
        this.base = Objects.requireNonNull(HttpUrl.parse(dashboardUrl), () -> "not an http(s) URL: " + dashboardUrl);
        this.token = token;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).build();
    }

    public List<Experiment> list(String namespace) {
        HttpUrl u = url("api", "experiments").newBuilder().addQueryParameter("namespace", namespace).build();
        List<Experiment> out = new ArrayList<>();
        for (JsonNode e : send(new Request.Builder().url(u).get(), "list experiments in " + namespace)) {
            out.add(new Experiment(e.path("uid").asText(), e.path("kind").asText(), e.path("namespace").asText(), e.path("name").asText(),
                    e.path("status").asText()));
        }
        return out;
    }

    public void create(ObjectNode experiment) {
        send(new Request.Builder().url(url("api", "experiments")).post(RequestBody.create(experiment.toString(), JSON_TYPE)),
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
                        + (r.code() == 401 || r.code() == 403 ? "; set $" + TOKEN_ENV + " to a token the dashboard accepts" : ""));
            }
            return body.isEmpty() ? ChaosMeshClient.JSON.createObjectNode() : ChaosMeshClient.JSON.readTree(body);
        } catch (IOException e) {
            throw new ChaosMeshException("Chaos Dashboard: " + what + ": cannot reach " + base.host() + ":" + base.port() + " (" + e.getMessage() + ")", e);
        }
    }
}
