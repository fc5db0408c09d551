package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cleanup.Cleanup;
import dev.slogate.experiment.FaultType;
import dev.slogate.sandbox.SandboxProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slogate cleanup} reverts what dead runs left behind and leaves a live run's faults alone, unless forced; the
 * "pod" here is a plain process paused with SIGSTOP, and the live run is this JVM (the owner its journal records).
 */
class CleanupOwnersTest {
    @TempDir
    Path dir;
    Process pod;

    @BeforeEach
    void pausedPod() throws Exception {
        pod = new ProcessBuilder("sleep", "60").start();
        Signals.send("STOP", pod.pid());
        awaitState('T');
    }

    @AfterEach
    void stopPod() {
        pod.destroyForcibly();
    }

    private InjectedFault pause(String run) {
        return new InjectedFault("f-" + run, run, "pause-one", FaultType.POD_PAUSE, LocalFaultInjector.NAME, List.of("a-1-1"),
                System.currentTimeMillis(), Map.of(LocalFaultInjector.PIDS, Signals.identity(pod.pid())));
    }

    @Test
    void aLiveRunsFaultIsSkippedAndSaidSo() throws Exception {
        Path journal = dir.resolve("journal");
        new Journal(journal, "live").recordInjecting(pause("live"));

        List<String> done = Cleanup.run(journal, dir.resolve("sandbox"));

        assertEquals(1, done.size(), done.toString());
        assertTrue(done.get(0).startsWith("skipped pod-pause 'pause-one' of run live: that run is still going (pid "
                + ProcessHandle.current().pid() + ")"), done.get(0));
        assertTrue(done.get(0).contains("--force"), done.get(0));
        assertEquals('T', SandboxProcesses.state(pod.pid()), "still paused: the run reverts it itself");
        assertEquals(1, Journal.unreverted(journal).size());
    }

    @Test
    void forceRevertsALiveRunsFaultAndTellsTheRun() throws Exception {
        Path journal = dir.resolve("journal");
        Journal run = new Journal(journal, "live");
        InjectedFault f = pause("live");
        run.recordInjecting(f);

        List<String> done = Cleanup.run(journal, dir.resolve("sandbox"), true);

        assertTrue(done.get(0).startsWith("reverted pod-pause 'pause-one' of run live") && done.get(0).contains("still going"), done.toString());
        awaitState('S');
        assertEquals(List.of(), Journal.unreverted(journal));
        assertEquals(Cleanup.FORCED, run.revertedElsewhere(f.id()).orElseThrow().why(), "the run finds out from its journal");
    }

    @Test
    void aDeadRunsFaultIsRevertedWithoutForce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path journal = dir.resolve("journal");
        Files.createDirectories(journal);
        InjectedFault f = pause("dead");
        // as the dead run wrote it: the owner is its pid (now gone) and its start time
        Files.writeString(journal.resolve("dead.jsonl"), "{\"event\":\"injecting\",\"fault\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(f)
                + ",\"owner\":{\"runId\":\"dead\",\"pid\":" + gone.pid() + ",\"startMillis\":1,\"sinceMillis\":1}}\n");

        List<String> done = Cleanup.run(journal, dir.resolve("sandbox"));

        assertTrue(done.get(0).startsWith("reverted pod-pause 'pause-one' of run dead") && !done.get(0).contains("still going"), done.toString());
        awaitState('S');
    }

    private void awaitState(char want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (SandboxProcesses.state(pod.pid()) != want && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(want, SandboxProcesses.state(pod.pid()));
    }
}
