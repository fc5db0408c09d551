package dev.slogate.cli;

import dev.slogate.redact.RedactedStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slogate} command line. */
@Command(name = "slogate", mixinStandardHelpOptions = true, version = "slogate 0.1.0",
        description = "Runs load, injects real faults and judges SLOs on one timeline; the exit code gates a release.",
        subcommands = {RunCommand.class, CapacityCommand.class, PlanCommand.class, ValidateCommand.class, CleanupCommand.class,
                ReportCommand.class, CompareCommand.class, SandboxCommand.class, DemoCommand.class, InjectorCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every SLO met", "  1  an SLO failed", "  2  invalid input or infrastructure unreachable before the run",
                "  3  aborted by a stop condition, Ctrl-C or SIGTERM (faults reverted)",
                "  4  inconclusive: missing data, the injector could not hold the rate, or a report file could not be written"})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs one command; everything it prints goes through {@link RedactedStream} (the console is an output like the
     * reports: no password, token or secret header value reaches it). The caller's streams are restored afterwards.
     */
    public static int execute(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(RedactedStream.over(out));
        System.setErr(RedactedStream.over(err));
        try {
            return executeRedacted(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static int executeRedacted(String... args) {
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
