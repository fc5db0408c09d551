package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.JourneySummary;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
    @TempDir
    Path dir;

    @Test
    void roundTripRebuildsTheExactRunWithHistogramsEqualByContent() throws IOException {
        RunReport original = SampleRuns.failed();
        new JsonReport().write(original, dir);
        RunReport read = JsonReport.read(dir.resolve("report.json"));

        assertEquals(original, read);
        assertEquals(original.client().size(), read.client().size());
        for (int i = 0; i < original.client().size(); i++) {
            ClientSecond a = original.client().get(i);
            ClientSecond b = read.client().get(i);
            assertEquals(a.latency().keySet(), b.latency().keySet());
            for (SeriesKey key : a.latency().keySet()) {
                Histogram ha = a.latency().get(key);
                Histogram hb = b.latency().get(key);
                assertEquals(ha, hb, "second " + a.epochSecond() + " " + key);
                assertEquals(ha.getTotalCount(), hb.getTotalCount());
                for (double p : new double[] {50, 95, 99, 100}) {
                    assertEquals(ha.getValueAtPercentile(p), hb.getValueAtPercentile(p));
                }
            }
        }
        assertEquals(original.results().get(3).measured(), read.results().get(3).measured(), "null measured kept");
    }

    @Test
    void journeysAreWrittenWhenThereAreSomeAndReadBack() throws IOException {
        RunReport plain = SampleRuns.failed();
        assertTrue(!new ObjectMapper().readTree(JsonReport.toJson(plain)).has("journeys"), "a run without journeys has no such field");
        RunReport withJourneys = new RunReport(plain.schemaVersion(), plain.runId(), plain.scenario(), plain.target(), plain.startMillis(),
                plain.endMillis(), plain.exitCode(), plain.outcome(), plain.events(), plain.windows(), plain.results(), plain.client(),
                plain.notes(), plain.probes(), plain.problems(), List.of(new JourneySummary("buyer", 10, 8, 1, 1,
                new JourneySummary.Durations(1500.0, 1400.0, 2000.0, 2100.0, 2150.0), JourneySummary.Durations.NONE)));
        new JsonReport().write(withJourneys, dir);
        assertEquals(withJourneys, JsonReport.read(dir.resolve("report.json")));
        assertEquals(withJourneys, withJourneys.withOutcome(withJourneys.exitCode(), withJourneys.outcome()));
    }

    @Test
    void eachSecondCarriesReadableFiguresNextToTheHistograms() throws IOException {
        RunReport r = SampleRuns.failed();
        JsonNode root = new ObjectMapper().readTree(JsonReport.toJson(r));
        assertEquals(RunReport.SCHEMA_VERSION, root.get("schemaVersion").asInt());
        assertEquals(20_000, root.get("durationMillis").asLong());
        assertEquals(r.client().size(), root.get("client").size());

        ClientSecond faulty = r.client().get(5);
        JsonNode second = root.get("client").get(5);
        assertEquals(faulty.epochSecond(), second.get("epochSecond").asLong());
        assertEquals(faulty.count(StatusClass.OK), second.get("counts").get("ok").asLong());
        assertEquals(faulty.count(StatusClass.TIMEOUT), second.get("counts").get("timeout").asLong());
        assertTrue(faulty.count(StatusClass.TIMEOUT) > 0);
        assertEquals(faulty.merged().getValueAtPercentile(99) / 1000.0, second.get("p99Ms").asDouble());
        assertEquals(faulty.merged().getMaxValue() / 1000.0, second.get("maxMs").asDouble());
        assertEquals(faulty.latency().size(), second.get("series").size());

        JsonNode idle = root.get("client").get(10);
        assertEquals(0, idle.get("sent").asLong());
        assertTrue(idle.get("p50Ms").isNull(), "no latency for a second without requests: " + idle);
    }

    @Test
    void histogramsFromTwoInjectorsMergeExactly() throws IOException {
        RunReport a = SampleRuns.failed();
        RunReport b = SampleRuns.failed();
        Histogram expected = LatencyHistograms.create();
        Histogram merged = LatencyHistograms.create();
        for (RunReport r : new RunReport[] {a, b}) {
            r.client().forEach(s -> expected.add(s.merged()));
            JsonNode root = new ObjectMapper().readTree(JsonReport.toJson(r));
            root.get("client").forEach(s -> s.get("series")
                    .forEach(series -> merged.add(LatencyHistograms.decode(series.get("histogram").asText()))));
        }
        assertEquals(expected, merged);
        assertEquals(expected.getValueAtPercentile(99.9), merged.getValueAtPercentile(99.9));
    }

    @Test
    void refusesANewerSchemaAndSaysWhatToDo() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(JsonReport.toJson(SampleRuns.failed()));
        root.put("schemaVersion", RunReport.SCHEMA_VERSION + 1);
        Path file = dir.resolve("report.json");
        mapper.writeValue(file.toFile(), root);
        IOException e = assertThrows(IOException.class, () -> JsonReport.read(file));
        assertTrue(e.getMessage().contains("newer slogate"), e.getMessage());
    }

    @Test
    void explainsAMissingOrForeignFile() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> JsonReport.read(dir));
        assertTrue(missing.getMessage().contains("no report.json"), missing.getMessage());
        Files.writeString(dir.resolve("report.json"), "{\"hello\": 1}");
        IOException foreign = assertThrows(IOException.class, () -> JsonReport.read(dir));
        assertTrue(foreign.getMessage().contains("not a slogate report"), foreign.getMessage());
    }
}
