package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI (a separate JVM, as ./slogate runs it) against the real sandbox: HAProxy, Prometheus, demo pods, signals.
 * Each test reads what a user reads: the exit code, report.json, and the processes left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path E2E = Path.of("src/test/resources/e2e").toAbsolutePath();

    @TempDir
    static Path work;

    @BeforeAll
    static void requireBuild() {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        cli(work.resolve("standalone"), "sandbox", "stop").waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void podKillRecoversWithinRestartDelayPlusDetection() throws Exception {
        Path dir = work.resolve("pod-kill");
        Process p = cli(dir, "run", "--run-id", "kill", E2E.resolve("pod-kill.yaml").toString());
        assertTrue(ends(p, 300), "run finished");
        JsonNode report = report(dir, "kill");
        JsonNode rto = result(report, "rto", "fault:kill-one");
        assertEquals("PASS", rto.get("verdict").asText(), rto.toString());
        double seconds = rto.get("measured").asDouble();
        // restart delay 3 s + health checks (2 x 500 ms) + margin 4 s; the pod kill must cost something
        assertTrue(seconds > 0 && seconds < 3 + 1 + 4, "RTO " + seconds + " s");
        assertTrue(events(report).contains("FAULT_INJECTED") && events(report).contains("FAULT_REVERTED"), events(report).toString());
        assertTrue(report.get("client").size() >= 20, "per-second client timeline");
        assertEquals(0, p.exitValue(), output(dir));
        assertTrue(Files.exists(dir.resolve("reports/kill/report.html")));
        assertTrue(Files.exists(dir.resolve("reports/kill/junit.xml")));
    }

    @Test
    @Order(2)
    void aStopConditionAbortsTheRunWithExitThree() throws Exception {
        Path dir = work.resolve("stop");
        long t0 = System.nanoTime();
        Process p = cli(dir, "run", "--run-id", "stop", E2E.resolve("stop.yaml").toString());
        assertTrue(ends(p, 300), "run finished");
        assertEquals(3, p.exitValue(), output(dir));
        JsonNode report = report(dir, "stop");
        assertTrue(events(report).contains("STOP_CONDITION"), events(report).toString());
        assertTrue(report.get("outcome").asText().contains("stop condition"), report.get("outcome").asText());
        assertTrue(report.get("client").size() < 30, "stopped well before the planned 60 s: " + report.get("client").size() + " s");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 60, "the harness ended early");
    }

    @Test
    @Order(2)
    void pausingEveryPodShowsInClientP99() throws Exception {
        Path dir = work.resolve("pause");
        Process p = cli(dir, "run", "--run-id", "pause", E2E.resolve("pause-all.yaml").toString());
        assertTrue(ends(p, 300), "run finished");
        JsonNode report = report(dir, "pause");
        JsonNode p99 = result(report, "p99-latency", "run", "client");
        assertTrue(p99.get("measured").asDouble() >= 1.5, "a 2 s stall of every pod must show in the client p99: " + p99);
        assertEquals("FAIL", p99.get("verdict").asText());
        assertEquals(1, p.exitValue(), output(dir));
    }

    @Test
    @Order(3)
    void ctrlCMidFaultLeavesNoPausedOrMissingPod() throws Exception {
        Path dir = work.resolve("standalone");
        Process start = cli(dir, "sandbox", "start", "--regions", "1", "--nodes", "2", "--pods", "1", "--restart-delay", "2s");
        assertTrue(ends(start, 90) && start.exitValue() == 0, output(dir));
        List<Long> before = podPids(dir);
        assertEquals(2, before.size());

        Process run = cli(dir, "run", "--run-id", "ctrlc", E2E.resolve("long-pause.yaml").toString());
        awaitPaused(dir, before);
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertTrue(ends(run, 60), "harness ends after Ctrl-C");
        for (long pid : podPids(dir)) {
            assertNotEquals('T', state(pid), "pod " + pid + " left paused");
        }
        assertEquals(before, podPids(dir), "no pod lost or restarted");
        JsonNode report = report(dir, "ctrlc");
        assertTrue(report.get("outcome").asText().contains("interrupted"), "what ran until Ctrl-C is reported: " + report.get("outcome"));
        assertTrue(events(report).contains("FAULT_REVERTED"), events(report).toString());
    }

    @Test
    @Order(4)
    void cleanupAfterKillMinus9RestoresTheSandbox() throws Exception {
        Path dir = work.resolve("standalone");
        List<Long> before = podPids(dir);
        Process run = cli(dir, "run", "--run-id", "killed", E2E.resolve("long-pause.yaml").toString());
        long paused = awaitPaused(dir, before);
        new ProcessBuilder("kill", "-9", Long.toString(run.pid())).start().waitFor();
        assertTrue(ends(run, 20));
        Thread.sleep(500);
        assertEquals('T', state(paused), "still paused after the harness died");

        Process cleanup = cli(dir, "cleanup");
        assertTrue(ends(cleanup, 60));
        assertEquals(0, cleanup.exitValue(), output(dir));
        assertNotEquals('T', state(paused), "cleanup resumed the paused pod");
        assertEquals(before, podPids(dir));
        assertFalse(output(dir).isBlank());
    }

    @Test
    @Order(5)
    void ctrlCDuringACapacityStepRevertsItsFault() throws Exception {
        Path dir = work.resolve("standalone");
        List<Long> before = podPids(dir);
        Process capacity = cli(dir, "capacity", "--fault", "pause-one", "--from", "20", "--settle", "30s", "--judge", "30s",
                "--run-id", "cap-ctrlc", E2E.resolve("long-pause.yaml").toString());
        long paused = awaitPaused(dir, before);
        new ProcessBuilder("kill", "-INT", Long.toString(capacity.pid())).start().waitFor();
        assertTrue(ends(capacity, 60), "capacity ends after Ctrl-C");
        assertNotEquals('T', state(paused), "the step's pause was reverted:\n" + output(dir));
        assertEquals(before, podPids(dir), "no pod lost or restarted; the sandbox it attached to is still up");
    }

    @Test
    @Order(6)
    void aSandboxWhoseRunIsKilledStopsItself() throws Exception {
        Path dir = work.resolve("orphan");
        Process run = cli(dir, "run", "--run-id", "orphan", E2E.resolve("long-pause.yaml").toString());
        Path state = dir.resolve(".slogate/sandbox/sandbox.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!(Files.exists(state) && JSON.readTree(state.toFile()).path("ready").asBoolean()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long daemon = JSON.readTree(state.toFile()).get("daemonPid").asLong();
        List<Long> pods = podPids(dir);
        new ProcessBuilder("kill", "-9", Long.toString(run.pid())).start().waitFor();
        assertTrue(ends(run, 20));
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!gone(daemon) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(gone(daemon), "the orphaned sandbox daemon stopped itself:\n" + output(dir));
        for (long pid : pods) {
            assertTrue(gone(pid), "pod " + pid + " stopped with its sandbox");
        }
    }

    /**
     * Whether the process ended in time; one that did not is stopped (SIGTERM: the harness reverts its faults and stops
     * its sandbox; then SIGKILL) so a hung run never outlives its test.
     */
    static boolean ends(Process p, int seconds) throws InterruptedException {
        if (p.waitFor(seconds, TimeUnit.SECONDS)) {
            return true;
        }
        p.destroy();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return false;
    }

    private static long awaitPaused(Path dir, List<Long> pids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (long pid : pids) {
                if (state(pid) == 'T') {
                    return pid;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no pod was paused within 90 s:\n" + output(dir));
    }

    /** Exited (a zombie counts: a container's init may not reap the orphans it inherits). */
    private static boolean gone(long pid) throws IOException {
        char s = state(pid);
        return s == 'X' || s == 'Z';
    }

    private static char state(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return 'X';
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2);
    }

    private static List<Long> podPids(Path dir) throws IOException {
        JsonNode state = JSON.readTree(dir.resolve(".slogate/sandbox/sandbox.json").toFile());
        List<Long> pids = new ArrayList<>();
        state.get("pods").forEach(p -> pids.add(p.get("pid").asLong()));
        return pids;
    }

    static Process cli(Path dir, String... args) throws IOException {
        return cli(dir, java.util.Map.of(), args);
    }

    /** The CLI with extra environment variables (e.g. a token the run reads from the environment). */
    static Process cli(Path dir, java.util.Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", Path.of("target/slogate.jar").toAbsolutePath() + ":" + Path.of("target/lib").toAbsolutePath() + "/*",
                "dev.slogate.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("output.log").toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String output(Path dir) {
        try {
            return Files.readString(dir.resolve("output.log"));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    static JsonNode report(Path dir, String runId) throws IOException {
        Path json = dir.resolve("reports").resolve(runId).resolve("report.json");
        assertTrue(Files.exists(json), "report.json written; output:\n" + output(dir));
        return JSON.readTree(json.toFile());
    }

    static JsonNode result(JsonNode report, String slo, String window, String... source) {
        for (JsonNode r : report.get("results")) {
            if (r.get("slo").asText().equals(slo) && r.get("window").asText().equals(window)
                    && (source.length == 0 || r.get("source").asText().equals(source[0]))) {
                return r;
            }
        }
        throw new AssertionError("no result for " + slo + " in " + window + ": " + report.get("results"));
    }

    static List<String> events(JsonNode report) {
        List<String> kinds = new ArrayList<>();
        report.get("events").forEach(e -> kinds.add(e.get("kind").asText()));
        return kinds;
    }
}
