package dev.slogate.cli;

import dev.slogate.fault.Journal;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where slogate keeps its state (journal, sandbox) and writes reports; shared by the commands as a mixin. */
public final class Workspace {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "Journal and sandbox state (default: .slogate).")
    Path stateDir = Path.of(".slogate");

    @Option(names = "--reports-dir", paramLabel = "DIR", description = "Where run reports go (default: reports).")
    Path reportsDir = Path.of("reports");

    Path journalDir() {
        return Journal.dir(stateDir);
    }

    Path sandboxDir() {
        return stateDir.resolve("sandbox");
    }
}
