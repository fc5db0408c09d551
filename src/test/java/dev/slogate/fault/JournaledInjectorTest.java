package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal protocol every back end gets from the one wrapper: record, apply, revert, record. */
class JournaledInjectorTest {
    @TempDir
    Path dir;

    private final List<String> steps = new ArrayList<>();

    /** A back end that notes what the journal held when it applied and reverted. */
    private FaultBackend backend(boolean refuse, boolean revertFails) {
        return new FaultBackend() {
            @Override
            public List<String> plan(FaultSpec spec) {
                return List.of("t1");
            }

            @Override
            public Injection prepare(String name, FaultSpec spec) {
                if (refuse) {
                    throw new FaultException("nothing matches");
                }
                InjectedFault f = new InjectedFault("id-1", "run", name, spec.type(), "fake", List.of("t1"), 1, Map.of());
                return Injection.of(f, () -> steps.add("apply, journal open: " + ids()));
            }

            @Override
            public void revert(InjectedFault fault) {
                steps.add("revert, journal open: " + ids());
                if (revertFails) {
                    throw new FaultException("target unreachable");
                }
            }
        };
    }

    private List<String> ids() {
        return Journal.unreverted(dir).stream().map(InjectedFault::id).toList();
    }

    private static FaultSpec spec() {
        return new FaultSpec("f", FaultType.POD_KILL, new Selector(Map.of("app", "demo"), Selector.Mode.ONE, 0), Duration.ZERO, null);
    }

    @Test
    void recordsBeforeApplyingAndAfterReverting() throws Exception {
        JournaledInjector i = new JournaledInjector(backend(false, false), new Journal(dir, "run"));
        InjectedFault f = i.inject("f", spec());
        i.revert(f);
        assertEquals(List.of("apply, journal open: [id-1]", "revert, journal open: [id-1]"), steps);
        assertTrue(ids().isEmpty());
        assertTrue(java.nio.file.Files.readString(dir.resolve("run.jsonl")).contains("\"type\":\"POD_KILL\""),
                "the journal spells types as it always has, so older journals and cleanup agree");
    }

    @Test
    void aRefusedFaultIsNeverJournaledAndAFailedRevertStaysOpen() {
        assertThrows(FaultException.class, () -> new JournaledInjector(backend(true, false), new Journal(dir, "run")).inject("f", spec()));
        assertTrue(ids().isEmpty(), "refused while choosing targets: nothing to clean up");
        JournaledInjector i = new JournaledInjector(backend(false, true), new Journal(dir, "run"));
        InjectedFault f = i.inject("f", spec());
        assertThrows(FaultException.class, () -> i.revert(f));
        assertEquals(List.of("id-1"), ids(), "a revert that failed leaves the fault for `slogate cleanup`");
    }
}
