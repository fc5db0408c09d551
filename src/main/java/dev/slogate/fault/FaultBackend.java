package dev.slogate.fault;

import dev.slogate.experiment.FaultSpec;
import java.util.List;
import java.util.OptionalLong;

/**
 * What one back end (local sandbox, Kubernetes API, Chaos Mesh) does to apply and undo a fault, without the journal:
 * {@link JournaledInjector} adds the journal protocol once for every back end (record before applying, record after
 * reverting), so no back end can apply a fault the journal does not know.
 */
public interface FaultBackend extends AutoCloseable {

    /** The targets the fault would hit right now, touching nothing. Throws {@link FaultException} if nothing matches. */
    List<String> plan(FaultSpec spec);

    /** Chooses targets and what reverting needs, touching nothing yet; the returned injection applies it. */
    Injection prepare(String name, FaultSpec spec);

    /** Undoes a fault (idempotent: reverting twice, or a fault whose target is gone, is not an error). */
    void revert(InjectedFault fault);

    /** As {@link FaultInjector#recoveredAtMillis}. */
    default OptionalLong recoveredAtMillis(InjectedFault fault) {
        return OptionalLong.empty();
    }

    /** Releases what the back end holds (watches, pollers); nothing by default. */
    @Override
    default void close() {
    }

    /** A fault chosen but not applied yet. */
    interface Injection {
        /** The fault as the journal records it before it is applied: enough for {@code slogate cleanup} to revert it. */
        InjectedFault fault();

        /** Applies it; returns the fault as applied (a back end may learn its targets or its start only now). */
        InjectedFault apply();

        /** An injection whose journaled fault is also the applied one. */
        static Injection of(InjectedFault fault, Runnable apply) {
            return new Injection() {
                @Override
                public InjectedFault fault() {
                    return fault;
                }

                @Override
                public InjectedFault apply() {
                    apply.run();
                    return fault;
                }
            };
        }
    }
}
