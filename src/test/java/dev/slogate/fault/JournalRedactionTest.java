package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.slogate.experiment.FaultType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal is an output like the reports: a URL's password never rests on disk, and the entries still read back. */
class JournalRedactionTest {
    @TempDir
    Path dir;

    @Test
    void journalLinesAreRedactedAndStillReadable() throws Exception {
        Journal j = new Journal(dir, "run-1");
        InjectedFault f = new InjectedFault("f1", "run-1", "net", FaultType.values().get(0), "chaos-mesh", List.of("shop/web-1"), 1_000,
                Map.of("dashboard", "http://admin:DashPw-123@127.0.0.1:2333/?token=T0k3n-abc", "chaosTokenEnv", "CHAOS_TOKEN"));
        j.recordInjecting(f);
        j.recordEntry("job", Map.of("apiServer", "https://u:KubePw-456@10.0.0.1:6443"));
        String text = Files.readString(j.file());
        for (String secret : List.of("DashPw-123", "T0k3n-abc", "KubePw-456")) {
            assertFalse(text.contains(secret), text);
        }
        InjectedFault back = Journal.unreverted(dir).get(0);
        assertEquals("http://admin:***@127.0.0.1:2333/?token=***", back.revertData().get("dashboard"));
        assertEquals("CHAOS_TOKEN", back.revertData().get("chaosTokenEnv"));
        assertEquals("https://u:***@10.0.0.1:6443", Journal.entries(dir, "job").get(0).get("apiServer"));
    }
}
