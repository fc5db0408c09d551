package dev.slogate.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The process that owns a sandbox or a journal entry: a run (or a {@code sandbox start}), named by its pid and the
 * process's start time, so a pid the kernel later gives to another process is never mistaken for the owner.
 * {@code sinceMillis} is when it took ownership.
 */
public record RunOwner(String runId, long pid, long startMillis, long sinceMillis) {

    /** This process, owning on behalf of {@code runId} from now on. */
    public static RunOwner current(String runId) {
        long pid = ProcessHandle.current().pid();
        return new RunOwner(runId, pid, startMillis(pid), System.currentTimeMillis());
    }

    /** The start time of a live process in epoch ms, 0 when it is gone or unknown. */
    public static long startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Whether the owning process still runs: the pid is alive and started when the owner did (an owner recorded without
     * a start time, 0, is judged by its pid alone).
     */
    public boolean alive() {
        if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        return startMillis == 0 || startMillis(pid) == startMillis;
    }

    /** Whether this is the calling process. */
    public boolean isCurrentProcess() {
        return pid == ProcessHandle.current().pid() && (startMillis == 0 || startMillis(pid) == startMillis);
    }

    /** "run 20240501-demo (pid 4242, since 2024-05-01 10:00:03Z)". */
    public String describe() {
        return "run " + runId + " (pid " + pid + (sinceMillis > 0 ? ", since " + DateTimeFormatter.ISO_INSTANT
                .format(Instant.ofEpochMilli(sinceMillis - sinceMillis % 1000).atOffset(ZoneOffset.UTC)) : "") + ")";
    }
}
