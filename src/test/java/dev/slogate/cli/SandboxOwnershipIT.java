package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.ends;
import static dev.slogate.cli.EndToEndIT.output;
import static dev.slogate.cli.EndToEndIT.report;
import static dev.slogate.cli.EndToEndIT.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.sandbox.SandboxProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per sandbox, one owner per journal entry, no orphans, on the real sandbox: a second run on a busy sandbox,
 * cleanup during a live run (skipped, then forced), a sandbox of another shape, and what a SIGKILLed daemon leaves.
 * The first run is a separate JVM as ./slogate runs it; the rest runs in this JVM through the CLI.
 */
class SandboxOwnershipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OWNER = Path.of("src/test/resources/owner").toAbsolutePath();

    @TempDir
    static Path work;

    @BeforeAll
    static void requireBuild() {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
    }

    @Test
    @Timeout(180)
    void aLiveRunKeepsItsSandboxAndFaultsUntilForcedThenReportsTheCutWindow() throws Exception {
        Path dir = work.resolve("busy");
        Path state = dir.resolve(".slogate");
        Process first = cli(dir, "run", "--run-id", "first", OWNER.resolve("pause.yaml").toString());
        try {
            await(() -> Files.exists(state.resolve("sandbox/owner.json")), 60, "the first run takes the sandbox", dir);

            InProcessCli.Result second = InProcessCli.run("run", "--state-dir", state.toString(), "--reports-dir",
                    dir.resolve("reports").toString(), "--run-id", "second", OWNER.resolve("pause.yaml").toString());

            assertEquals(2, second.code(), second.out());
            assertTrue(second.out().contains("in use by run first (pid " + first.pid() + ", since "), second.out());
            assertTrue(second.out().contains("another --state-dir"), "says what to do: " + second.out());
            assertFalse(second.out().contains("Using the running sandbox") || second.out().contains("Starting the sandbox"), second.out());
            // it ran nothing: its report is the not-run report of every exit 2, with the owner named as its problem
            JsonNode notRun = report(dir, "second");
            assertEquals(2, notRun.get("exitCode").asInt());
            assertEquals(0, notRun.get("events").size(), notRun.toString());
            assertTrue(notRun.get("problems").toString().contains("in use by run first"), notRun.toString());

            long paused = awaitPaused(state, dir);
            InProcessCli.Result status = InProcessCli.run("sandbox", "status", "--state-dir", state.toString());
            assertTrue(status.out().contains("in use by run first") && status.out().contains(" paused "), status.out());
            InProcessCli.Result stop = InProcessCli.run("sandbox", "stop", "--state-dir", state.toString());
            assertEquals(2, stop.code(), "no `sandbox stop` under a live run: " + stop.out());

            InProcessCli.Result cleanup = InProcessCli.run("cleanup", "--state-dir", state.toString());
            assertEquals(0, cleanup.code());
            assertTrue(cleanup.out().contains("skipped pod-pause 'pause-one' of run first: that run is still going (pid "
                    + first.pid() + ")"), cleanup.out());
            assertEquals('T', SandboxProcesses.state(paused), "cleanup left the live run's pause alone");

            InProcessCli.Result forced = InProcessCli.run("cleanup", "--force", "--state-dir", state.toString());
            assertTrue(forced.out().contains("reverted pod-pause 'pause-one' of run first"), forced.out());
            assertNotEquals('T', SandboxProcesses.state(paused), "--force resumed the pod");

            assertTrue(ends(first, 120), "the first run finished");
            assertEquals(4, first.exitValue(), "a cut fault window makes the gate inconclusive:\n" + output(dir));
            JsonNode report = report(dir, "first");
            JsonNode window = window(report, "fault:pause-one");
            assertTrue(window.path("cut").asText().contains("reverted by someone else"), window.toString());
            assertTrue(window.path("cut").asText().contains("cleanup --force"), window.toString());
            for (String w : List.of("fault:pause-one", "recovery:pause-one")) {
                JsonNode r = result(report, "fault-errors", w);
                assertEquals("NO_DATA", r.get("verdict").asText(), r.toString());
                assertTrue(r.get("message").asText().contains("reverted by someone else at "), r.toString());
            }
            assertEquals("PASS", result(report, "run-errors", "run").get("verdict").asText(), "the rest was judged as usual");
            assertTrue(report.get("notes").toString().contains("reverted by someone else"), report.get("notes").toString());
        } finally {
            ends(first, 1);
        }
    }

    @Test
    @Timeout(150)
    void aRunRefusesASandboxOfAnotherShapeUnlessTold() throws Exception {
        Path dir = work.resolve("shape");
        Path state = dir.resolve(".slogate");
        InProcessCli.Result start = InProcessCli.run("sandbox", "start", "--regions", "1", "--nodes", "1", "--pods", "1",
                "--restart-delay", "2s", "--state-dir", state.toString());
        assertEquals(0, start.code(), start.out());
        try {
            InProcessCli.Result refused = InProcessCli.run("run", "--state-dir", state.toString(), "--reports-dir",
                    dir.resolve("reports").toString(), "--run-id", "refused", OWNER.resolve("short.yaml").toString());
            assertEquals(2, refused.code(), refused.out());
            assertTrue(refused.out().contains("is 1 region x 1 node x 1 pod; the scenario asks for 1 region x 1 node x 2 pods"),
                    refused.out());
            assertTrue(refused.out().contains("--accept-sandbox-shape"), refused.out());
            assertFalse(Files.exists(dir.resolve("reports/refused")));

            InProcessCli.Result accepted = InProcessCli.run("run", "--accept-sandbox-shape", "--state-dir", state.toString(),
                    "--reports-dir", dir.resolve("reports").toString(), "--run-id", "accepted", OWNER.resolve("short.yaml").toString());
            assertNotEquals(2, accepted.code(), accepted.out());
            JsonNode notes = report(dir, "accepted").get("notes");
            assertTrue(notes.toString().contains("sandbox shape used: 1 region x 1 node x 1 pod, not the scenario's 1 region x 1 node x 2 pods"),
                    notes.toString());
        } finally {
            InProcessCli.run("sandbox", "stop", "--state-dir", state.toString());
        }
    }

    @Test
    @Timeout(150)
    void whatAKilledDaemonLeftIsStoppedByTheNextStartAndByCleanupWithoutItsStateFile() throws Exception {
        Path dir = work.resolve("orphans");
        Path state = dir.resolve(".slogate");
        Path sandboxDir = state.resolve("sandbox");
        try {
            JsonNode first = startOnePod(state);
            long pod = first.get("pods").get(0).get("pid").asLong();
            List<Long> firstPids = List.of(first.get("daemonPid").asLong(), first.get("haproxyPid").asLong(),
                    first.get("prometheusPid").asLong(), pod);
            assertEquals(firstPids.stream().sorted().toList(), marked(sandboxDir), "every process carries the marker");

            new ProcessBuilder("kill", "-STOP", Long.toString(pod)).start().waitFor();
            InProcessCli.Result status = InProcessCli.run("sandbox", "status", "--state-dir", state.toString());
            assertTrue(status.out().contains(" paused "), "a SIGSTOPped pod is paused, not running:\n" + status.out());
            new ProcessBuilder("kill", "-CONT", Long.toString(pod)).start().waitFor();

            killDaemon(first);
            assertTrue(alive(first.get("haproxyPid").asLong()) && alive(first.get("prometheusPid").asLong()),
                    "HAProxy and Prometheus outlive a SIGKILLed daemon");

            JsonNode second = startOnePod(state);
            String out = lastStartOutput;
            assertTrue(out.contains("Stopped what an earlier sandbox") && out.contains("(pid " + first.get("haproxyPid").asLong() + ")")
                    && out.contains("(pid " + first.get("prometheusPid").asLong() + ")"), out);
            for (long pid : firstPids) {
                assertFalse(alive(pid), "process " + pid + " of the first sandbox stopped");
            }

            killDaemon(second);
            Files.delete(sandboxDir.resolve("sandbox.json"));
            InProcessCli.Result cleanup = InProcessCli.run("cleanup", "--state-dir", state.toString());
            assertTrue(cleanup.out().contains("stopped the sandbox in") && cleanup.out().contains("sandbox.json is gone")
                    && cleanup.out().contains("(pid " + second.get("haproxyPid").asLong() + ")"), cleanup.out());
            assertFalse(alive(second.get("haproxyPid").asLong()) || alive(second.get("prometheusPid").asLong()), cleanup.out());
            assertEquals(List.of(), marked(sandboxDir), "nothing of either sandbox is left");
        } finally {
            SandboxProcesses.kill(sandboxDir);
        }
    }

    private String lastStartOutput = "";

    private JsonNode startOnePod(Path state) throws IOException {
        InProcessCli.Result start = InProcessCli.run("sandbox", "start", "--regions", "1", "--nodes", "1", "--pods", "1",
                "--restart-delay", "2s", "--state-dir", state.toString());
        assertEquals(0, start.code(), start.out());
        lastStartOutput = start.out();
        return JSON.readTree(state.resolve("sandbox/sandbox.json").toFile());
    }

    private static void killDaemon(JsonNode s) throws Exception {
        long daemon = s.get("daemonPid").asLong();
        new ProcessBuilder("kill", "-9", Long.toString(daemon)).start().waitFor();
        await(() -> !alive(daemon), 10, "daemon " + daemon + " dead", null);
    }

    private static List<Long> marked(Path sandboxDir) {
        return SandboxProcesses.of(sandboxDir).stream().map(ProcessHandle::pid).sorted().toList();
    }

    /** Running in any way (a zombie left for an init that does not reap is not). */
    private static boolean alive(long pid) {
        char s = SandboxProcesses.state(pid);
        return s != SandboxProcesses.GONE && s != 'Z';
    }

    private static long awaitPaused(Path state, Path dir) throws Exception {
        Path file = state.resolve("sandbox/sandbox.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<Long> pids = new ArrayList<>();
                try {
                    JSON.readTree(file.toFile()).path("pods").forEach(p -> pids.add(p.get("pid").asLong()));
                } catch (IOException torn) {
                    continue; // written atomically, but a reader may race its rename on some file systems
                }
                for (long pid : pids) {
                    if (pid > 0 && SandboxProcesses.state(pid) == 'T') {
                        return pid;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no pod was paused within 90 s:\n" + output(dir));
    }

    private static void await(BooleanSupplier done, int seconds, String what, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within " + seconds + " s" + (dir == null ? "" : ":\n" + output(dir)));
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode window(JsonNode report, String name) {
        for (JsonNode w : report.get("windows")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no window " + name + ": " + report.get("windows"));
    }
}
