package dev.slogate.fault.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.FaultTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault type added by one class ({@link PodFreeze}) and one registration is read, validated and planned like the
 * built-in ones: `slogate validate` checks its own key at its line and column, refuses that key on other types, and
 * `slogate plan` describes it. (Its run on the sandbox: {@code AddedFaultTypeIT}.)
 */
class AddedFaultTypeTest {
    @TempDir
    Path dir;

    private FaultTypes.Registration registration;

    @BeforeEach
    void register() {
        registration = FaultTypes.register(new PodFreeze());
    }

    @AfterEach
    void unregister() {
        registration.close();
    }

    static Path scenario(Path dir, String fault) throws Exception {
        Files.writeString(dir.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: freeze}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 50%}, windows: [run]}
                """);
        Path s = dir.resolve("freeze.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: freeze}
                spec:
                  target:
                    sandbox: {regions: 1, nodesPerRegion: 1, podsPerNode: 2, serviceTime: 2ms, restartDelay: 2s}
                  load:
                    requestTimeout: 5s
                    stages: [{hold: {rps: 20, duration: 8s}}]
                    requests: [{path: /}]
                  faults:
                    - name: freeze-one
                      at: 3s
                      fault: %s
                  slos: [slo.yaml]
                """.formatted(fault));
        return s;
    }

    @Test
    void theRegisteredTypeIsKnownWithItsBackends() {
        assertEquals("pod-freeze", FaultType.fromId("pod-freeze").id());
        assertTrue(FaultType.values().contains(FaultType.named("pod-freeze")));
        assertTrue(Backend.LOCAL.supports(FaultType.named("pod-freeze")));
        assertFalse(Backend.CHAOS_MESH.supports(FaultType.named("pod-freeze")));
    }

    @Test
    void validateAcceptsItAndChecksItsOwnKey() throws Exception {
        Path ok = scenario(dir, "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s, reason: gc pause}");
        InProcessCli.Result r = InProcessCli.run("validate", ok.toString());
        assertEquals(0, r.code(), r.out());

        Path missing = scenario(dir, "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s}");
        r = InProcessCli.run("validate", missing.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains(missing + ":14:14") && r.out().contains("needs 'reason'") && r.out().contains("write reason: gc pause"), r.out());

        Path tooLong = scenario(dir, "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s, reason: " + "x".repeat(41) + "}");
        r = InProcessCli.run("validate", tooLong.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("must be 1 to 40 characters, found 41"), r.out());

        Path elsewhere = scenario(dir, "{type: pod-kill, selector: {labels: {app: demo}, mode: one}, reason: gc pause}");
        r = InProcessCli.run("validate", elsewhere.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("reason only applies to pod-freeze faults"), r.out());
    }

    @Test
    void planDescribesItWithItsOwnOptions() throws Exception {
        Path s = scenario(dir, "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s, reason: gc pause}");
        InProcessCli.Result r = InProcessCli.run("plan", "--state-dir", dir.resolve("state").toString(), s.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("freeze-one: pod-freeze {app=demo} one (frozen for: gc pause)"), r.out());
    }

    @Test
    void withoutItsRegistrationTheTypeIsUnknown() throws Exception {
        registration.close();
        Path s = scenario(dir, "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s, reason: gc pause}");
        InProcessCli.Result r = InProcessCli.run("validate", s.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("unknown fault type 'pod-freeze'"), r.out());
        registration = FaultTypes.register(new PodFreeze());
    }
}
