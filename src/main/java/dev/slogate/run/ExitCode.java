package dev.slogate.run;

/** The process exit codes a CI gate reads. */
public final class ExitCode {
    /** Every SLO met. */
    public static final int MET = 0;
    /** At least one SLO failed. */
    public static final int SLO_FAILED = 1;
    /** Invalid input, or infrastructure unreachable before the run started. */
    public static final int INVALID = 2;
    /** A stop condition, Ctrl-C or SIGTERM aborted the run; faults were reverted. The process returns it on a signal too. */
    public static final int STOPPED = 3;
    /**
     * The run could not be judged: missing data, the injector could not hold the rate, or a report file could not be
     * written completely. Never a pass.
     */
    public static final int INCONCLUSIVE = 4;

    private ExitCode() {
    }

    public static String describe(int code) {
        return switch (code) {
            case MET -> "every SLO met";
            case SLO_FAILED -> "an SLO failed";
            case INVALID -> "invalid input or unreachable infrastructure";
            case STOPPED -> "aborted by a stop condition";
            case INCONCLUSIVE -> "inconclusive";
            default -> "exit " + code;
        };
    }
}
