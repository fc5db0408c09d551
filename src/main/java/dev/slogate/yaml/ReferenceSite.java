package dev.slogate.yaml;

import java.nio.file.Path;

/** Where a file was referenced from (a {@code ref:} or {@code slos:} entry), for reporting it missing at the reference. */
public record ReferenceSite(Path file, YamlNode node) {
}
