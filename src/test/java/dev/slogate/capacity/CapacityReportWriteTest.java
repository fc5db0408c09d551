package dev.slogate.capacity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capacity.json and capacity.html are both there, complete, or neither is. */
class CapacityReportWriteTest {
    @TempDir
    Path dir;

    private static CapacityResult met() {
        return new CapacityResult("cap-1", "s", "http://127.0.0.1:1", null,
                List.of(new CapacityStep(1, 50, 50, 1.0, 2.0, 3.0, 0.0, true, false, List.of())), 50.0, null, List.of(), 0, "fine");
    }

    @Test
    void aFileThatCannotBeWrittenLeavesNeitherAndSaysWhich() throws Exception {
        Files.createDirectories(dir.resolve("capacity.html/blocked")); // a folder where the page must go
        IOException e = assertThrows(IOException.class, () -> CapacityReport.write(met(), dir));
        assertTrue(e.getMessage().contains(dir.resolve("capacity.html").toString()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("capacity.json")), "no capacity.json saying exit 0 for a run that returns 4");
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().equals("capacity.html")), "no temporary file left");
        }
    }

    @Test
    void aReportsFolderThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("reports"), "x");
        IOException e = assertThrows(IOException.class, () -> CapacityReport.write(met(), file.resolve("cap-1")));
        assertTrue(e.getMessage().contains(file + " is a file, not a directory")
                || e.getMessage().contains(file + " exists and is not a directory"), e.getMessage());
    }
}
