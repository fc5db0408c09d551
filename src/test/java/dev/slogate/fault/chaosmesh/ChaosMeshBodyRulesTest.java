package dev.slogate.fault.chaosmesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.CloudInstance;
import dev.slogate.experiment.ClusterOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.KubernetesNames;
import dev.slogate.experiment.NetworkPeer;
import dev.slogate.experiment.Selector;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.types.NetworkDelay;
import dev.slogate.fault.types.NetworkLoss;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** What ChaosExperiments writes satisfies Chaos Mesh 2.8's CRD schema (patterns) and webhook, and keeps the input's precision. */
class ChaosMeshBodyRulesTest {
    /** NetworkChaos CRD (config/crd/bases/chaos-mesh.org_networkchaos.yaml, v2.8): spec.delay.latency and jitter. */
    private static final Pattern DELAY_PATTERN = Pattern.compile("^[0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h)$");
    private static final Selector.Scope SHOP = new Selector.Scope("shop", Map.of(), List.of(), null, null, null);


    private static JsonNode delay(Duration latency, Duration jitter) {
        FaultSpec f = new FaultSpec("f", FaultType.NETWORK_DELAY, new Selector(Map.of("app", "a"), Selector.Mode.ALL, 0, SHOP),
                Duration.ofSeconds(30), latency, null, ClusterOptions.DEFAULTS,
                new NetworkDelay.Options(new NetworkPeer("to", null), jitter));
        return ChaosExperiments.of(f, "slogate-f-12345678", "run-1", "f").get("spec").get("delay");
    }

    @Test
    void delaysAreOneNumberAndOneUnitOnBothSidesOfAMinute() {
        Map<Duration, String> expected = new LinkedHashMap<>();
        expected.put(Duration.ofSeconds(59), "59s");
        expected.put(Duration.ofSeconds(60), "60s");
        expected.put(Duration.ofSeconds(61), "61s");
        expected.put(Duration.ofSeconds(90), "90s");
        expected.put(Duration.ofHours(1), "3600s");
        expected.put(Duration.ofMillis(60_500), "60500ms");
        expected.put(Duration.ofMillis(100), "100ms");
        expected.put(Duration.ofNanos(500_000), "500us");
        expected.put(Duration.ofNanos(1_500_000), "1500us");
        expected.put(Duration.ofNanos(1_000), "1us");
        expected.forEach((d, text) -> {
            JsonNode body = delay(d, d);
            assertEquals(text, body.get("latency").asText(), d.toString());
            assertEquals(text, body.get("jitter").asText(), d.toString());
            assertTrue(DELAY_PATTERN.matcher(text).matches(), text + " matches the CRD's pattern");
        });
        assertFalse(DELAY_PATTERN.matcher("1m30s").matches(), "what was sent before for 90 s");
    }

    @Test
    void aSubMillisecondDurationIsNotTruncated() {
        assertEquals("500us", ChaosExperiments.goDuration(Duration.ofNanos(500_000)));
        assertEquals("1500us", ChaosExperiments.goDuration(Duration.ofNanos(1_500_000)));
        assertEquals("1m30s", ChaosExperiments.goDuration(Duration.ofSeconds(90)), "spec.duration is parsed by Go: compound is fine there");
        assertEquals("1500ms", ChaosExperiments.goDuration(Duration.ofMillis(1500)));
    }

    @Test
    void aLossIsSentWithoutBinaryNoise() {
        FaultSpec f = new FaultSpec("f", FaultType.NETWORK_LOSS, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, SHOP),
                Duration.ofSeconds(5), null, null, ClusterOptions.DEFAULTS,
                new NetworkLoss.Options(new NetworkPeer("to", null), 0.29 * 100));
        assertEquals("29", ChaosExperiments.of(f, "slogate-f-12345678", "run-1", "f").at("/spec/loss/loss").asText());
    }

    @Test
    void theRunLabelIsAValidLabelValueAndTheFullIdAnAnnotationOnlyWhenChanged() {
        FaultSpec f = new FaultSpec("f", FaultType.POD_FAILURE, new Selector(Map.of("app", "a"), Selector.Mode.ONE, 0, SHOP),
                Duration.ofSeconds(5), null, null, ClusterOptions.DEFAULTS);
        String runId = "20260101-120000-checkout_gameday__v2_";
        ObjectNode body = ChaosExperiments.of(f, "slogate-f-12345678", runId, "f");
        String label = body.at("/metadata/labels/slogate.io~1run-id").asText();
        assertTrue(KubernetesNames.isLabelValue(label), label);
        assertTrue(label.startsWith("20260101-120000-checkout_gameday__v2-"), label);
        assertEquals(runId, body.at("/metadata/annotations/slogate.io~1run-id").asText());
        ObjectNode plain = ChaosExperiments.of(f, "slogate-f-12345678", "run-1", "f");
        assertEquals("run-1", plain.at("/metadata/labels/slogate.io~1run-id").asText());
        assertTrue(plain.at("/metadata/annotations").isMissingNode(), "no annotation when the label is the run id");
    }

    @Test
    void theDashboardTransportRefusesAnAzureChaosWithoutSendingIt() throws Exception {
        try (MockWebServer dashboard = new MockWebServer()) {
            dashboard.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
            ChaosDashboardTransport t = ChaosDashboardTransport.connect(dashboard.url("/").toString(), "T", n -> "token");
            FaultSpec azure = new FaultSpec("vm", FaultType.AZURE_VM_STOP, null, Duration.ofSeconds(30), null, null,
                    ClusterOptions.DEFAULTS, new CloudInstance("ops", "az", Map.of("subscriptionID", "s", "resourceGroupName", "rg", "vmName", "vm-1")));
            FaultException e = assertThrows(FaultException.class, () -> t.create(ChaosExperiments.of(azure, "slogate-vm-12345678", "run-1", "vm")));
            assertTrue(e.getMessage().contains("AzureChaos") && e.getMessage().contains("remove dashboardUrl"), e.getMessage());
            assertEquals(null, dashboard.takeRequest(200, TimeUnit.MILLISECONDS), "nothing reached the dashboard");
        }
    }
}
