package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.FaultType;
import dev.slogate.sandbox.RunOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private static InjectedFault fault(String id, String run, long at) {
        return new InjectedFault(id, run, "f-" + id, FaultType.POD_PAUSE, "local", List.of("a-1-1"), at, Map.of("pids", "1@2"));
    }

    @Test
    void unrevertedSpansRunsAndSkipsReverted() throws Exception {
        Journal r1 = new Journal(dir, "run-1");
        Journal r2 = new Journal(dir, "run-2");
        r1.recordInjecting(fault("x", "run-1", 10));
        r1.recordInjecting(fault("y", "run-1", 20));
        r2.recordInjecting(fault("z", "run-2", 5));
        r1.recordReverted("x");

        List<InjectedFault> open = Journal.unreverted(dir);
        assertEquals(List.of("z", "y"), open.stream().map(InjectedFault::id).toList());
        assertEquals(fault("y", "run-1", 20), open.get(1));
        assertEquals(3, Files.readAllLines(r1.file()).size());
    }

    @Test
    void aTornLastLineIsIgnored() throws Exception {
        Journal j = new Journal(dir, "run-3");
        j.recordInjecting(fault("a", "run-3", 1));
        Files.writeString(j.file(), "{\"event\":\"injecting\",\"fau", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("a"), Journal.unreverted(dir).stream().map(InjectedFault::id).toList());
    }

    @Test
    void missingDirectoryMeansNothingToRevert() {
        assertEquals(List.of(), Journal.unreverted(dir.resolve("none")));
    }

    @Test
    void runIdMustBeAFileName() {
        assertThrows(IllegalArgumentException.class, () -> new Journal(dir, "../x"));
    }

    @Test
    void aFaultLineNamesItsOwnerByPidAndProcessStartTime() throws Exception {
        Journal j = new Journal(dir, "run-4");
        j.recordInjecting(fault("a", "run-4", 1));
        Journal.Entry e = Journal.open(dir).get(0);
        long pid = ProcessHandle.current().pid();
        assertEquals(pid, e.owner().pid());
        assertEquals(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(), e.owner().startMillis());
        assertEquals("run-4", e.owner().runId());
        assertTrue(e.ownerAlive(), "this process runs");
    }

    @Test
    void anEntryOfADeadOrReusedPidOrWithoutOwnerIsNotALiveRuns() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long self = ProcessHandle.current().pid();
        long selfStart = RunOwner.startMillis(self);
        Path f = dir.resolve("old.jsonl");
        Files.writeString(f, line("dead", "{\"runId\":\"old\",\"pid\":" + p.pid() + ",\"startMillis\":0,\"sinceMillis\":1}")
                + line("reused", "{\"runId\":\"old\",\"pid\":" + self + ",\"startMillis\":" + (selfStart - 5000) + ",\"sinceMillis\":1}")
                + line("none", null));
        List<Journal.Entry> open = Journal.open(dir);
        assertEquals(List.of("dead", "none", "reused"), open.stream().map(e -> e.fault().id()).sorted().toList());
        assertTrue(open.stream().noneMatch(Journal.Entry::ownerAlive), open.toString());
    }

    private static String line(String id, String ownerJson) {
        return "{\"event\":\"injecting\",\"fault\":{\"id\":\"" + id + "\",\"runId\":\"old\",\"name\":\"n\",\"type\":\"POD_PAUSE\","
                + "\"injector\":\"local\",\"targets\":[],\"injectedAtMillis\":" + id.length() + ",\"revertData\":{}}"
                + (ownerJson == null ? "" : ",\"owner\":" + ownerJson) + "}\n";
    }

    @Test
    void aRunSeesARevertSomeoneElseJournaled() {
        Journal run = new Journal(dir, "run-5");
        run.recordInjecting(fault("mine", "run-5", 1));
        run.recordInjecting(fault("theirs", "run-5", 2));
        run.recordReverted("mine");
        assertTrue(run.revertedElsewhere("mine").isEmpty(), "its own revert is not someone else's");
        assertTrue(run.revertedElsewhere("theirs").isEmpty(), "not reverted yet");

        new Journal(dir, "run-5").recordReverted("theirs", "reverted by `slogate cleanup --force`"); // as cleanup writes it

        Journal.Reversal r = run.revertedElsewhere("theirs").orElseThrow();
        assertEquals("reverted by `slogate cleanup --force`", r.why());
        assertEquals(ProcessHandle.current().pid(), r.by().pid());
        assertTrue(r.atMillis() > 0);
        assertTrue(r.describe().contains("cleanup --force") && r.describe().contains("pid "), r.describe());
    }
}
