package dev.slogate.cli;

import dev.slogate.load.fleet.InjectorMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** What a pod of the fleet's Indexed Job runs: one injector, connecting to the coordinator ({@code slogate run}). */
@Command(name = "injector", mixinStandardHelpOptions = true, hidden = true,
        description = "Run one load injector of a fleet: connect to the coordinator and send the share it assigns.")
final class InjectorCommand implements Callable<Integer> {
    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "The coordinator's address.")
    String connect;

    @Option(names = "--name", description = "This injector's name (default: injector-$JOB_COMPLETION_INDEX).")
    String name;

    @Option(names = "--work-dir", description = "Where Gatling writes (default: the directory the coordinator names).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        return InjectorMain.serve(connect, name, workDir);
    }
}
