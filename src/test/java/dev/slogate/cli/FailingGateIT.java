package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.ends;
import static dev.slogate.cli.EndToEndIT.output;
import static dev.slogate.cli.EndToEndIT.report;
import static dev.slogate.cli.EndToEndIT.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate that can fail: the real CLI on the real sandbox with the service really broken, and a run whose data goes
 * missing. Each must end in the exit code a release pipeline stops on, naming the SLO and window that missed.
 */
class FailingGateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path E2E = Path.of("src/test/resources/e2e").toAbsolutePath();

    @TempDir
    static Path work;

    /** The runs, started together (each on its own sandbox, at a few dozen rps): the suite waits for them once. */
    private static final Map<String, Process> RUNS = new ConcurrentHashMap<>();
    private static volatile String prometheusKill = "not yet";

    @BeforeAll
    static void startEveryRun() throws Exception {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        for (String id : List.of("stall", "errors", "capacity", "no-data")) {
            RUNS.put(id, cli(work.resolve(id), "run", "--run-id", id, E2E.resolve("gate-" + id + ".yaml").toString()));
            Thread.sleep(2_000); // staggered: four sandboxes booting at once would only queue for the two cores
        }
        Thread killer = new Thread(FailingGateIT::killPrometheusMidRun, "kill-prometheus");
        killer.setDaemon(true);
        killer.start();
    }

    /** A run whose test did not wait for it (filtered out, or failed first) must not outlive the class. */
    @AfterAll
    static void stopLeftovers() throws InterruptedException {
        for (Process p : RUNS.values()) {
            ends(p, 1);
        }
    }

    /** A few seconds into the no-data run's load, its sandbox's Prometheus is SIGKILLed. */
    private static void killPrometheusMidRun() {
        try {
            Path state = work.resolve("no-data").resolve(".slogate/sandbox/sandbox.json");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!(Files.exists(state) && JSON.readTree(state.toFile()).path("ready").asBoolean()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long prometheus = JSON.readTree(state.toFile()).get("prometheusPid").asLong();
            Thread.sleep(7_000); // a few seconds into the load (Gatling boots for about 3 s)
            new ProcessBuilder("kill", "-9", Long.toString(prometheus)).start().waitFor();
            prometheusKill = "killed";
        } catch (Exception e) {
            prometheusKill = "failed: " + e;
        }
    }

    @Test
    void stalledRequestsCountAsTimeoutsInTheSecondsAndWindowTheyWereSentIn() throws Exception {
        Path dir = work.resolve("stall");
        Process p = RUNS.get("stall");
        assertTrue(ends(p, 300), "run finished");
        assertEquals(1, p.exitValue(), output(dir));
        JsonNode report = report(dir, "stall");
        long totalTimeouts = 0;
        for (JsonNode s : report.get("client")) {
            // a stall never shows as fewer requests: every request sent in a second has its outcome in that second
            assertEquals(s.get("sent").asLong(), s.get("completed").asLong(), "second " + s);
            totalTimeouts += s.get("counts").get("timeout").asLong();
        }
        assertTrue(totalTimeouts > 0, "a paused pod and a 3 s delay with a 1.5 s timeout time requests out");
        long inFaults = 0;
        for (String fault : new String[] {"pause", "slow"}) {
            JsonNode window = window(report, "fault:" + fault);
            long timeouts = timeoutsIn(report, window);
            assertTrue(timeouts > 0, "timeouts of requests sent during " + fault + " count in its window");
            inFaults += timeouts;
            JsonNode errors = result(report, "error-rate", "fault:" + fault);
            assertEquals("FAIL", errors.get("verdict").asText(), errors.toString());
            assertTrue(errors.get("measured").asDouble() > 0.02, errors.toString());
            JsonNode rto = result(report, "rto", "fault:" + fault);
            assertTrue(rto.get("measured").asDouble() > 0, "a stall costs recovery time: " + rto);
        }
        assertEquals(totalTimeouts, inFaults, "every timeout belongs to a request sent inside a fault window");
        assertEquals("PASS", result(report, "error-rate", "steady").get("verdict").asText());
        assertTrue(output(dir).contains("FAIL  error-rate: error rate"), output(dir));
        assertTrue(output(dir).contains("in fault:pause"), output(dir));
    }

    @Test
    void aServiceFailingFivePercentOfRequestsFailsTheGate() throws Exception {
        Path dir = work.resolve("errors");
        Process p = RUNS.get("errors");
        assertTrue(ends(p, 300), "run finished");
        assertEquals(1, p.exitValue(), output(dir));
        JsonNode errors = result(report(dir, "errors"), "error-rate", "run");
        assertEquals("FAIL", errors.get("verdict").asText());
        assertEquals(0.05, errors.get("measured").asDouble(), 0.035, errors.toString());
        assertTrue(output(dir).contains("FAIL  error-rate: error rate"), output(dir));
        assertTrue(output(dir).contains("in run (client)"), output(dir));
    }

    @Test
    void aRegionOutageWithoutSpareCapacityFailsItsWindow() throws Exception {
        Path dir = work.resolve("capacity");
        Process p = RUNS.get("capacity");
        assertTrue(ends(p, 300), "run finished");
        assertEquals(1, p.exitValue(), output(dir));
        JsonNode report = report(dir, "capacity");
        assertEquals("PASS", result(report, "p95-latency", "steady").get("verdict").asText(), "70 rps fit in two regions");
        JsonNode outage = result(report, "p95-latency", "fault:region-b");
        assertEquals("FAIL", outage.get("verdict").asText(), outage.toString());
        assertTrue(output(dir).contains("FAIL  p95-latency:"), output(dir));
        assertTrue(output(dir).contains("in fault:region-b"), output(dir));
    }

    @Test
    void prometheusStoppedMidRunIsInconclusiveNeverAPass() throws Exception {
        Path dir = work.resolve("no-data");
        Process p = RUNS.get("no-data");
        assertTrue(ends(p, 300), "run finished");
        assertEquals("killed", prometheusKill);
        assertEquals(4, p.exitValue(), output(dir));
        JsonNode server = result(report(dir, "no-data"), "p99-latency", "run", "prometheus");
        assertEquals("NO_DATA", server.get("verdict").asText(), server.toString());
        assertTrue(output(dir).contains("NO_DATA  p99-latency:"), output(dir));
    }

    private static JsonNode window(JsonNode report, String name) {
        for (JsonNode w : report.get("windows")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no window " + name + " in " + report.get("windows"));
    }

    /** Timeouts of the client seconds that touch the window. */
    private static long timeoutsIn(JsonNode report, JsonNode window) {
        long start = window.get("startMillis").asLong();
        long end = window.get("endMillis").asLong();
        long n = 0;
        for (JsonNode s : report.get("client")) {
            long from = s.get("epochSecond").asLong() * 1000;
            if (from + 1000 > start && from < end) {
                n += s.get("counts").get("timeout").asLong();
            }
        }
        return n;
    }
}
