package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code load.journeys} and {@code load.feeders}: what a valid file becomes, and every mistake located. */
class JourneyInputTest {
    /** Lines 1-4 of every scenario here; its spec body starts on line 5. */
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader();

    private Scenario load(String spec) throws IOException {
        return loader.loadScenario(YamlFixture.write(dir, "s.yaml", HEAD + spec));
    }

    private ValidationException fails(String spec) throws IOException {
        Path s = YamlFixture.write(dir, "s.yaml", HEAD + spec);
        return assertThrows(ValidationException.class, () -> loader.loadScenario(s));
    }

    private void users(int rows) throws IOException {
        StringBuilder csv = new StringBuilder("user,password\n");
        for (int i = 0; i < rows; i++) {
            csv.append("user").append(i).append(",\"p,").append(i).append("\"\n");
        }
        YamlFixture.write(dir, "data/users.csv", csv.toString());
    }

    private static final String SHOP = """
              load:
                stages: [{hold: {rps: 2, duration: 10s}}]
                feeders:
                  - {name: users, file: data/users.csv, strategy: queue}
                journeys:
                  - name: buyer
                    weight: 3
                    steps:
                      - name: login
                        method: POST
                        path: /shop/login
                        body: '{"user": "${user}", "literal": "#{not-el}"}'
                        extract: [{var: token, jsonPath: $.token}]
                        think: 1s
                      - name: cart
                        path: /shop/cart?u=${users.user}
                        headers: {Authorization: "Bearer ${token}"}
                        group: browse
                        think: {min: 1s, max: 3s}
                      - {name: home, path: /, group: browse}
                  - name: visitor
                    steps:
                      - {name: landing, path: /, think: {distribution: exponential, min: 0s, mean: 2s, max: 10s}}
                      - {name: about, path: /about, group: browse}
            """;

    @Test
    void aJourneyScenarioReadsIntoJourneysAndFeeders() throws IOException {
        users(40);
        Load load = load(SHOP).load();
        assertTrue(load.hasJourneys());
        assertEquals(List.of(), load.requests());
        assertEquals(List.of("buyer", "visitor"), load.journeys().stream().map(Journey::name).toList());
        Journey buyer = load.journeys().get(0);
        assertEquals(3, buyer.weight());
        Journey.Step login = buyer.steps().get(0);
        assertEquals("POST", login.method());
        assertEquals(List.of(new Journey.Extract("token", Journey.Extract.Source.JSON_PATH, "$.token")), login.extract());
        assertEquals(Journey.Think.fixed(Duration.ofSeconds(1)), login.think());
        assertEquals(Journey.Think.Distribution.UNIFORM, buyer.steps().get(1).think().distribution());
        assertEquals(Journey.Think.Distribution.EXPONENTIAL, load.journeys().get(1).steps().get(0).think().distribution());
        assertEquals(Set.of("user", "users.user", "token"), buyer.variables());
        Feeder users = load.feeders().get(0);
        assertEquals(List.of("user", "password"), users.columns());
        assertEquals(40, users.rows().size());
        assertEquals(Map.of("user", "user3", "password", "p,3"), users.rows().get(3), "a quoted field keeps its comma");
        // 3 steps x 3/4 + 2 steps x 1/4
        assertEquals(2.75, load.requestsPerArrival(), 1e-9);
        assertEquals(20, load.arrivals(), 1e-9);
    }

    @Test
    void thePlanSaysUsersAndRequestsPerSecondAndListsTheSteps() throws IOException {
        users(40);
        String plan = Plan.render(load(SHOP));
        assertTrue(plan.contains("hold 2 users/s (~5.5 requests/s)"), plan);
        assertTrue(plan.contains("journey buyer: weight 3 (75%), 3 steps"), plan);
        assertTrue(plan.contains("step login: POST /shop/login, expects 200, extracts token (jsonPath $.token), then think 1s"), plan);
        assertTrue(plan.contains("feeder users: data/users.csv, 40 rows (queue), columns user, password"), plan);
    }

    @Test
    void requestsAndJourneysTogetherAreOneTooMany() throws IOException {
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    requests: [{path: /}]
                    journeys: [{name: j, steps: [{path: /}]}]
                """);
        YamlFixture.expectOne(e, "spec.load has both requests and journeys", 8, 5);

        ValidationException sim = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    journeys: [{name: j, steps: [{path: /}]}]
                    simulation: com.acme.Checkout
                """);
        YamlFixture.expectOne(sim, "spec.load has journeys and a simulation", 8, 17);
    }

    @Test
    void aVariableNobodyExtractedBeforeIsLocated() throws IOException {
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    journeys:
                      - name: j
                        steps:
                          - {name: a, path: /a, extract: [{var: token, jsonPath: $.token}], headers: {X-Own: "${token}"}}
                          - {name: b, path: "/b/${tokn}"}
                """);
        Problem own = YamlFixture.expectOne(e, "headers.X-Own reads ${token}", 10, 94);
        assertTrue(own.hint().contains("extract it in an earlier step"), own.hint());
        Problem typo = YamlFixture.expectOne(e, "reads ${tokn}, which no earlier step extracts", 11, 29);
        assertTrue(typo.message().contains("did you mean 'token'?"), typo.message());
    }

    @Test
    void anUnknownFeederOrColumnIsLocated() throws IOException {
        users(40);
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    feeders: [{name: users, file: data/users.csv, strategy: circular}]
                    journeys:
                      - name: j
                        steps:
                          - {name: a, path: "/a/${usres.user}"}
                          - {name: b, path: "/b/${users.usr}"}
                """);
        Problem feeder = YamlFixture.expectOne(e, "there is no feeder 'usres'", 11, 29);
        assertTrue(feeder.message().contains("did you mean 'users'?"), feeder.message());
        YamlFixture.expectOne(e, "feeder 'users' has no column 'usr'", 12, 29);
    }

    @Test
    void badExtractionsAndThinkTimesAreLocated() throws IOException {
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    journeys:
                      - name: j
                        steps:
                          - name: a
                            path: /a
                            extract:
                              - {var: t, jsonPath: "$.items[0"}
                              - {var: u, regex: "id=(\\\\d+"}
                              - {var: v}
                              - {var: w, jsonPath: $.w, header: Location}
                            think: {min: 3s, max: 1s}
                          - {name: b, path: /b, think: {distribution: gaussian, max: 2s}}
                          - {name: c, path: "/c/${open", thnk: 1s}
                """);
        YamlFixture.expectOne(e, "jsonPath '$.items[0': not a JSON path", 13, 36);
        YamlFixture.expectOne(e, "regex 'id=(\\d+': not a regular expression", 14, 33);
        YamlFixture.expectOne(e, "says nothing to extract", 15, 17);
        YamlFixture.expectOne(e, "has both jsonPath and header", 16, 17);
        YamlFixture.expectOne(e, "think.max is shorter than its min", 17, 35);
        YamlFixture.expectOne(e, "unknown think distribution 'gaussian'", 18, 55);
        YamlFixture.expectOne(e, "'${' at column 4 of the text is not closed", 19, 29);
        YamlFixture.expectOne(e, "unknown key 'thnk'", 19, 42);
    }

    @Test
    void stepNamesAreUniqueAcrossJourneys() throws IOException {
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    journeys:
                      - {name: a, steps: [{name: login, path: /a}]}
                      - {name: b, steps: [{name: login, path: /b}]}
                """);
        YamlFixture.expectOne(e, "two steps are named 'login' (first on line 8)", 9, 34);
    }

    @Test
    void aQueueFeederTooSmallForTheStagesIsLocatedAndACircularOneIsNot() throws IOException {
        users(10);
        String spec = """
                  load:
                    stages: [{ramp: {from: 0, to: 4, duration: 10s}}, {hold: {rps: 2, duration: 5s}}]
                    feeders:
                      - {name: users, file: data/users.csv, strategy: STRATEGY}
                    journeys:
                      - {name: buyer, weight: 1, steps: [{path: "/u/${user}"}]}
                      - {name: visitor, weight: 1, steps: [{path: /}]}
                """;
        ValidationException e = fails(spec.replace("STRATEGY", "queue"));
        // (0 + 4) / 2 x 10 s + 2 x 5 s = 30 users, half of them buyers
        Problem p = YamlFixture.expectOne(e, "feeder 'users' (queue) has 10 rows, but the stages bring about 15 users to journey buyer", 8, 9);
        assertTrue(p.hint().contains("at least 16 rows"), p.hint());
        assertEquals(10, load(spec.replace("STRATEGY", "circular")).load().feeders().get(0).rows().size());
    }

    @Test
    void badFeederFilesAreLocatedInTheirOwnLines() throws IOException {
        YamlFixture.write(dir, "data/bad.csv", "user,password\nann,1\nbob\n");
        YamlFixture.write(dir, "data/bad.jsonl", "{\"user\": \"ann\"}\n\n{\"user\": [1]}\nnot json\n");
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    feeders:
                      - {name: a, file: data/bad.csv, strategy: circular}
                      - {name: b, file: data/bad.jsonl, strategy: random}
                      - {name: c, file: data/missing.csv, strategy: queueu}
                      - {name: d, file: data/nowhere.csv}
                    journeys: [{name: j, steps: [{path: "/${user}"}]}]
                """);
        Problem row = YamlFixture.expectOne(e, "this row has 1 fields, the header row 2", 3, 1);
        assertTrue(row.file().toString().endsWith("bad.csv"), row.toString());
        YamlFixture.expectOne(e, "field 'user' is an array", 3, 1);
        YamlFixture.expectOne(e, "this line is not JSON", 4, 0);
        YamlFixture.expectOne(e, "unknown feeder strategy 'queueu'; did you mean 'queue'?", 10, 53);
        YamlFixture.expectOne(e, "no such feeder file", 11, 25);
    }

    @Test
    void feedersWithoutJourneysAreAMistake() throws IOException {
        users(3);
        ValidationException e = fails("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    requests: [{path: /}]
                    feeders: [{name: users, file: data/users.csv}]
                """);
        YamlFixture.expectOne(e, "spec.load has feeders but no journeys", 8, 5);
    }

    @Test
    void anSloSelectsARequestAGroupOrAJourneyAndUnknownNamesAreLocated() throws IOException {
        users(40);
        YamlFixture.write(dir, "slo.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: shop}
                spec:
                  objectives:
                    - {name: checkout, latency: {percentile: 95, below: 300ms, selector: {request: login}}}
                    - {name: browse, errorRate: {below: 1%, selector: {group: browse}}}
                    - {name: buyer, availability: {atLeast: 99%, selector: {journey: buyer}}}
                    - {name: all, errorRate: {below: 1%}}
                """);
        Scenario s = load(SHOP + "  slos: [slo.yaml]\n");
        assertEquals(Set.of("login"), s.slos().get(0).indicator().traffic().requests());
        assertEquals(Set.of("cart", "home", "about"), s.slos().get(1).indicator().traffic().requests());
        assertEquals(Set.of("login", "cart", "home"), s.slos().get(2).indicator().traffic().requests());
        assertNull(s.slos().get(3).indicator().traffic());
        assertTrue(Plan.render(s).contains("error rate of group browse < 1%"), Plan.render(s));

        YamlFixture.write(dir, "slo.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: shop}
                spec:
                  objectives:
                    - {name: a, latency: {percentile: 95, below: 300ms, selector: {journey: buyr}}}
                    - {name: b, errorRate: {below: 1%, selector: {group: browse, journey: buyer}}}
                    - {name: c, latency: {percentile: 95, below: 1s, histogram: h, selector: {request: login}}}
                    - {name: d, latency: {percentile: 95, below: 1s, selector: {job: demo}}}
                """);
        ValidationException e = fails(SHOP + "  slos: [slo.yaml]\n");
        Problem unknown = YamlFixture.expectOne(e, "SLO 'a' selects journey buyr, but the load has no such journey; did you mean 'buyer'?", 6, 1);
        assertTrue(unknown.hint().contains("valid journeys: buyer, visitor"), unknown.hint());
        YamlFixture.expectOne(e, "has both group and journey", 7, 50);
        YamlFixture.expectOne(e, "with histogram a selector filters the Prometheus histogram's labels", 8, 78);
        Problem labels = YamlFixture.expectOne(e, "selector has Prometheus labels, but there is no histogram to filter", 9, 64);
        assertTrue(labels.hint().contains("selector: {request: checkout}"), labels.hint());
    }

    @Test
    void aLatencySelectorOfPrometheusLabelsStillFiltersTheHistogram() throws IOException {
        YamlFixture.write(dir, "slo.yaml", """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: x}
                spec:
                  objectives:
                    - {name: a, latency: {percentile: 95, below: 300ms, histogram: h, selector: {job: demo}}}
                """);
        Scenario s = load("""
                  load:
                    stages: [{hold: {rps: 2, duration: 10s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """);
        SloDef.Latency l = (SloDef.Latency) s.slos().get(0).indicator();
        assertEquals("job=\"demo\"", l.selector());
        assertNull(l.traffic());
    }

    @Test
    void theShippedJourneysDemoLoads() {
        Scenario demo = loader.loadScenario(Path.of("").toAbsolutePath().resolve("scenarios/demo-journeys.yaml"));
        assertEquals(List.of("buyer", "visitor"), demo.load().journeys().stream().map(Journey::name).toList());
        assertEquals(50, demo.load().feeders().get(0).rows().size());
        assertEquals(Set.of("cart", "checkout"), demo.slos().get(1).indicator().traffic().requests());
    }
}
