package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.load.ClientMetrics;
import dev.slogate.load.ClientTimeline;
import dev.slogate.slo.SloStatus;
import dev.slogate.timeline.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class RunMetricsTest {
    private static String scrape(ClientMetrics metrics) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theRunItsFaultsAndItsSlosAreScrapedBesideTheClientMetrics() throws Exception {
        try (ClientTimeline timeline = new ClientTimeline(s -> 100);
             ClientMetrics metrics = new ClientMetrics(timeline, 0)) {
            RunMetrics run = new RunMetrics(metrics.registry());
            run.started("20260101-120000-live", LiveSlosTest.scenario(LiveSlosTest.p95("steady", "fault:kill")), LiveSlosTest.START);
            for (int i = 0; i < 5; i++) {
                run.second(LiveSlosTest.second(i, 100, LiveSlosTest.FAST, 0));
            }
            run.event(new Event(LiveSlosTest.START + 5_000, Event.Kind.FAULT_INJECTED, "kill", "pod-kill on pod-a1, pod-b2"));
            run.second(LiveSlosTest.second(5, 100, LiveSlosTest.SLOW, 0));

            String during = scrape(metrics);
            assertTrue(during.contains("slogate_fault_active{fault=\"kill\",target=\"pod-a1, pod-b2\",type=\"pod-kill\"} 1.0"), during);
            assertTrue(during.contains("slogate_run_info{run_id=\"20260101-120000-live\",scenario=\"live\"} 1"), during);
            assertTrue(during.contains("slogate_slo_status{slo=\"p95\",window=\"fault:kill\"} 2.0"), during); // at risk
            assertTrue(during.contains("slogate_slo_status{slo=\"p95\",window=\"steady\"} 1.0"), during); // met
            assertTrue(during.contains("# HELP slogate_slo_status") && during.contains("3 failed"), "the HELP text says what the numbers mean");
            assertTrue(during.contains("slogate_client_target_rps"), "beside the client's own metrics: " + during);

            run.second(LiveSlosTest.second(6, 100, LiveSlosTest.SLOW, 0));
            run.event(new Event(LiveSlosTest.START + 7_000, Event.Kind.FAULT_REVERTED, "kill", "scheduled end"));
            String after = scrape(metrics);
            assertTrue(after.contains("slogate_fault_active{fault=\"kill\",target=\"pod-a1, pod-b2\",type=\"pod-kill\"} 0.0"), after);
            assertTrue(after.contains("slogate_slo_status{slo=\"p95\",window=\"fault:kill\"} 3.0"), after); // failed
        }
    }

    @Test
    void everyStateHasItsOwnNumber() {
        assertEquals(0, RunMetrics.value(SloStatus.State.NO_DATA_YET));
        assertEquals(1, RunMetrics.value(SloStatus.State.MET_SO_FAR));
        assertEquals(2, RunMetrics.value(SloStatus.State.AT_RISK));
        assertEquals(3, RunMetrics.value(SloStatus.State.FAILED));
    }
}
