package dev.slogate.slo;

import dev.slogate.load.ClientSecond;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import java.util.List;

/**
 * An earlier run that objectives with a baseline are judged against: what its report.json keeps of it (its windows,
 * every client second with its histograms, and its faults' spans), so a window of it is measured exactly as the same
 * window of the run being judged.
 *
 * @param runId where it came from, as messages name it (its run id)
 */
public record BaselineRun(String runId, String scenario, List<Window> windows, List<ClientSecond> client, List<FaultSpan> faults) {
    public BaselineRun {
        windows = List.copyOf(windows);
        client = List.copyOf(client);
        faults = List.copyOf(faults);
    }
}
