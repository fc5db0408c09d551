package dev.slogate.fault;

import dev.slogate.experiment.FaultType;
import java.util.List;
import java.util.Map;

/**
 * A fault as applied: what it hit, when, and whatever its injector needs to revert it later (pids, node names,
 * object names), so that {@code slogate cleanup} can revert it from the journal in another process.
 */
public record InjectedFault(String id, String runId, String name, FaultType type, String injector, List<String> targets,
                            long injectedAtMillis, Map<String, String> revertData) {
    public InjectedFault {
        targets = List.copyOf(targets);
        revertData = Map.copyOf(revertData);
    }
}
