package dev.slogate.fault;

import dev.slogate.experiment.FaultSpec;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.List;
import java.util.Map;

/**
 * How a fault type is injected on the local sandbox: the part of its {@link dev.slogate.experiment.FaultKind} class that
 * {@link LocalFaultInjector} uses. A type whose kind lists {@code local} among its back ends implements it.
 */
public interface LocalFault {

    /** What the selector's labels pick among. */
    enum Targets {
        /** pods with a live process (labels app, region, node, pod) */
        PODS,
        /** nodes (labels app, region, node) */
        NODES,
        /** regions (labels app, region) */
        REGIONS
    }

    /** What the selector picks among; pods unless the type hits nodes or regions. */
    default Targets targets() {
        return Targets.PODS;
    }

    /**
     * What reverting needs besides the targets, journaled before the fault is applied ({@code slogate cleanup} reverts
     * from it in another process): the pids, nodes or regions chosen, a delay.
     */
    Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates);

    /** Applies the fault as journaled. */
    void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec);

    /** Undoes it (idempotent); {@code sandbox} is null when the sandbox is gone: then only what needs none is undone. */
    void revert(InjectedFault fault, SandboxClient sandbox);

    /** The pids of the chosen pods, as journaled (a pid with its process start, so a reused pid is never signalled). */
    static String pids(List<String> chosen, Map<String, PodState> candidates) {
        return Signals.join(chosen.stream().map(p -> Signals.identity(candidates.get(p).pid())).toList());
    }

    /** Sends {@code signal} (KILL, STOP, CONT) to each journaled pid still running its process. */
    static void signal(String signal, String pids) {
        for (String id : Signals.split(pids)) {
            Signals.live(id).ifPresent(pid -> Signals.send(signal, pid));
        }
    }

    /** The names of a journaled comma-separated list. */
    static List<String> names(String joined) {
        return Signals.split(joined);
    }
}
