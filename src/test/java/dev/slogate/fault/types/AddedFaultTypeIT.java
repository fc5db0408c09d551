package dev.slogate.fault.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.cli.InProcessCli;
import dev.slogate.experiment.FaultTypes;
import dev.slogate.fault.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault type added by one class ({@link PodFreeze}) and one registration runs on the real sandbox like the built-in
 * ones: injected through the journaling wrapper, reverted at the end of its duration, and read back from the report.
 */
class AddedFaultTypeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void aRunInjectsRevertsAndReportsIt() throws Exception {
        Path state = dir.resolve("state");
        Path scenario = AddedFaultTypeTest.scenario(dir,
                "{type: pod-freeze, selector: {labels: {app: demo}, mode: one}, duration: 2s, reason: gc pause}");
        try (FaultTypes.Registration r = FaultTypes.register(new PodFreeze())) {
            InProcessCli.Result run = InProcessCli.run("run", "--state-dir", state.toString(), "--reports-dir", dir.resolve("reports").toString(),
                    "--run-id", "freeze", scenario.toString());
            assertEquals(0, run.code(), run.out());
            assertTrue(run.out().contains("fault freeze-one: pod-freeze (frozen for: gc pause) on "), "progress line:\n" + run.out());

            JsonNode report = JSON.readTree(dir.resolve("reports/freeze/report.json").toFile());
            List<String> faultEvents = new ArrayList<>();
            for (JsonNode e : report.get("events")) {
                if (e.path("kind").asText().startsWith("FAULT_")) {
                    faultEvents.add(e.path("kind").asText() + " " + e.path("subject").asText() + ": " + e.path("detail").asText());
                }
            }
            assertEquals(2, faultEvents.size(), faultEvents.toString());
            assertTrue(faultEvents.get(0).startsWith("FAULT_INJECTED freeze-one: pod-freeze (frozen for: gc pause) on a-1-"), faultEvents.toString());
            assertTrue(faultEvents.get(1).startsWith("FAULT_REVERTED freeze-one"), faultEvents.toString());
            assertTrue(Journal.unreverted(state.resolve("journal")).isEmpty(), "journaled and reverted through the one wrapper");
            assertTrue(Files.readString(state.resolve("journal/freeze.jsonl")).contains("\"type\":\"POD_FREEZE\""));
        } finally {
            InProcessCli.run("sandbox", "stop", "--state-dir", state.toString());
        }
    }
}
