package dev.slogate.cli;

import dev.slogate.dashboard.Dashboard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the local game day (scenarios/demo-gameday.yaml) on the sandbox: steady load, a pod kill, a node kill, a region outage.",
        footerHeading = "%nExample:%n", footer = "  ./slogate demo")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dashboard", paramLabel = "PORT", description = "The live dashboard's port (default "
            + Dashboard.DEFAULT_PORT + ", or any free port if taken; 0: any free port).")
    Integer dashboardPort;

    @Option(names = "--no-dashboard", description = "No live dashboard (by default the demo serves one and prints its URL;"
            + " on a terminal it stays up after the run until Enter is pressed).")
    boolean noDashboard;

    @Option(names = "--dashboard-bind", paramLabel = "ADDR", description = "Where the dashboard listens (default 127.0.0.1)."
            + " Another address shows the run's data to whoever reaches it: a warning says so.")
    String dashboardBind;

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
        LiveDashboard dashboard = null;
        if (!noDashboard) {
            try {
                dashboard = LiveDashboard.of(dashboardPort == null ? Integer.valueOf(LiveDashboard.DEFAULT) : dashboardPort, dashboardBind);
            } catch (IllegalArgumentException e) {
                return RunCommand.badOption(scenario, null, workspace, e.getMessage());
            }
        }
        return RunCommand.runScenario(scenario, null, workspace, 0, false, dashboard, true, null);
    }
}
