package dev.slogate.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.GrafanaSettings;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.experiment.Selector;
import dev.slogate.experiment.Stage;
import dev.slogate.experiment.Target;
import dev.slogate.report.RunReport;
import dev.slogate.run.RunListener;
import dev.slogate.timeline.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GrafanaAnnotationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "glsa_t0ken-for-tests-only";
    private static final long START = 1_800_000_000_000L;

    private static Scenario scenario(GrafanaSettings grafana) {
        return new Scenario("gameday", "", new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults()),
                new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(10), new Rate(10), Duration.ofSeconds(60))),
                        List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)), null, Duration.ofSeconds(10)),
                List.of(new ScheduledFault("kill-one", Duration.ofSeconds(10), new FaultSpec("kill-one", FaultType.POD_KILL,
                        new Selector(Map.of("app", "demo"), Selector.Mode.ONE, 0), Duration.ofSeconds(5), null))),
                List.of(), List.of(), Path.of("scenarios/gameday.yaml"), null, List.of(), grafana);
    }

    private static GrafanaSettings settings(MockWebServer server, String dashboardUid) {
        return new GrafanaSettings(server.url("/grafana").toString(), "GRAFANA_TOKEN", dashboardUid, List.of("checkout"));
    }

    private static MockResponse created(long id) {
        return new MockResponse.Builder().code(200).body("{\"message\":\"Annotation added\",\"id\":" + id + "}").build();
    }

    private static MockResponse patched() {
        return new MockResponse.Builder().code(200).body("{\"message\":\"Annotation patched\"}").build();
    }

    private static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest r = server.takeRequest(20, TimeUnit.SECONDS);
        assertNotNull(r, "no request reached Grafana");
        return r;
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.getBody().utf8());
    }

    @Test
    void aRegionForTheRunAndOneForEachFaultCreatedAtTheStartAndEndedAtTheRevert() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(created(7));
            server.enqueue(created(8));
            server.enqueue(patched());
            server.enqueue(patched());
            RunListener grafana = GrafanaAnnotations.of(scenario(settings(server, "slogate-gameday")), Map.of("GRAFANA_TOKEN", TOKEN)::get, System.out);

            grafana.started("20260101-120000-gameday", scenario(null), START);
            grafana.event(new Event(START + 10_000, Event.Kind.FAULT_INJECTED, "kill-one", "pod-kill on pod-a1"));
            grafana.event(new Event(START + 15_000, Event.Kind.FAULT_REVERTED, "kill-one", "scheduled end"));
            grafana.event(new Event(START + 60_000, Event.Kind.RUN_END, "gameday", ""));
            assertEquals(List.of(), grafana.notes(), "every request succeeded");

            RecordedRequest run = take(server);
            assertEquals("POST /grafana/api/annotations", run.getMethod() + " " + run.getTarget());
            assertEquals("Bearer " + TOKEN, run.getHeaders().get("Authorization"));
            assertTrue(run.getHeaders().get("Content-Type").startsWith("application/json"), run.getHeaders().toString());
            assertEquals(JSON.readTree("""
                    {"dashboardUID": "slogate-gameday", "time": 1800000000000,
                     "tags": ["slogate", "run:20260101-120000-gameday", "scenario:gameday", "checkout", "run"],
                     "text": "slogate run 20260101-120000-gameday: scenario gameday"}"""), body(run));

            RecordedRequest fault = take(server);
            assertEquals("POST /grafana/api/annotations", fault.getMethod() + " " + fault.getTarget());
            assertEquals(JSON.readTree("""
                    {"dashboardUID": "slogate-gameday", "time": 1800000010000,
                     "tags": ["slogate", "run:20260101-120000-gameday", "scenario:gameday", "checkout", "fault", "fault:kill-one", "pod-kill"],
                     "text": "fault kill-one: pod-kill on pod-a1"}"""), body(fault));

            RecordedRequest revert = take(server);
            assertEquals("PATCH /grafana/api/annotations/8", revert.getMethod() + " " + revert.getTarget(), "the fault's own annotation");
            assertEquals("Bearer " + TOKEN, revert.getHeaders().get("Authorization"));
            assertEquals(JSON.readTree("{\"timeEnd\": 1800000015000}"), body(revert));

            RecordedRequest end = take(server);
            assertEquals("PATCH /grafana/api/annotations/7", end.getMethod() + " " + end.getTarget());
            assertEquals(JSON.readTree("{\"timeEnd\": 1800000060000}"), body(end));
        }
    }

    @Test
    void theRunsThreadNeverWaitsForGrafana() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    answer.await(); // Grafana hangs until the test lets it answer
                    return created(1);
                }
            });
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            RunListener grafana = GrafanaAnnotations.of(scenario(settings(server, null)), Map.of("GRAFANA_TOKEN", TOKEN)::get, System.out);
            // these return although Grafana has not answered: were they waiting, the test would never reach countDown
            grafana.started("20260101-120000-gameday", scenario(null), START);
            grafana.event(new Event(START + 10_000, Event.Kind.FAULT_INJECTED, "kill-one", "pod-kill on pod-a1"));
            RecordedRequest first = take(server);
            assertFalse(body(first).has("dashboardUID"), "no dashboardUid: an organization annotation");
            answer.countDown();
            assertEquals(List.of(), grafana.notes());
        }
    }

    @Test
    void aRefusingGrafanaIsANoteThatNamesTheVariableNotTheToken() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            for (int i = 0; i < 6; i++) {
                server.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"invalid API key\"}").build());
            }
            ByteArrayOutputStream late = new ByteArrayOutputStream();
            RunListener grafana = GrafanaAnnotations.of(scenario(settings(server, null)), Map.of("GRAFANA_TOKEN", TOKEN)::get,
                    new PrintStream(late, true, StandardCharsets.UTF_8));
            grafana.started("20260101-120000-gameday", scenario(null), START);
            for (int i = 0; i < 4; i++) {
                grafana.event(new Event(START + 10_000 + i, Event.Kind.STOP_CONDITION, "stop", "error rate > 50 %"));
            }
            List<String> notes = grafana.notes();
            assertEquals(4, notes.size(), "three listed, the others counted: " + notes);
            assertTrue(notes.get(0).contains("HTTP 401 invalid API key") && notes.get(0).contains("$GRAFANA_TOKEN"), notes.get(0));
            assertTrue(notes.get(3).contains("2 more requests"), notes.get(3));
            assertFalse(String.join("\n", notes).contains(TOKEN));

            grafana.event(new Event(START + 20_000, Event.Kind.STOP_CONDITION, "stop", "again"));
            grafana.finished(new RunReport(1, "r", "gameday", "sandbox", START, START + 30_000, 3, "stopped",
                    List.of(), List.of(), List.of(), List.of(), List.of()));
            for (int i = 0; i < 6; i++) { // the run's, 4 stops, and the one after the notes
                take(server);
            }
            // after the report, a failure is printed instead
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!late.toString(StandardCharsets.UTF_8).contains("HTTP 401") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(late.toString(StandardCharsets.UTF_8).startsWith("warning: grafana: "), late.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void withoutItsTokenNoRequestIsSentAndTheReportSaysWhy() {
        GrafanaSettings g = new GrafanaSettings("http://127.0.0.1:9", "GRAFANA_TOKEN", null, List.of());
        RunListener grafana = GrafanaAnnotations.of(scenario(g), name -> null, System.out);
        grafana.started("r", scenario(null), START);
        List<String> notes = grafana.notes();
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("$GRAFANA_TOKEN is not set"), notes.get(0));
        assertEquals(List.of(), GrafanaAnnotations.of(scenario(null), name -> TOKEN, System.out).notes(), "no grafana: block, nothing to say");
    }
}
