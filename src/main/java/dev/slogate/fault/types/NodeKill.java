package dev.slogate.fault.types;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.PodRemoval;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.LocalFault;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.kubernetes.KubernetesFault;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code node-kill}: on the sandbox the daemon kills the node's pods and keeps them down until reverted; on Kubernetes
 * the nodes are cordoned and drained, reverted by uncordoning.
 */
public final class NodeKill implements FaultKind, KubernetesFault, LocalFault {
    @Override
    public String id() {
        return "node-kill";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL, Backend.KUBERNETES);
    }

    @Override
    public List<String> selectorKeys() {
        return List.of("nodes", "runningPod");
    }

    @Override
    public List<String> keys() {
        return PodRemoval.KEYS;
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        PodRemoval removal = PodRemoval.read(keys, false);
        return PodRemoval.DEFAULT.equals(removal) ? FaultOptions.NONE : removal; // no key written: a spec like one built in code
    }

    @Override
    public boolean hitsNodes() {
        return true;
    }

    @Override
    public Targets targets() {
        return Targets.NODES;
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(LocalFaultInjector.NODES, String.join(",", chosen));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        fault.targets().forEach(n -> sandbox.nodeDown(n, fault.id()));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        if (sandbox != null) {
            LocalFault.names(fault.revertData().get(LocalFaultInjector.NODES)).forEach(n -> sandbox.nodeUp(n, fault.id()));
        }
    }

    @Override
    public Takes takes() {
        return Takes.PICKED_NODES;
    }
}
