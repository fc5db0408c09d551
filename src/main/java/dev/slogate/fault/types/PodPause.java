package dev.slogate.fault.types;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.LocalFault;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code pod-pause}: SIGSTOP on the sandbox's pods, reverted by SIGCONT. */
public final class PodPause implements FaultKind, LocalFault {
    @Override
    public String id() {
        return "pod-pause";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL);
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(LocalFaultInjector.PIDS, LocalFault.pids(chosen, candidates));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        LocalFault.signal("STOP", fault.revertData().get(LocalFaultInjector.PIDS));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        LocalFault.signal("CONT", fault.revertData().get(LocalFaultInjector.PIDS));
    }
}
