package dev.slogate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the local game day (scenarios/demo-gameday.yaml) on the sandbox: steady load, a pod kill, a node kill, a region outage.",
        footerHeading = "%nExample:%n", footer = "  ./slogate demo")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Workspace workspace;

    @Override
    public Integer call() {
        Path home = Path.of(System.getProperty("slogate.home", "."));
        Path scenario = home.resolve("scenarios/demo-gameday.yaml");
        if (!Files.exists(scenario)) {
            System.out.println("error: " + scenario + " is missing; run the demo from the slogate checkout");
            return 2;
        }
        return RunCommand.runScenario(scenario, null, workspace);
    }
}
