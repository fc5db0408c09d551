package dev.slogate.fault;

import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code slogate cleanup}: reverts every journaled fault that was never reverted (a crashed or killed harness), then
 * stops a sandbox whose owning harness is gone.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Returns one line per thing done, for the user. */
    public static List<String> run(Path journalDir, Path sandboxStateDir) {
        List<String> done = new ArrayList<>();
        Optional<SandboxClient> sandbox = SandboxClient.attach(sandboxStateDir);
        for (InjectedFault f : Journal.unreverted(journalDir)) {
            if (dev.slogate.fault.kubernetes.ClusterCleanup.handles(f)) {
                try {
                    done.addAll(dev.slogate.fault.kubernetes.ClusterCleanup.revert(f));
                    new Journal(journalDir, f.runId()).recordReverted(f.id());
                } catch (RuntimeException e) {
                    done.add("FAILED to revert " + f.type() + " '" + f.name() + "' of run " + f.runId() + ": " + e.getMessage());
                }
                continue;
            }
            if (!f.injector().equals(LocalFaultInjector.NAME)) {
                done.add("skipped " + f.type() + " '" + f.name() + "' of run " + f.runId() + ": injected by '" + f.injector()
                        + "', which this cleanup does not handle");
                continue;
            }
            try {
                LocalFaultInjector.revert(f, sandbox.orElse(null));
                new Journal(journalDir, f.runId()).recordReverted(f.id());
                done.add("reverted " + f.type() + " '" + f.name() + "' of run " + f.runId() + " on " + f.targets()
                        + (sandbox.isEmpty() && needsSandbox(f) ? " (sandbox not running: nothing left to undo)" : ""));
            } catch (RuntimeException e) {
                done.add("FAILED to revert " + f.type() + " '" + f.name() + "' of run " + f.runId() + ": " + e.getMessage());
            }
        }
        done.addAll(dev.slogate.load.fleet.IndexedJobInjectors.cleanup(journalDir));
        Optional<SandboxState> state = SandboxClient.readStateFile(sandboxStateDir);
        if (state.isPresent()) {
            SandboxState s = state.get();
            boolean ownerGone = s.ownerPid() != null && !alive(s.ownerPid());
            boolean daemonGone = !alive(s.daemonPid());
            if (ownerGone || daemonGone) {
                if (sandbox.isPresent()) {
                    sandbox.get().stop();
                } else {
                    SandboxClient.kill(s, sandboxStateDir);
                }
                done.add("stopped the sandbox in " + sandboxStateDir + " (" + (daemonGone ? "its daemon had died"
                        : "its owner, pid " + s.ownerPid() + ", is gone") + ")");
            }
        }
        return done;
    }

    private static boolean needsSandbox(InjectedFault f) {
        return f.revertData().containsKey(LocalFaultInjector.NODES) || f.revertData().containsKey(LocalFaultInjector.REGIONS)
                || f.revertData().containsKey(LocalFaultInjector.PODS);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
