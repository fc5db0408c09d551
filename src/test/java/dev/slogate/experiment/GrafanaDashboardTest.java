package dev.slogate.experiment;

import dev.slogate.promql.PromqlSyntax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.load.ClientMetrics;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.StatusClass;
import dev.slogate.run.RunMetrics;
import dev.slogate.timeline.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * k8s/grafana/slogate-dashboard.json: every PromQL expression parses (offline checker, with Grafana's variables
 * replaced), every slogate metric it reads is one the injector's /metrics really serves, its variables are defined,
 * and the fault annotations are queried by slogate's tag.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("k8s/grafana/slogate-dashboard.json");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{)?(\\w+)\\}?");
    private static final Pattern SLOGATE_NAME = Pattern.compile("\\bslogate_[a-z_]+\\b");

    private static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        return out;
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        return fail("no variable " + name + " in the dashboard");
    }

    /** The expression as Prometheus gets it: Grafana's own variables replaced by values of theirs. */
    private static String substituted(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$job", "checkout");
    }

    @Test
    void everyExpressionParses() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 8, "the panels' queries: " + exprs);
        for (String expr : exprs) {
            assertFalse(expr.isBlank(), "a panel target without expr");
            PromqlSyntax.check(substituted(expr)).ifPresent(e ->
                    fail("'" + expr + "' does not parse at " + e.offset() + ": " + e.message()));
        }
        // the job variable's query is Grafana's label_values(metric, label) over a selector that parses too
        JsonNode job = variable(dashboard, "job");
        Matcher m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(job.path("definition").asText());
        assertTrue(m.matches(), job.toString());
        assertEquals("job", m.group(2));
        assertTrue(PromqlSyntax.check(m.group(1)).isEmpty(), m.group(1));
    }

    @Test
    void everyVariableItUsesIsDefinedAndEveryPanelReadsTheChosenPrometheus() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> defined = new TreeSet<>();
        dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
        for (String expr : expressions(dashboard)) {
            Matcher m = VARIABLE.matcher(expr);
            while (m.find()) {
                String name = m.group(2);
                assertTrue(name.startsWith("__") || defined.contains(name), "$" + name + " in '" + expr + "' is not a variable of " + defined);
            }
        }
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            }
        }
        JsonNode slogate = null;
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.path("target").path("tags").toString().contains("\"slogate\"")) {
                slogate = a;
            }
        }
        assertTrue(slogate != null && slogate.path("enable").asBoolean() && slogate.path("target").path("type").asText().equals("tags"),
                "an annotation query by the tag slogate: " + dashboard.path("annotations"));
    }

    @Test
    @Timeout(30)
    void theSlogateMetricsItReadsAreOnesTheInjectorServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> used = new LinkedHashSet<>();
        for (String expr : expressions(dashboard)) {
            Matcher m = SLOGATE_NAME.matcher(expr);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertTrue(used.containsAll(List.of("slogate_fault_active", "slogate_slo_status", "slogate_run_info", "slogate_client_requests_total",
                "slogate_client_request_duration_seconds_bucket")), "it shows the run, the faults and the SLOs: " + used);
        Set<String> served = served();
        for (String name : used) {
            assertTrue(served.contains(name), name + " is not served by the injector's /metrics, which has " + served);
        }
    }

    /** Every sample name the injector's /metrics serves once a second has closed and a fault is in. */
    private static Set<String> served() throws Exception {
        try (ClientTimeline timeline = new ClientTimeline(s -> 10);
             ClientMetrics metrics = new ClientMetrics(timeline, 0)) {
            RunMetrics run = new RunMetrics(metrics.registry());
            Scenario scenario = new Scenario("s", "", new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults()),
                    new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(10), new Rate(10), Duration.ofSeconds(60))),
                            List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, Duration.ofSeconds(10)),
                    List.of(new ScheduledFault("kill", Duration.ofSeconds(1), new FaultSpec("kill", FaultType.POD_KILL,
                            new Selector(Map.of("app", "demo"), Selector.Mode.ONE, 0), Duration.ofSeconds(5), null))),
                    List.of(new SloDef("p95", "", new SloDef.Latency(95, null, null), Op.LT, 0.2, List.of(), Path.of("slo/x.yaml"), 1)),
                    List.of(), Path.of("s.yaml"));
            run.started("r", scenario, System.currentTimeMillis());
            run.event(new Event(System.currentTimeMillis(), Event.Kind.FAULT_INJECTED, "kill", "pod-kill on pod-a1"));
            CountDownLatch closed = new CountDownLatch(1);
            timeline.onSecond(s -> {
                if (s.completed() > 0) {
                    closed.countDown();
                }
            });
            long t0 = System.nanoTime();
            timeline.recordSent(t0);
            timeline.record("home", StatusClass.OK, t0, 4_000);
            assertTrue(closed.await(10, TimeUnit.SECONDS), "no second closed");
            String body = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Set<String> names = new TreeSet<>();
            for (String line : body.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            return names;
        }
    }
}
