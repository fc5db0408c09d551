package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.PodRemoval;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.LocalFault;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import dev.slogate.fault.kubernetes.KubernetesFault;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pod-kill}: on the sandbox SIGKILL (the sandbox restarts the pod after its restart delay); on Kubernetes the pods
 * are deleted with the grace period (or evicted); on Chaos Mesh a PodChaos pod-kill. Instantaneous.
 */
public final class PodKill implements FaultKind, KubernetesFault, LocalFault, ChaosMeshFault {
    @Override
    public String id() {
        return "pod-kill";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL, Backend.KUBERNETES, Backend.CHAOS_MESH);
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
    public boolean instantaneous() {
        return true;
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(LocalFaultInjector.PIDS, LocalFault.pids(chosen, candidates));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        LocalFault.signal("KILL", fault.revertData().get(LocalFaultInjector.PIDS));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        // instantaneous; the sandbox restarts the pod by itself
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.POD_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "pod-kill");
        s.put("gracePeriod", fault.options().podRemoval().gracePeriod().toSeconds());
    }

    @Override
    public boolean oneShot() {
        return true;
    }

    @Override
    public Takes takes() {
        return Takes.PODS;
    }
}
