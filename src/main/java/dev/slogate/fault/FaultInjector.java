package dev.slogate.fault;

import dev.slogate.experiment.FaultSpec;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a run injects through: {@link JournaledInjector} around one {@link FaultBackend} (local sandbox, Kubernetes, Chaos
 * Mesh), or the {@link FaultRouter} over several. Every fault is written to the {@link Journal} before it is applied, so
 * a crashed harness can be cleaned up by {@link #revert} from the journal alone.
 */
public interface FaultInjector {

    /** The targets the fault would hit right now, touching nothing. Throws {@link FaultException} if nothing matches. */
    List<String> plan(FaultSpec spec);

    /** Chooses targets, journals the fault, then applies it. */
    InjectedFault inject(String name, FaultSpec spec);

    /** Undoes a fault (idempotent: reverting twice, or a fault whose target is gone, is not an error). */
    void revert(InjectedFault fault);

    /**
     * When the target side saw the fault end, if it says so (Chaos Mesh's Recover events); empty when the time
     * {@link #revert} returned is the end of the fault window.
     */
    default OptionalLong recoveredAtMillis(InjectedFault fault) {
        return OptionalLong.empty();
    }
}
