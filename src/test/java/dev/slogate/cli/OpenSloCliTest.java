package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.cli.InProcessCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate and plan on OpenSLO files: warnings are printed and never change the exit code; references span the files given. */
class OpenSloCliTest {
    private static final Path V1 = Path.of("src/test/resources/openslo/v1");

    @TempDir
    Path tmp;

    @Test
    void validateOfAFolderReadsEveryLayoutAndPrintsWarningsWithExitZero() {
        Result r = InProcessCli.run("validate", V1.toString());
        assertEquals(0, r.code(), r.out());
        for (String f : List.of("array.json", "composite.yaml", "documents.yaml", "object.json", "sequence.yaml", "single.yaml", "slis.yaml")) {
            assertTrue(r.out().contains("ok     " + V1.resolve(f)), r.out());
        }
        assertTrue(r.out().contains("  " + V1.resolve("single.yaml") + ":34:5: warning: timeWindow (28d) is ignored"), r.out());
        assertTrue(r.out().matches("(?s).*7 files, 0 with problems, \\d+ warnings\\n.*"), r.out());
    }

    @Test
    void anSliInAnotherFileResolvesWhenThatFileIsGivenToo() {
        Result alone = InProcessCli.run("validate", V1.resolve("composite.yaml").toString());
        assertEquals(2, alone.code(), alone.out());
        assertTrue(alone.out().contains(V1.resolve("composite.yaml") + ":16:21: indicatorRef 'browse-success' names no kind: SLI document in "
                + V1.resolve("composite.yaml")), alone.out());
        Result both = InProcessCli.run("validate", V1.resolve("composite.yaml").toString(), V1.resolve("slis.yaml").toString());
        assertEquals(0, both.code(), both.out());
    }

    @Test
    void planPrintsTheWarningsAndTheTimeSlicedObjectives() throws Exception {
        Files.copy(V1.resolve("sequence.yaml"), tmp.resolve("sequence.yaml"));
        Path scenario = Files.writeString(tmp.resolve("s.yaml"), """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: s}
                spec:
                  load:
                    stages: [{hold: {rps: 5, duration: 3m}}]
                    requests: [{path: /}]
                  slos: [sequence.yaml]
                """);
        Result r = InProcessCli.run("plan", "--state-dir", tmp.resolve("state").toString(), scenario.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains(tmp.resolve("sequence.yaml") + ":35:13: warning: op on a ratioMetric objective is ignored"), r.out());
        assertTrue(r.out().contains("web-availability: availability >= 95% (Prometheus sum(http_requests{component=\"web\",code=~\"2..|4..\"}) / "
                + "sum(http_requests{component=\"web\"}), counters) in each 1m slice; met when >= 99.5% of the slices are"), r.out());
        assertTrue(r.out().contains("web-ratio-timeslices: average over 5m slices of availability >= 99%"), r.out());
    }
}
