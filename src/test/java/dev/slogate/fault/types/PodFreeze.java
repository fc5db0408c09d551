package dev.slogate.fault.types;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.LocalFault;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fault type that exists only in the tests, to prove that adding one is this one class plus its registration
 * ({@code FaultTypes.register(new PodFreeze())}): {@code pod-freeze} stops the chosen sandbox pods (SIGSTOP) until it
 * is reverted (SIGCONT), and takes a key of its own, {@code reason:} (required, at most 40 characters), which the plan,
 * the progress lines and the report show.
 */
public final class PodFreeze implements FaultKind, LocalFault {
    static final String FROZEN = "frozen";
    static final int MAX_REASON = 40;

    /** Its own options: why the pods are frozen. */
    public record Reason(String text) implements FaultOptions {
    }

    @Override
    public String id() {
        return "pod-freeze";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.LOCAL);
    }

    @Override
    public List<String> keys() {
        return List.of("reason");
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        String reason = keys.requireText("reason", "write reason: gc pause (why the pods freeze; it is shown in the plan and the report)");
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON)) {
            keys.problem("reason", keys.path("reason") + " must be 1 to " + MAX_REASON + " characters, found " + reason.length(),
                    "write a short reason such as reason: gc pause");
            return null;
        }
        return reason == null ? null : new Reason(reason);
    }

    @Override
    public String describe(FaultSpec spec) {
        return " (frozen for: " + spec.options(Reason.class).text() + ")";
    }

    @Override
    public Map<String, String> revertData(FaultSpec spec, List<String> chosen, Map<String, PodState> candidates) {
        return Map.of(FROZEN, LocalFault.pids(chosen, candidates));
    }

    @Override
    public void apply(SandboxClient sandbox, InjectedFault fault, FaultSpec spec) {
        LocalFault.signal("STOP", fault.revertData().get(FROZEN));
    }

    @Override
    public void revert(InjectedFault fault, SandboxClient sandbox) {
        LocalFault.signal("CONT", fault.revertData().get(FROZEN));
    }
}
