package dev.slogate.fault;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultSpec;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Sends each fault to the injector of its backend (local sandbox, Kubernetes, Chaos Mesh), and each revert back to the
 * injector that applied it, so one run can load the sandbox and break a cluster.
 */
public final class FaultRouter implements FaultInjector {
    private final Map<Backend, FaultInjector> byBackend = new EnumMap<>(Backend.class);
    private final Map<String, FaultInjector> byName = new HashMap<>();

    /** Registers the injector of {@code backend}; {@code name} is what it writes as {@link InjectedFault#injector()}. */
    public FaultRouter add(Backend backend, String name, FaultInjector injector) {
        byBackend.put(backend, injector);
        byName.put(name, injector);
        return this;
    }

    private FaultInjector of(FaultSpec spec) {
        FaultInjector i = byBackend.get(spec.backendOrLocal());
        if (i == null) {
            throw new FaultException(spec.type() + " goes to backend " + spec.backendOrLocal() + ", which this run has not set up"
                    + (spec.backendOrLocal() == Backend.LOCAL ? " (local faults need the sandbox target)" : " (add spec.kubernetes to the scenario)"));
        }
        return i;
    }

    private FaultInjector of(InjectedFault fault) {
        FaultInjector i = byName.get(fault.injector());
        if (i == null) {
            throw new FaultException("no injector '" + fault.injector() + "' in this run to revert " + fault.name() + "; run `slogate cleanup`");
        }
        return i;
    }

    @Override
    public List<String> plan(FaultSpec spec) {
        return of(spec).plan(spec);
    }

    @Override
    public InjectedFault inject(String name, FaultSpec spec) {
        return of(spec).inject(name, spec);
    }

    @Override
    public void revert(InjectedFault fault) {
        of(fault).revert(fault);
    }

    @Override
    public OptionalLong recoveredAtMillis(InjectedFault fault) {
        FaultInjector i = byName.get(fault.injector());
        return i == null ? OptionalLong.empty() : i.recoveredAtMillis(fault);
    }
}
