package dev.slogate.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Grafana's annotations HTTP API: {@code POST /api/annotations} creates an annotation (a region when it has
 * {@code timeEnd}) and answers its {@code id}; {@code PATCH /api/annotations/<id>} changes some of its fields, here
 * the end of a region once it is known. Times are epoch milliseconds. Authenticates with a bearer token (a service
 * account token with {@code annotations:create} and {@code annotations:write}); the token never appears in a message.
 */
public final class GrafanaClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** An annotation to create: a point when {@code timeEndMillis} is null, else a region. */
    public record Annotation(String dashboardUid, long timeMillis, Long timeEndMillis, List<String> tags, String text) {
        public Annotation {
            tags = List.copyOf(tags);
        }
    }

    private final HttpUrl base;
    private final String token;
    private final String tokenEnv;
    private final OkHttpClient http;

    /**
     * @param url      Grafana's base URL (a sub-path such as {@code https://example.com/grafana} is kept)
     * @param tokenEnv the variable the token came from, named in messages instead of the token
     */
    public GrafanaClient(String url, String token, String tokenEnv, Duration timeout) {
        this.base = Objects.requireNonNull(HttpUrl.parse(url), () -> "not an http(s) URL: " + Redaction.url(url));
        this.token = token;
        this.tokenEnv = tokenEnv;
        Secrets.process().remember(token);
        this.http = new OkHttpClient.Builder().callTimeout(timeout).build();
    }

    /** Creates the annotation and returns its id. */
    public long create(Annotation a) {
        ObjectNode body = JSON.createObjectNode();
        if (a.dashboardUid() != null) {
            body.put("dashboardUID", a.dashboardUid());
        }
        body.put("time", a.timeMillis());
        if (a.timeEndMillis() != null) {
            body.put("timeEnd", a.timeEndMillis());
        }
        body.putArray("tags").addAll(a.tags().stream().map(JSON.getNodeFactory()::textNode).toList());
        body.put("text", a.text());
        JsonNode answer = send(new Request.Builder().url(url("api", "annotations")).post(RequestBody.create(body.toString(), JSON_TYPE)),
                "create the annotation '" + a.text() + "'");
        if (!answer.path("id").canConvertToLong()) {
            throw new GrafanaException(200, "Grafana at " + where() + " created the annotation '" + a.text() + "' but answered no id ("
                    + Redaction.text(answer.toString()) + "); is " + base + " Grafana's base URL?");
        }
        return answer.path("id").asLong();
    }

    /** Sets the end of the annotation {@code id}, making it a region. */
    public void end(long id, long timeEndMillis) {
        ObjectNode body = JSON.createObjectNode().put("timeEnd", timeEndMillis);
        send(new Request.Builder().url(url("api", "annotations", Long.toString(id))).patch(RequestBody.create(body.toString(), JSON_TYPE)),
                "end the annotation " + id);
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private String where() {
        return base.host() + ":" + base.port();
    }

    private JsonNode send(Request.Builder req, String what) {
        if (token != null && !token.isEmpty()) {
            req.header("Authorization", "Bearer " + token);
        }
        req.header("Accept", "application/json");
        try (Response r = http.newCall(req.build()).execute()) {
            String body = r.body().string();
            if (!r.isSuccessful()) {
                String message = body.isBlank() ? "" : " " + messageOf(body);
                String hint = switch (r.code()) {
                    case 401 -> "; set $" + tokenEnv + " to a Grafana service account token";
                    case 403 -> "; give $" + tokenEnv + "'s service account the annotations:create and annotations:write permissions"
                            + " (role Editor)";
                    case 404 -> "; check the url (Grafana's base URL) and dashboardUid";
                    default -> "";
                };
                throw new GrafanaException(r.code(), "Grafana at " + where() + ": " + what + " failed: HTTP " + r.code() + message + hint);
            }
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new GrafanaException("Grafana at " + where() + ": " + what + ": no answer (" + e.getMessage() + ")", e);
        }
    }

    private static String messageOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return Redaction.text(n.path("message").asText(body));
        } catch (IOException e) {
            return Redaction.text(body.length() > 200 ? body.substring(0, 200) + "..." : body);
        }
    }
}
