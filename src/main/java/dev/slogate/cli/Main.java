package dev.slogate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slogate} command line. */
@Command(name = "slogate", mixinStandardHelpOptions = true, version = "slogate 0.1.0",
        description = "Runs load, injects real faults and judges SLOs on one timeline; the exit code gates a release.",
        subcommands = {RunCommand.class, CapacityCommand.class, PlanCommand.class, ValidateCommand.class, CleanupCommand.class,
                ReportCommand.class, SandboxCommand.class, DemoCommand.class, InjectorCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every SLO met", "  1  an SLO failed", "  2  invalid input or infrastructure unreachable before the run",
                "  3  aborted by a stop condition, Ctrl-C or SIGTERM (faults reverted)",
                "  4  inconclusive: missing data, the injector could not hold the rate, or a report file could not be written"})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Bad options are bad input: exit 2 like every other validation error.
        cli.setParameterExceptionHandler((ex, a) -> {
            cli.getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(cli.getErr());
            if (ex.getCommandLine().getCommand() instanceof RunCommand run) {
                return run.optionsUnreadable(ex.getMessage());
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
