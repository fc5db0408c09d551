package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every loader test does: write YAML files into its folder, and find the one problem a bad file must produce. */
final class YamlFixture {
    private YamlFixture() {
    }

    static Path write(Path dir, String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, yaml);
        return p;
    }

    /** The single problem whose message contains {@code part}, at {@code line} (and {@code column} if > 0), with a hint. */
    static Problem expectOne(ValidationException e, String part, int line, int column) {
        var matching = e.getProblems().stream().filter(p -> p.message().contains(part)).toList();
        if (matching.size() != 1) {
            fail("expected one problem containing '" + part + "', got:\n" + e.getMessage());
        }
        Problem p = matching.get(0);
        assertEquals(line, p.line(), () -> "line of: " + p);
        if (column > 0) {
            assertEquals(column, p.column(), () -> "column of: " + p);
        }
        assertTrue(p.hint() != null && !p.hint().isBlank(), () -> "no hint: " + p);
        return p;
    }
}
