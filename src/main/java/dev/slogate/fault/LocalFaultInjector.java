package dev.slogate.fault;

import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.Selector;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Faults on the local sandbox with real signals: pod-kill (SIGKILL; the sandbox restarts the pod after its restart
 * delay), pod-pause (SIGSTOP, reverted by SIGCONT), node-kill and region-outage (the daemon kills the pods and keeps
 * them down until reverted), latency (a delaying proxy the daemon puts in front of the pod in HAProxy).
 * <p>Candidates are pods (labels app, region, node, pod), nodes (labels app, region, node) or regions (labels app, region)
 * matching the selector's labels; the selector's mode then picks a random subset.
 */
public final class LocalFaultInjector implements FaultBackend {
    public static final String NAME = "local";
    /** Revert data keys of the built-in local faults (what {@code slogate cleanup} needs the sandbox for: nodes, regions, pods). */
    public static final String PIDS = "pids";
    public static final String NODES = "nodes";
    public static final String REGIONS = "regions";
    public static final String PODS = "pods";

    private final SandboxClient sandbox;
    private final String runId;
    private final RandomGenerator random;

    public LocalFaultInjector(SandboxClient sandbox, String runId, RandomGenerator random) {
        this.sandbox = sandbox;
        this.runId = runId;
        this.random = random;
    }

    /** Every target the selector's labels match now (the mode then picks among them at injection). */
    @Override
    public List<String> plan(FaultSpec spec) {
        return new ArrayList<>(candidates(spec, local(spec).targets(), sandbox.state()).keySet());
    }

    @Override
    public Injection prepare(String name, FaultSpec spec) {
        LocalFault local = local(spec);
        SandboxState state = sandbox.state();
        Map<String, PodState> candidates = candidates(spec, local.targets(), state);
        List<String> chosen = pick(new ArrayList<>(candidates.keySet()), spec.selector().count(candidates.size(), random));
        Map<String, String> revert = new HashMap<>(local.revertData(spec, chosen, candidates));
        revert.put("sandboxStateDir", sandbox.stateDir().toString());
        InjectedFault fault = new InjectedFault(UUID.randomUUID().toString(), runId, name, spec.type(), NAME, chosen,
                System.currentTimeMillis(), revert);
        return Injection.of(fault, () -> local.apply(sandbox, fault, spec));
    }

    @Override
    public void revert(InjectedFault fault) {
        revert(fault, sandbox);
    }

    /** Undoes {@code fault} on {@code sandbox} (null when the sandbox is gone: then only signals are sent). */
    public static void revert(InjectedFault fault, SandboxClient sandbox) {
        if (fault.type().kind() instanceof LocalFault local) {
            local.revert(fault, sandbox);
        }
    }

    private static LocalFault local(FaultSpec spec) {
        if (spec.kind() instanceof LocalFault local) {
            return local;
        }
        throw new FaultException(spec.type() + " cannot run on the local sandbox; write backend: kubernetes or chaos-mesh");
    }

    /** Matching targets by name; for pod faults only pods with a live process. */
    private static Map<String, PodState> candidates(FaultSpec spec, LocalFault.Targets targets, SandboxState state) {
        Selector sel = spec.selector();
        Map<String, PodState> out = new LinkedHashMap<>();
        FaultType type = spec.type();
        String kind;
        switch (targets) {
            case NODES -> {
                kind = "node";
                state.pods().stream().filter(p -> sel.matches(Map.of("app", p.labels().get("app"), "region", p.region(), "node", p.node())))
                        .forEach(p -> out.putIfAbsent(p.node(), p));
            }
            case REGIONS -> {
                kind = "region";
                state.pods().stream().filter(p -> sel.matches(Map.of("app", p.labels().get("app"), "region", p.region())))
                        .forEach(p -> out.putIfAbsent(p.region(), p));
            }
            default -> { // PODS
                kind = "pod";
                List<PodState> matching = state.pods().stream().filter(p -> sel.matches(p.labels())).toList();
                matching.stream().filter(p -> p.pid() > 0).forEach(p -> out.put(p.name(), p));
                if (out.isEmpty() && !matching.isEmpty()) {
                    throw new FaultException(type + ": selector " + describe(sel) + " matches pods "
                            + matching.stream().map(PodState::name).toList() + " but none of them is running now");
                }
            }
        }
        if (out.isEmpty()) {
            throw new FaultException(type + ": selector " + describe(sel) + " matches no " + kind + " of the sandbox; "
                    + kind + "s have labels " + examples(kind, state));
        }
        return out;
    }

    private static String describe(Selector s) {
        return "{labels: " + s.labels() + ", mode: " + s.mode() + (s.value() != 0 ? ", value: " + s.value() : "") + "}";
    }

    private static String examples(String kind, SandboxState state) {
        PodState p = state.pods().get(0);
        return switch (kind) {
            case "node" -> "app, region, node (e.g. {region: " + p.region() + ", node: " + p.node() + "}); nodes are " + state.nodes();
            case "region" -> "app, region (e.g. {region: " + p.region() + "}); regions are " + state.regions();
            default -> "app, region, node, pod (e.g. " + p.labels() + ")";
        };
    }

    /** A uniformly random subset of {@code n} names, in a random order (partial Fisher-Yates). */
    private List<String> pick(List<String> names, int n) {
        List<String> a = new ArrayList<>(names);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(a.size() - i);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        return List.copyOf(a.subList(0, n));
    }
}
