package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journeys on the real sandbox, read back from report.json and junit.xml: a buyer logs in with a user from a queue
 * feeder, takes the token from the JSON answer and sends it on (the demo service answers the cart 401 to a wrong or
 * missing token, so 200s prove the extraction server-side); a second journey's extraction finds nothing, which ends its
 * users with a named extract-error and never sends their next step; SLOs select a request, a group and a journey; each
 * journey's duration is reported with and without its think times.
 */
class JourneysIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void journeysExtractFeedThinkAndAreJudgedByRequestGroupAndJourney() throws Exception {
        StringBuilder users = new StringBuilder("user\n");
        for (int i = 0; i < 60; i++) {
            users.append("user").append(i).append('\n');
        }
        Files.createDirectories(work.resolve("data"));
        Files.writeString(work.resolve("data/users.csv"), users);
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: shop}
                spec:
                  objectives:
                    - {name: buyer-errors, errorRate: {below: 1%, selector: {journey: buyer}}}
                    - {name: cart-latency, latency: {percentile: 95, below: 2s, selector: {request: cart}}}
                    - {name: shop-availability, availability: {atLeast: 99%, selector: {group: shop}}}
                    - {name: broken-errors, errorRate: {below: 1%, selector: {request: broken-login}}}
                """);
        Path scenario = Files.writeString(work.resolve("scenario.yaml"), """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: journeys}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 2, serviceTime: 2ms, restartDelay: 2s}
                  load:
                    requestTimeout: 5s
                    stages:
                      - hold: {rps: 4, duration: 8s}
                    feeders:
                      - {name: users, file: data/users.csv, strategy: queue}
                    journeys:
                      - name: buyer
                        weight: 3
                        steps:
                          - name: login
                            method: POST
                            path: /shop/login
                            headers: {Content-Type: application/json}
                            body: '{"user": "${user}", "note": "#{not evaluated}"}'
                            extract: [{var: token, jsonPath: $.token}]
                            think: 500ms
                          - name: cart
                            path: /shop/cart
                            headers: {Authorization: "Bearer ${token}"}
                            group: shop
                            think: {min: 200ms, max: 400ms}
                          - {name: home, path: "/?user=${users.user}", group: shop}
                      - name: broken
                        weight: 1
                        steps:
                          - name: broken-login
                            method: POST
                            path: /shop/login
                            body: '{"user": "${user}"}'
                            extract: [{var: missing, jsonPath: $.nothing}]
                          - {name: never, path: "/shop/cart?t=${missing}"}
                  slos: [slo.yaml]
                """);

        InProcessCli.Result plan = InProcessCli.run("plan", scenario.toString());
        assertEquals(0, plan.code(), plan.out());
        assertTrue(plan.out().contains("hold 4 users/s (~11 requests/s)"), plan.out());
        assertTrue(plan.out().contains("error rate of journey buyer < 1%"), plan.out());

        Path reports = work.resolve("reports");
        InProcessCli.Result run = InProcessCli.run("run", "--run-id", "journeys", "--state-dir", work.resolve("state").toString(),
                "--reports-dir", reports.toString(), scenario.toString());
        assertEquals(1, run.code(), "only the broken journey's SLO fails: " + run.out());
        JsonNode report = JSON.readTree(reports.resolve("journeys").resolve("report.json").toFile());

        Map<String, Map<String, Long>> byRequest = new HashMap<>();
        for (JsonNode second : report.get("client")) {
            for (JsonNode s : second.get("series")) {
                byRequest.computeIfAbsent(s.get("request").asText(), k -> new HashMap<>())
                        .merge(s.get("status").asText(), s.get("count").asLong(), Long::sum);
            }
        }
        // 32 users in 8 s, 3 of 4 buyers: the cart got each buyer's own token back (a wrong one is a 401, an http-error)
        assertEquals(Map.of("ok", byRequest.get("login").get("ok")), byRequest.get("login"), byRequest.toString());
        assertEquals(Map.of("ok", byRequest.get("login").get("ok")), byRequest.get("cart"), "every cart call carried its token: " + byRequest);
        assertTrue(byRequest.get("login").get("ok") >= 20, byRequest.toString());
        assertEquals(Map.of("extract-error", byRequest.get("broken-login").get("extract-error")), byRequest.get("broken-login"));
        assertTrue(byRequest.get("broken-login").get("extract-error") >= 6, byRequest.toString());
        assertFalse(byRequest.containsKey("never"), "a user whose extraction failed sends nothing after it: " + byRequest);

        assertEquals("PASS", result(report, "buyer-errors", "run").get("verdict").asText());
        assertEquals("PASS", result(report, "cart-latency", "run").get("verdict").asText());
        assertEquals("PASS", result(report, "shop-availability", "run").get("verdict").asText());
        JsonNode broken = result(report, "broken-errors", "run");
        assertEquals("FAIL", broken.get("verdict").asText());
        assertEquals(1.0, broken.get("measured").asDouble(), 1e-9, broken.toString());

        JsonNode buyer = journey(report, "buyer");
        assertTrue(buyer.get("completed").asLong() >= 20, buyer.toString());
        assertEquals(buyer.get("users").asLong(), buyer.get("completed").asLong(), buyer.toString());
        // think 500 ms + 200-400 ms between three requests: the journey lasts at least 0.7 s with it
        double withThink = buyer.get("withThink").get("p50Ms").asDouble();
        double withoutThink = buyer.get("withoutThink").get("p50Ms").asDouble();
        assertTrue(withThink >= 700 && withThink < 3_000, buyer.toString());
        assertTrue(withoutThink < withThink - 600, "think time excluded: " + buyer);
        JsonNode brokenJourney = journey(report, "broken");
        assertEquals(0, brokenJourney.get("completed").asLong(), brokenJourney.toString());
        assertEquals(brokenJourney.get("users").asLong(), brokenJourney.get("failed").asLong(), brokenJourney.toString());
        assertTrue(report.get("notes").toString().contains("users/s"), report.get("notes").toString());

        String junit = Files.readString(reports.resolve("journeys").resolve("junit.xml"));
        for (String slo : new String[] {"buyer-errors", "cart-latency", "shop-availability", "broken-errors"}) {
            assertTrue(junit.contains("name=\"" + slo), slo + " has its case: " + junit);
        }
    }

    private static JsonNode journey(JsonNode report, String name) {
        for (JsonNode j : report.get("journeys")) {
            if (j.get("journey").asText().equals(name)) {
                return j;
            }
        }
        throw new AssertionError("no journey " + name + " in " + report.get("journeys"));
    }

    private static JsonNode result(JsonNode report, String slo, String window) {
        for (JsonNode r : report.get("results")) {
            if (r.get("slo").asText().equals(slo) && r.get("window").asText().equals(window)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + slo + " in " + window + ": " + report.get("results"));
    }
}
