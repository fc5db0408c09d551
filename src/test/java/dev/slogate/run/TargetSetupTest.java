package dev.slogate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.fault.FaultException;
import dev.slogate.sandbox.RunOwner;
import dev.slogate.sandbox.SandboxLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The target set-up of run, capacity and plan, where it needs no sandbox or cluster: a url target, a look, a busy sandbox. */
class TargetSetupTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private Scenario scenario(String target) throws Exception {
        Files.writeString(tmp.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: e}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 1%}}
                """);
        Path s = tmp.resolve("scenario.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: target-setup}
                spec:
                  target:
                    %s
                  load:
                    stages: [{hold: {rps: 5, duration: 2s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """.formatted(target));
        return new ExperimentLoader().loadScenario(s);
    }

    @Test
    void aUrlTargetIsTakenAsWrittenWithNoSandboxFaultBackEnd() throws Exception {
        Scenario s = scenario("{url: 'http://127.0.0.1:9/shop', prometheus: 'http://127.0.0.1:9/prom'}");
        Path state = tmp.resolve("state");
        try (TargetSetup target = new TargetSetup(s, state, "url-run", out).open()) {
            assertEquals("http://127.0.0.1:9/shop", target.baseUrl());
            assertEquals("http://127.0.0.1:9/prom", target.prometheusUrl());
            assertNull(target.sandbox());
            assertFalse(target.needsCluster());
            FaultSpec podKill = new ExperimentLoader().loadFault(Path.of("faults/pod-kill-one.yaml"));
            FaultException e = assertThrows(FaultException.class, () -> target.faults().plan(podKill));
            assertTrue(e.getMessage().contains("local faults need the sandbox target"), e.getMessage());
        }
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(state), "a url target takes no lock and writes no state");
    }

    @Test
    void aLookAtASandboxTargetWithNoSandboxRunningTakesAndStartsNothing() throws Exception {
        Scenario s = scenario("sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1}");
        Path state = tmp.resolve("state");
        TargetSetup target = new TargetSetup(s, state, "plan", out).look();
        assertNull(target.sandbox());
        assertNull(target.prometheusUrl(), "no Prometheus to check PromQL against");
        target.close();
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(state), "plan locks, starts and journals nothing");
    }

    @Test
    void aSandboxHeldByAnotherRunStopsTheSetUpBeforeItAttachesOrStarts() throws Exception {
        Scenario s = scenario("sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 1}");
        Path state = tmp.resolve("state");
        try (SandboxLock held = SandboxLock.acquire(state.resolve("sandbox"), RunOwner.current("the-other-run"))) {
            TargetSetup target = new TargetSetup(s, state, "second-run", out);
            SandboxLock.BusyException e = assertThrows(SandboxLock.BusyException.class, target::open);
            assertEquals("the-other-run", e.owner().runId());
            target.close();
            assertEquals("", printed.toString(StandardCharsets.UTF_8), "neither attached nor started");
            assertEquals("the-other-run", SandboxLock.owner(state.resolve("sandbox")).orElseThrow().runId(),
                    "closing the refused set-up leaves the other run's lock alone");
        }
    }
}
