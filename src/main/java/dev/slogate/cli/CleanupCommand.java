package dev.slogate.cli;

import dev.slogate.fault.Cleanup;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Revert every fault a killed or crashed harness left behind, from the on-disk journal,",
                "delete the injector Job of a fleet run (--injectors-on kubernetes) that did not delete it,",
                "and stop a sandbox whose run is gone. Safe to run at any time; it only undoes what slogate did."},
        footerHeading = "%nExample:%n", footer = "  slogate cleanup")
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        List<String> done = Cleanup.run(workspace.journalDir(), workspace.sandboxDir());
        if (done.isEmpty()) {
            System.out.println("Nothing to clean up.");
        }
        done.forEach(System.out::println);
        return 0;
    }
}
