package dev.slogate.cli;

import dev.slogate.cleanup.Cleanup;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Revert every fault a killed or crashed harness left behind, from the on-disk journal,",
                "delete the injector Job of a fleet run (--injectors-on kubernetes) that did not delete it,",
                "and stop a sandbox whose run is gone (or what a killed sandbox daemon left behind).",
                "Safe to run at any time: it only undoes what slogate did, and leaves the faults and the sandbox",
                "of a run that is still going alone (--force reverts them; that run then reports its fault window as cut)."},
        footerHeading = "%nExample:%n", footer = {"  slogate cleanup", "  slogate cleanup --force"})
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    Workspace workspace;

    @Option(names = "--force", description = "Also revert the faults of runs that are still going, and stop a sandbox such a run uses.")
    boolean force;

    @Override
    public Integer call() {
        List<String> done = Cleanup.run(workspace.journalDir(), workspace.sandboxDir(), force);
        if (done.isEmpty()) {
            System.out.println("Nothing to clean up.");
        }
        done.forEach(System.out::println);
        return 0;
    }
}
