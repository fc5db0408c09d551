package dev.slogate.fault;

import dev.slogate.experiment.FaultSpec;
import java.util.List;
import java.util.OptionalLong;

/**
 * The journal protocol, once for every back end: a fault is recorded (and forced to disk) before its back end applies
 * it, and recorded as reverted only after the back end undid it, so a harness that dies at any point leaves what
 * {@code slogate cleanup} needs. A fault the back end refuses while choosing its targets is never journaled.
 */
public final class JournaledInjector implements FaultInjector, AutoCloseable {
    private final FaultBackend backend;
    private final Journal journal;

    public JournaledInjector(FaultBackend backend, Journal journal) {
        this.backend = backend;
        this.journal = journal;
    }

    /** The back end this journals for. */
    public FaultBackend backend() {
        return backend;
    }

    @Override
    public List<String> plan(FaultSpec spec) {
        return backend.plan(spec);
    }

    @Override
    public InjectedFault inject(String name, FaultSpec spec) {
        FaultBackend.Injection injection = backend.prepare(name, spec);
        journal.recordInjecting(injection.fault());
        return injection.apply();
    }

    @Override
    public void revert(InjectedFault fault) {
        backend.revert(fault);
        journal.recordReverted(fault.id());
    }

    @Override
    public OptionalLong recoveredAtMillis(InjectedFault fault) {
        return backend.recoveredAtMillis(fault);
    }

    /** Closes the back end (its watches and pollers). */
    @Override
    public void close() {
        backend.close();
    }
}
