package dev.slogate.load.fleet;

import dev.slogate.load.LoadPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a {@link Fleet}'s injectors run: processes on this machine ({@link LocalInjectors}) or the pods of a
 * Kubernetes Indexed Job ({@link IndexedJobInjectors}). The coordinator (socket, barrier, merge, liveness) is the same
 * for both; a launcher only starts the injectors, tells each where to connect, and removes them at the end.
 */
public interface InjectorLauncher extends AutoCloseable {
    /** The name of the {@code i}-th injector (from 0): injector-1..N here; a Job's pods use their index. */
    default String name(int i) {
        return "injector-" + (i + 1);
    }

    /** Where the coordinator listens (port 0: any free port). */
    InetSocketAddress listenOn();

    /** Starts one injector per name, each told to connect to the coordinator's {@code port} and to say its name. */
    List<Injector> launch(List<String> names, int port, LoadPlan plan) throws IOException;

    /** How long the injectors may take to connect (a pod: scheduling, image pull, JVM start). */
    Duration connectTimeout();

    /** For the report: what ran, e.g. "3 injector processes on this machine". */
    String describe(int size);

    /** What the launcher knows about injectors that did not connect (e.g. the Job's pod counts); empty if nothing. */
    default Optional<String> whyNotConnected(List<String> names) {
        return Optional.empty();
    }

    /** Stops and removes what {@link #launch} started; safe to call more than once. */
    @Override
    void close();

    /** One launched injector as the coordinator sees it before and besides its connection. */
    interface Injector {
        String name();

        /** For messages: the name and where it runs, e.g. "injector-2 (pid 4711)". */
        String label();

        /** Known to have ended (a process that exited): how, e.g. "exited with code 137", else empty. */
        Optional<String> ended();

        /** What may explain the end, e.g. "; its log ends: ... (log: path)"; empty when there is nothing to quote. */
        default String evidence() {
            return "";
        }

        /**
         * Asked once for an injector that failed (silent, lost its connection): what its site can still find out, e.g.
         * "; its pod ns/p ended: container injector terminated (OOMKilled) with exit code 137"; may wait a few seconds
         * for that; empty when there is nothing to add to what the failure already says.
         */
        default String postMortem() {
            return "";
        }

        /** The local process, for tests and tools that watch or kill one; empty when it runs elsewhere. */
        default Optional<ProcessHandle> process() {
            return Optional.empty();
        }
    }
}
