package dev.slogate.fault;

import static dev.slogate.fault.LocalFaultInjectorIT.alive;
import static dev.slogate.fault.LocalFaultInjectorIT.awaitTrue;
import static dev.slogate.fault.LocalFaultInjectorIT.procState;
import static dev.slogate.fault.LocalFaultInjectorIT.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cleanup.Cleanup;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code slogate cleanup} after a harness died mid-fault: faults reverted from the journal, orphaned sandboxes stopped. */
@Timeout(50)
class CleanupIT {
    @TempDir
    Path tmp;

    @Test
    void revertsJournaledFaultsThenStopsTheSandboxOnceItsOwnerIsGone() throws Exception {
        Process owner = new ProcessBuilder("sleep", "120").start(); // stands in for the harness JVM
        Path stateDir = tmp.resolve("sandbox");
        Path journalDir = tmp.resolve("journal");
        SandboxClient sandbox = SandboxClient.start(new SandboxSpec(1, 2, 1, Duration.ofMillis(2), 0, 4, Duration.ofSeconds(1)),
                stateDir, List.of(), owner.pid());
        try {
            // The "harness" injects two faults and dies before reverting them: only the journal knows.
            JournaledInjector injector = new JournaledInjector(new LocalFaultInjector(sandbox, "crashed-run",
                    new SplittableRandom(1)), new Journal(journalDir, "crashed-run"));
            injector.inject("pause", spec(FaultType.POD_PAUSE, Map.of("pod", "a-1-1")));
            injector.inject("node", spec(FaultType.NODE_KILL, Map.of("node", "a-2")));
            long paused = pod(sandbox, "a-1-1").pid();
            awaitTrue(() -> procState(paused) == 'T', Duration.ofSeconds(2), "a-1-1 stopped");
            assertEquals(2, Journal.unreverted(journalDir).size());

            // the "crashed" harness is this JVM, alive: only --force reverts the faults of a live run
            List<String> done = Cleanup.run(journalDir, stateDir, true);

            assertEquals(2, done.size(), String.valueOf(done));
            assertTrue(done.get(0).startsWith("reverted pod-pause 'pause' of run crashed-run"), done.get(0));
            assertTrue(procState(paused) == 'S' || procState(paused) == 'R', "paused pod runs again");
            assertEquals(PodState.RUNNING, pod(sandbox, "a-2-1").state(), "node a-2 is up again");
            assertEquals(List.of(), Journal.unreverted(journalDir));
            assertTrue(SandboxClient.attach(stateDir).isPresent(), "the owner lives, so the sandbox stays");

            SandboxState last = sandbox.state();
            owner.destroyForcibly().waitFor();
            List<String> second = Cleanup.run(journalDir, stateDir);

            // the daemon stops itself within a second of its owner's death; cleanup stops it if it has not yet
            assertTrue(second.isEmpty() || second.get(0).contains("its owner, pid " + owner.pid() + ", is gone"), String.valueOf(second));
            awaitTrue(() -> pids(last).stream().noneMatch(LocalFaultInjectorIT::alive), Duration.ofSeconds(10), "no process left");
            awaitTrue(() -> SandboxClient.attach(stateDir).isEmpty(), Duration.ofSeconds(10), "no sandbox left");
        } finally {
            owner.destroyForcibly();
            sandbox.stop();
        }
    }

    @Test
    void killsWhatADaemonKilledWithSigkillLeftBehind() throws Exception {
        Path stateDir = tmp.resolve("sandbox2");
        SandboxClient sandbox = SandboxClient.start(new SandboxSpec(1, 1, 1, Duration.ofMillis(2), 0, 4, Duration.ofSeconds(1)),
                stateDir, List.of(), null);
        SandboxState s = sandbox.state();
        try {
            ProcessHandle.of(s.daemonPid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs
            awaitTrue(() -> !alive(s.daemonPid()), Duration.ofSeconds(5), "daemon dead");
            assertTrue(alive(s.haproxyPid()) && alive(s.prometheusPid()), "HAProxy and Prometheus outlive a SIGKILLed daemon");

            List<String> done = Cleanup.run(tmp.resolve("no-journal"), stateDir);

            assertEquals(1, done.size(), String.valueOf(done));
            assertTrue(done.get(0).contains("its daemon had died"), done.get(0));
            awaitTrue(() -> pids(s).stream().noneMatch(LocalFaultInjectorIT::alive), Duration.ofSeconds(5),
                    "every sandbox process gone: " + pids(s));
            assertEquals(List.of(), Cleanup.run(tmp.resolve("no-journal"), stateDir), "nothing left to do");
        } finally {
            SandboxClient.kill(s, stateDir);
        }
    }

    private static PodState pod(SandboxClient c, String name) {
        return c.state().pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Long> pids(SandboxState s) {
        List<Long> pids = new ArrayList<>(List.of(s.daemonPid(), s.haproxyPid(), s.prometheusPid()));
        s.pods().stream().map(PodState::pid).filter(p -> p > 0).forEach(pids::add);
        return pids;
    }
}
