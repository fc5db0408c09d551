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

/** {@code latency}: the sandbox daemon puts a delaying proxy in front of each chosen pod in HAProxy. */
public final class Latency implements FaultKind, LocalFault {
    @Override
    public String id() {
        return "latency";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL);
    }

    @Override
    public String delays() {
        return "request";
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(LocalFaultInjector.PODS, String.join(",", chosen), "latencyMillis", String.valueOf(spec.latency().toMillis()));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        fault.targets().forEach(p -> sandbox.latencyOn(p, spec.latency()));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        if (sandbox != null) {
            LocalFault.names(fault.revertData().get(LocalFaultInjector.PODS)).forEach(sandbox::latencyOff);
        }
    }
}
