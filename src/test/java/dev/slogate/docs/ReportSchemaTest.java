package dev.slogate.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.JourneySummary;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Rpo;
import dev.slogate.report.JsonReport;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/report.schema.json describes what {@link JsonReport} writes: a report with every part filled (all
 * event kinds, a cut window, a result without data, client seconds with histograms, a probe with a measured and an
 * unmeasured fault) and a report of a run that never started both validate; a field the schema does not know fails.
 */
class ReportSchemaTest {
    private static final long T0 = 1_796_602_544_719L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema schema;

    @BeforeAll
    static void readSchema() throws Exception {
        try (InputStream in = Files.newInputStream(DocsLinksTest.REPO.resolve("docs/reference/report.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void aFullReportValidates() throws Exception {
        assertValid(JSON.readTree(JsonReport.toJson(fullRun())));
    }

    @Test
    void aReportOfARunThatNeverStartedValidates() throws Exception {
        RunReport notRun = RunReport.notRun("gate-7", "checkout", "http://127.0.0.1:8080", T0,
                List.of("scenarios/checkout.yaml:12:7: unknown key 'rps'", "Prometheus at http://127.0.0.1:9090 is unreachable"));
        assertValid(JSON.readTree(JsonReport.toJson(notRun)));
    }

    @Test
    void aFieldTheSchemaDoesNotKnowOrAMissingOneFails() throws Exception {
        ObjectNode extra = (ObjectNode) JSON.readTree(JsonReport.toJson(fullRun()));
        ((ObjectNode) extra.get("results").get(0)).put("severity", "high");
        assertFalse(schema.validate(extra).isEmpty(), "an unknown field in a result must fail");
        ObjectNode missing = (ObjectNode) JSON.readTree(JsonReport.toJson(fullRun()));
        missing.remove("exitCode");
        assertFalse(schema.validate(missing).isEmpty(), "a report without exitCode must fail");
        ObjectNode badVerdict = (ObjectNode) JSON.readTree(JsonReport.toJson(fullRun()));
        ((ObjectNode) badVerdict.get("results").get(0)).put("verdict", "MAYBE");
        assertFalse(schema.validate(badVerdict).isEmpty(), "an unknown verdict must fail");
    }

    private static void assertValid(JsonNode report) {
        List<Error> errors = schema.validate(report);
        assertTrue(errors.isEmpty(), "report.json does not match docs/reference/report.schema.json:\n"
                + String.join("\n", errors.stream().map(Error::toString).toList()));
    }

    /** A 3 s run with one fault that was cut short, every event kind, all verdicts and a write probe. */
    private static RunReport fullRun() {
        List<Event> events = Arrays.stream(Event.Kind.values())
                .map(k -> new Event(T0 + k.ordinal() * 100L, k, k == Event.Kind.NOTE ? null : "region-a", k + " detail"))
                .toList();
        List<Window> windows = List.of(new Window("run", T0, T0 + 3_000), new Window("steady", T0, T0 + 1_000),
                new Window("fault:region-a", T0 + 1_000, T0 + 2_000, "reverted by slogate cleanup --force (pid 4711) at +2.0 s"),
                new Window("recovery:region-a", T0 + 2_000, T0 + 3_000), new Window("step:2", T0 + 1_000, T0 + 3_000));
        List<SloResult> results = List.of(
                new SloResult("p95-latency", "run", "client", "p95 < 200 ms", 0.0215, "s", Verdict.PASS, "p95 latency 22 ms < 200 ms in run (client)"),
                new SloResult("errors", "recovery:region-a", "prometheus", "errors < 1 %", null, "ratio", Verdict.NO_DATA, null),
                new SloResult("rpo", "fault:region-a", "probe", "RPO < 1 s", 1.93, "s", Verdict.FAIL, "RPO 1.93 s > 1 s"));
        List<ClientSecond> client = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Histogram ok = LatencyHistograms.create();
            ok.recordValue(2_000 + s * 1_000L);
            Histogram timeout = LatencyHistograms.create();
            timeout.recordValue(5_000_000);
            client.add(new ClientSecond(T0 / 1000 + s, 50, 2, s == 1
                    ? Map.of(new SeriesKey("home", StatusClass.OK), ok, new SeriesKey("(unanswered)", StatusClass.TIMEOUT), timeout,
                            new SeriesKey("login", StatusClass.EXTRACT_ERROR), ok)
                    : Map.of(new SeriesKey("home", StatusClass.OK), ok)));
        }
        client.add(new ClientSecond(T0 / 1000 + 3, 50, 0, Map.of()));
        ProbeResult probe = new ProbeResult("writes", T0, T0 + 3_000, 50, 150, 120, 30, 2, new Rpo.Integrity(118, 118, 0, 3),
                List.of(new ProbeResult.FaultLoss("region-a", T0 + 1_000, T0 + 2_000, T0 + 2_500,
                                new Rpo.Loss(T0 + 1_000, 60, 2, 30, 1, T0 + 950L, T0 + 990L, T0 - 930L, 1_930, false), null),
                        new ProbeResult.FaultLoss("node-b", T0 + 2_000, T0 + 2_400, T0 + 2_900, null, "the read-back never answered")),
                List.of("the read-back after node-b never answered"));
        return new RunReport(RunReport.SCHEMA_VERSION, "20261207-001530-demo-gameday", "demo-gameday", "http://127.0.0.1:33085",
                T0, T0 + 3_000, 1, "1 of 3 SLO checks failed; 1 had no data", events, windows, results, client,
                List.of("stage 1 (hold): target 50.0 rps, achieved 49.8 rps"), List.of(probe), List.of(),
                List.of(new JourneySummary("buyer", 40, 37, 2, 1, new JourneySummary.Durations(1_210.5, 1_180.0, 1_650.0, 1_900.0, 2_004.0),
                                new JourneySummary.Durations(35.5, 30.0, 70.0, 95.0, 120.0)),
                        new JourneySummary("visitor", 3, 0, 3, 0, JourneySummary.Durations.NONE, JourneySummary.Durations.NONE)));
    }
}
