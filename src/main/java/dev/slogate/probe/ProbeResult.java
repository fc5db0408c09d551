package dev.slogate.probe;

import java.util.List;
import java.util.Optional;

/**
 * What a write-integrity probe saw over a run. Totals: {@code sent} writes, {@code acknowledged} (2xx), {@code refused}
 * (an error answer or none), {@code lost} (acknowledged and missing from the final read-back, whatever the fault), and
 * the stored records' {@code integrity}. {@code faults} holds one entry per fault, judged at the read-back after its
 * recovery. {@code problems} says what could not be measured (e.g. a read-back that never answered).
 */
public record ProbeResult(String probe, long startMillis, long endMillis, double ratePerSecond, int sent, int acknowledged,
                          int refused, int lost, Rpo.Integrity integrity, List<FaultLoss> faults, List<String> problems) {
    public ProbeResult {
        faults = List.copyOf(faults);
        problems = List.copyOf(problems);
    }

    /**
     * One fault: its writes are those acknowledged (or, unacknowledged, sent) between the previous read-back and the
     * read-back after its recovery at {@code checkedMillis}; {@code loss} is null when that read-back failed
     * ({@code problem} says why).
     */
    public record FaultLoss(String fault, long injectedMillis, long revertedMillis, long checkedMillis, Rpo.Loss loss,
                            String problem) {
    }

    public Optional<FaultLoss> fault(String name) {
        return faults.stream().filter(f -> f.fault().equals(name)).findFirst();
    }
}
