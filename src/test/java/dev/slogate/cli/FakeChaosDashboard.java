package dev.slogate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * The Chaos Dashboard's {@code /api/experiments} as slogate uses it (shapes from the dashboard's
 * {@code pkg/dashboard/apiserver/experiment}): create, list filtered by namespace/kind/name, get one (its
 * {@code kube_object}), pause, delete. Status words move with time like the dashboard's: {@code injecting} for the
 * first 500 ms, then {@code running}; {@code paused} 500 ms after the pause. Requests without the expected bearer
 * token get 401. Every request is kept.
 */
final class FakeChaosDashboard extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One experiment: its object as created, when it was created and paused (0 = not). */
    record Stored(String uid, JsonNode object, long createdAt, long pausedAt) {
        String status(long now) {
            if (pausedAt != 0) {
                return now >= pausedAt + 500 ? "paused" : "running";
            }
            return now >= createdAt + 500 ? "running" : "injecting";
        }
    }

    private final String token;
    final Map<String, Stored> experiments = new ConcurrentHashMap<>();
    /** Every experiment ever created, by uid, as last stored (kept after its deletion). */
    final Map<String, Stored> history = new ConcurrentHashMap<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    FakeChaosDashboard(String token) {
        this.token = token;
    }

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        requests.add(r);
        if (!("Bearer " + token).equals(r.getHeaders().get("Authorization"))) {
            return json(401, "{\"message\": \"Unauthorized\"}");
        }
        HttpUrl url = r.getUrl();
        List<String> path = url.pathSegments();
        long now = System.currentTimeMillis();
        try {
            if (r.getMethod().equals("POST") && path.equals(List.of("api", "experiments"))) {
                JsonNode object = JSON.readTree(r.getBody().utf8());
                String uid = UUID.randomUUID().toString();
                experiments.put(uid, new Stored(uid, object, now, 0));
                history.put(uid, experiments.get(uid));
                return json(200, object.toString());
            }
            if (r.getMethod().equals("GET") && path.equals(List.of("api", "experiments"))) {
                ArrayNode out = JSON.createArrayNode();
                for (Stored s : experiments.values()) {
                    JsonNode m = s.object().path("metadata");
                    if (matches(url.queryParameter("namespace"), m.path("namespace").asText())
                            && matches(url.queryParameter("kind"), s.object().path("kind").asText())
                            && matches(url.queryParameter("name"), m.path("name").asText())) {
                        out.addObject().put("uid", s.uid()).put("kind", s.object().path("kind").asText())
                                .put("namespace", m.path("namespace").asText()).put("name", m.path("name").asText()).put("status", s.status(now));
                    }
                }
                return json(200, out.toString());
            }
            if (r.getMethod().equals("GET") && path.size() == 3 && experiments.containsKey(path.get(2))) {
                ObjectNode one = JSON.createObjectNode();
                one.set("kube_object", experiments.get(path.get(2)).object());
                return json(200, one.toString());
            }
            if (r.getMethod().equals("PUT") && path.size() == 4 && path.get(2).equals("pause") && experiments.containsKey(path.get(3))) {
                Stored p = experiments.computeIfPresent(path.get(3), (k, s) -> new Stored(s.uid(), s.object(), s.createdAt(), now));
                history.put(p.uid(), p);
                return json(200, "{\"status\": \"success\"}");
            }
            if (r.getMethod().equals("DELETE") && path.size() == 3 && experiments.remove(path.get(2)) != null) {
                deleted.add(path.get(2));
                return json(200, "{\"status\": \"success\"}");
            }
        } catch (Exception e) {
            return json(500, "{\"message\": \"" + e.getClass().getSimpleName() + "\"}");
        }
        return json(404, "{\"message\": \"not found\"}");
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
