package dev.slogate.fault;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real POSIX signals to sandbox processes. A target is stored as {@code pid@startMillis} so that a revert run much
 * later (by {@code slogate cleanup}) never signals an unrelated process that reused the pid.
 */
final class Signals {
    private Signals() {
    }

    /** {@code pid@startMillis} of a live process. */
    static String identity(long pid) {
        long start = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(0L);
        return pid + "@" + start;
    }

    /** The pid of an identity if that very process still lives. */
    static Optional<Long> live(String identity) {
        String[] parts = identity.split("@");
        long pid = Long.parseLong(parts[0]);
        long start = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> start == 0 || h.info().startInstant().map(Instant::toEpochMilli).orElse(start) == start)
                .map(ProcessHandle::pid);
    }

    static void send(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 && ProcessHandle.of(pid).isPresent()) {
                throw new FaultException("kill -" + signal + " " + pid + " failed: " + out);
            }
        } catch (IOException e) {
            throw new FaultException("cannot run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }

    static String join(List<String> identities) {
        return String.join(",", identities);
    }

    static List<String> split(String joined) {
        List<String> out = new ArrayList<>();
        if (joined != null) {
            for (String s : joined.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
