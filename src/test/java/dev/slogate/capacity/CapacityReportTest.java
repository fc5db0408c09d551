package dev.slogate.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityReportTest {
    @TempDir
    Path dir;

    private static CapacityStep step(int i, double rps, boolean held, double p99) {
        return new CapacityStep(i, rps, rps, p99 / 3, p99 / 2, p99, held ? 0 : 2.5, held, false,
                held ? List.of() : List.of("p95-latency (p95 latency 338 ms > 100 ms in run (client))"));
    }

    @Test
    void writesTableChartsAndJson() throws Exception {
        CapacityResult r = new CapacityResult("cap-1", "known", "http://127.0.0.1:1", null,
                List.of(step(1, 60, true, 30), step(2, 120, true, 35), step(3, 240, false, 900), step(4, 180, true, 40),
                        step(5, 210, false, 400)), 180.0, 210.0, List.of("p95-latency (p95 latency 338 ms > 100 ms in run (client))"),
                0, "Maximum sustainable rate: 180 rps");
        CapacityReport.write(r, dir);
        String html = Files.readString(dir.resolve("capacity.html"));
        assertTrue(html.contains("<svg id=\"capacity-latency\""), "latency chart");
        assertTrue(html.contains("<svg id=\"capacity-errors\""), "error-rate chart");
        assertTrue(html.contains("requests per second (target of the step)"), "rps on the x axis, not time");
        assertTrue(html.contains("<tr class=\"max\"><td>4</td><td>180</td>"), "the maximum sustainable step is marked");
        assertTrue(html.contains("p95 latency 338 ms &gt; 100 ms"), "which SLO broke, escaped");
        assertEquals(2, html.split("<tr class=\"broke\">", -1).length - 1, "the two broken steps are marked");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("capacity.json").toFile());
        assertEquals(180.0, json.get("maxSustainableRps").asDouble());
        assertEquals(5, json.get("steps").size());
        assertEquals("p95-latency", json.get("firstBroken").get(0).asText().split(" ")[0]);
    }

    @Test
    void stepStatsCountLatencyLikeTheRunWindowAndTheRateOverWholeSeconds() {
        Histogram ok = LatencyHistograms.create();
        ok.recordValue(20_000);
        Histogram slow = LatencyHistograms.create();
        slow.recordValue(3_000_000);
        ClientSecond.SeriesKey okKey = new ClientSecond.SeriesKey("home", StatusClass.OK);
        ClientSecond.SeriesKey timeout = new ClientSecond.SeriesKey("home", StatusClass.TIMEOUT);
        List<ClientSecond> seconds = List.of(new ClientSecond(9, 100, 100, Map.of(okKey, ok)),
                new ClientSecond(10, 100, 100, Map.of(okKey, ok)), new ClientSecond(11, 100, 90, Map.of(okKey, ok)),
                new ClientSecond(12, 100, 40, Map.of(timeout, slow)));
        // window 10.0 s .. 12.5 s: seconds 10, 11 whole; 12 touches it
        CapacityStep s = CapacityRun.stats(1, 100, seconds, 10_000, 12_500, false, false, List.of("x"));
        assertEquals(95, s.achievedRps(), 1e-9);
        assertEquals(100.0 / 3, s.errorPercent(), 1e-9);
        assertTrue(s.p99Ms() > 2_900, "the timeout of the touching last second counts: " + s.p99Ms());
    }
}
