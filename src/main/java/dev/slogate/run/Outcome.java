package dev.slogate.run;

import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.util.List;

/**
 * The run's exit code and the sentence that explains it. Precedence: a stop condition (3) over an injector that could
 * not hold its rate (4, nothing it measured is trustworthy) over a failed SLO (1) over missing data (4) over a pass.
 */
public record Outcome(int exitCode, String text) {

    public static Outcome judge(String stopReason, boolean saturated, String loadMessage, List<SloResult> results) {
        long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
        long noData = results.stream().filter(r -> r.verdict() == Verdict.NO_DATA).count();
        if (stopReason != null) {
            return new Outcome(ExitCode.STOPPED, "Aborted by a stop condition: " + stopReason + "; every fault was reverted.");
        }
        if (saturated) {
            return new Outcome(ExitCode.INCONCLUSIVE, "Inconclusive: " + loadMessage);
        }
        if (failed > 0) {
            return new Outcome(ExitCode.SLO_FAILED, failed + " of " + results.size() + " SLO checks failed.");
        }
        if (results.isEmpty()) {
            return new Outcome(ExitCode.INCONCLUSIVE, "Inconclusive: the scenario has no SLO to judge.");
        }
        if (noData > 0) {
            return new Outcome(ExitCode.INCONCLUSIVE, "Inconclusive: " + noData + " of " + results.size() + " SLO checks had no data.");
        }
        return new Outcome(ExitCode.MET, "Every SLO met (" + results.size() + " checks).");
    }
}
