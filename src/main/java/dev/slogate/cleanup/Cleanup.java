package dev.slogate.cleanup;

import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.backends.ClusterCleanup;
import dev.slogate.load.fleet.IndexedJobInjectors;
import dev.slogate.sandbox.RunOwner;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxLock;
import dev.slogate.sandbox.SandboxProcesses;
import dev.slogate.sandbox.SandboxState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code slogate cleanup}: reverts every journaled fault that was never reverted (a crashed or killed harness), then
 * stops a sandbox whose owning harness is gone, and kills what a sandbox whose daemon died left behind (found by its
 * marker, with or without {@code sandbox.json}). The faults and the sandbox of a run that still runs are its own: they
 * are skipped (and said so) unless {@code force}; a run whose fault is reverted under it notices from the journal.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** What {@code slogate cleanup --force} writes as the reason a live run's fault was reverted. */
    public static final String FORCED = "reverted by `slogate cleanup --force`";

    /** Returns one line per thing done, for the user; leaves live runs alone. */
    public static List<String> run(Path journalDir, Path sandboxStateDir) {
        return run(journalDir, sandboxStateDir, false);
    }

    /** Returns one line per thing done (or skipped), for the user; {@code force} also reverts the faults of live runs. */
    public static List<String> run(Path journalDir, Path sandboxStateDir, boolean force) {
        List<String> done = new ArrayList<>();
        Optional<SandboxClient> sandbox = SandboxClient.attach(sandboxStateDir);
        for (Journal.Entry entry : Journal.open(journalDir)) {
            InjectedFault f = entry.fault();
            boolean live = entry.ownerAlive();
            if (live && !force) {
                done.add("skipped " + f.type() + " '" + f.name() + "' of run " + f.runId() + ": that run is still going (pid "
                        + entry.owner().pid() + ") and reverts it itself; wait for it to end, or revert it now with"
                        + " `slogate cleanup --force` (the run then reports the fault's window as cut and is inconclusive)");
                continue;
            }
            String why = live ? FORCED : "reverted by `slogate cleanup`";
            if (ClusterCleanup.handles(f)) {
                try {
                    done.addAll(ClusterCleanup.revert(f));
                    new Journal(journalDir, f.runId()).recordReverted(f.id(), why);
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
                new Journal(journalDir, f.runId()).recordReverted(f.id(), why);
                done.add("reverted " + f.type() + " '" + f.name() + "' of run " + f.runId() + " on " + f.targets()
                        + (sandbox.isEmpty() && needsSandbox(f) ? " (sandbox not running: nothing left to undo)" : "")
                        + (live ? " while that run is still going (--force; it reports the fault's window as cut)" : ""));
            } catch (RuntimeException e) {
                done.add("FAILED to revert " + f.type() + " '" + f.name() + "' of run " + f.runId() + ": " + e.getMessage());
            }
        }
        done.addAll(IndexedJobInjectors.cleanup(journalDir, force));
        done.addAll(stopOrphanedSandbox(sandboxStateDir, sandbox, force));
        return done;
    }

    /**
     * Stops a sandbox whose run is gone or whose daemon died, and kills what a dead sandbox left behind even without its
     * {@code sandbox.json}; leaves alone a sandbox a live run holds ({@link SandboxLock}) unless {@code force}.
     */
    private static List<String> stopOrphanedSandbox(Path dir, Optional<SandboxClient> sandbox, boolean force) {
        Optional<SandboxState> state = SandboxClient.readStateFile(dir);
        Optional<RunOwner> user = SandboxLock.owner(dir);
        String why;
        if (state.isPresent()) {
            SandboxState s = state.get();
            boolean ownerGone = s.ownerPid() != null && !alive(s.ownerPid());
            boolean daemonGone = !alive(s.daemonPid());
            if (!ownerGone && !daemonGone) {
                return List.of();
            }
            why = daemonGone ? "its daemon had died" : "its owner, pid " + s.ownerPid() + ", is gone";
        } else if (sandbox.isEmpty() && !SandboxProcesses.of(dir).isEmpty()) {
            why = "its daemon had died and its sandbox.json is gone";
        } else {
            return List.of();
        }
        if (user.isPresent() && !force) {
            return List.of("left the sandbox in " + dir + " alone (" + why + "): " + user.get().describe() + " still uses it;"
                    + " `slogate cleanup --force` stops it anyway");
        }
        List<String> killed = SandboxProcesses.of(dir).stream().map(h -> h.info().command()
                .map(c -> Path.of(c).getFileName().toString()).orElse("process") + " (pid " + h.pid() + ")").toList();
        if (sandbox.isPresent()) {
            sandbox.get().stop();
        } else if (state.isPresent()) {
            SandboxClient.kill(state.get(), dir);
        } else {
            SandboxProcesses.kill(dir);
        }
        return List.of("stopped the sandbox in " + dir + " (" + why + ")" + (killed.isEmpty() ? "" : ": " + String.join(", ", killed)));
    }

    private static boolean needsSandbox(InjectedFault f) {
        return f.revertData().containsKey(LocalFaultInjector.NODES) || f.revertData().containsKey(LocalFaultInjector.REGIONS)
                || f.revertData().containsKey(LocalFaultInjector.PODS);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
