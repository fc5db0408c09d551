package dev.slogate.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds every process of a sandbox by the marker it carries: the daemon is started with {@code SLOGATE_SANDBOX=<state
 * dir>} in its environment and everything it starts (HAProxy, Prometheus, pods, PostgreSQL) inherits it, so
 * {@code /proc/<pid>/environ} names the sandbox even after its daemon was killed and {@code sandbox.json} is gone.
 * An exact match of the variable, never a substring of a command line, so a user's editor on haproxy.cfg is safe.
 */
public final class SandboxProcesses {
    /** The environment variable that names a process's sandbox state directory. */
    public static final String MARKER = "SLOGATE_SANDBOX";

    private SandboxProcesses() {
    }

    /** The marker's value for a state directory: its absolute, normalized path. */
    static String value(Path stateDir) {
        return stateDir.toAbsolutePath().normalize().toString();
    }

    /** The live processes marked with {@code stateDir}, this one excluded. */
    public static List<ProcessHandle> of(Path stateDir) {
        byte[] marker = (MARKER + "=" + value(stateDir) + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != self && marked(p.resolve("environ"), marker)) {
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            return List.of(); // no /proc: nothing to find this way
        }
        return out;
    }

    private static boolean marked(Path environ, byte[] marker) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false; // gone meanwhile, or another user's process: not ours
        }
        outer:
        for (int i = 0; i + marker.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue; // only at the start of a NAME=value entry
            }
            for (int j = 0; j < marker.length; j++) {
                if (env[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * SIGKILLs every process of the sandbox in {@code stateDir} (SIGTERM would wait in a SIGSTOPped pod) and waits up
     * to 10 s for them to go; returns one line per process, e.g. "haproxy (pid 4242)".
     */
    public static List<String> kill(Path stateDir) {
        List<ProcessHandle> found = of(stateDir);
        List<String> killed = new ArrayList<>();
        for (ProcessHandle h : found) {
            String name = h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("process");
            if (h.destroyForcibly()) {
                killed.add(name + " (pid " + h.pid() + ")");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (found.stream().anyMatch(h -> state(h.pid()) != GONE && state(h.pid()) != 'Z') && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return killed;
    }

    /** What {@link #state} says of a process that does not exist. */
    public static final char GONE = 'X';

    /**
     * The kernel's state letter of a process from {@code /proc/<pid>/stat}: R running, S sleeping, T stopped (SIGSTOP),
     * Z zombie, ...; {@link #GONE} when there is no such process.
     */
    public static char state(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = s.lastIndexOf(')'); // the command name may itself contain ") "
            return close > 0 && close + 2 < s.length() ? s.charAt(close + 2) : GONE;
        } catch (IOException e) {
            return GONE;
        }
    }
}
