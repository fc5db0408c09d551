package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per sandbox: who owns it, when an owner is stale, and that two runs at the same instant cannot both win. */
class SandboxLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIsToldWhoOwnsTheSandbox() {
        try (SandboxLock first = SandboxLock.acquire(dir, RunOwner.current("first"))) {
            SandboxLock.BusyException busy = assertThrows(SandboxLock.BusyException.class,
                    () -> SandboxLock.acquire(dir, RunOwner.current("second")));
            assertEquals("first", busy.owner().runId());
            assertEquals(ProcessHandle.current().pid(), busy.owner().pid());
            String m = busy.getMessage();
            assertTrue(m.contains("run first (pid " + ProcessHandle.current().pid() + ", since "), m);
            assertTrue(m.contains("another --state-dir") && m.contains("slogate cleanup"), "says what to do: " + m);
            assertEquals("first", SandboxLock.owner(dir).orElseThrow().runId());
        }
        assertTrue(SandboxLock.owner(dir).isEmpty(), "released");
        SandboxLock.acquire(dir, RunOwner.current("second")).close();
    }

    @Test
    void anOwnerWhoseProcessIsGoneIsStale() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long start = RunOwner.startMillis(p.pid()); // may already be 0 if it exited: then judged by its pid alone
        p.waitFor();
        write(new RunOwner("crashed", p.pid(), start, 1));
        assertFalse(new RunOwner("crashed", p.pid(), start, 1).alive());
        assertTrue(SandboxLock.owner(dir).isEmpty());
        try (SandboxLock l = SandboxLock.acquire(dir, RunOwner.current("next"))) {
            assertEquals("next", SandboxLock.owner(dir).orElseThrow().runId());
        }
    }

    @Test
    void aReusedPidIsNotTheOwner() throws Exception {
        long pid = ProcessHandle.current().pid();
        RunOwner earlier = new RunOwner("old", pid, RunOwner.startMillis(pid) - 60_000, 1); // same pid, another process
        assertFalse(earlier.alive());
        write(earlier);
        SandboxLock.acquire(dir, RunOwner.current("new")).close();
        assertTrue(RunOwner.current("x").alive());
    }

    @Test
    void releasingLeavesAnotherOwnersFileAlone() throws Exception {
        SandboxLock mine = SandboxLock.acquire(dir, RunOwner.current("mine"));
        RunOwner other = RunOwner.current("other");
        write(other); // e.g. cleanup --force took over meanwhile
        mine.close();
        assertEquals("other", SandboxLock.owner(dir).orElseThrow().runId());
    }

    @Test
    void ofRunsStartedAtTheSameInstantExactlyOneWins() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SandboxLock>> tries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = "run-" + i;
            tries.add(pool.submit(() -> {
                go.await();
                try {
                    return SandboxLock.acquire(dir, RunOwner.current(run));
                } catch (SandboxLock.BusyException e) {
                    return null;
                }
            }));
        }
        go.countDown();
        List<SandboxLock> won = new ArrayList<>();
        for (Future<SandboxLock> f : tries) {
            SandboxLock l = f.get(10, TimeUnit.SECONDS);
            if (l != null) {
                won.add(l);
            }
        }
        pool.shutdown();
        assertEquals(1, won.size());
        assertEquals(won.get(0).owner().runId(), SandboxLock.owner(dir).orElseThrow().runId());
        won.get(0).close();
    }

    private void write(RunOwner o) throws Exception {
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve(SandboxLock.OWNER_FILE).toFile(), o);
    }
}
