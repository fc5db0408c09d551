package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slogate.experiment.FaultType;
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
}
