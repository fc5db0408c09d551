package dev.slogate.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One run per sandbox: {@code <stateDir>/owner.json} names the run that uses the sandbox of that state directory
 * ({@link RunOwner}). A second run finds it taken and stops before it touches anything; an owner whose process is gone
 * (killed, crashed) is stale and is replaced. Taking and releasing happen under an OS lock on {@code owner.lock} (and
 * one monitor per JVM, since closing any channel of a file drops this JVM's locks on it), so two runs started at the
 * same instant cannot both win.
 */
public final class SandboxLock implements AutoCloseable {
    static final String OWNER_FILE = "owner.json";
    private static final String GUARD_FILE = "owner.lock";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Object JVM_GUARD = new Object();

    private final Path dir;
    private final RunOwner owner;
    private boolean released;

    private SandboxLock(Path dir, RunOwner owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /** Thrown when a live run owns the sandbox; the message says who and what to do. */
    public static final class BusyException extends IllegalStateException {
        private final RunOwner owner;

        BusyException(Path dir, RunOwner owner) {
            super("the sandbox in " + dir + " is in use by " + owner.describe() + "; one run at a time per sandbox."
                    + " Wait until that run ends, or give this run a sandbox of its own with another --state-dir;"
                    + " if that run hangs, stop it (kill " + owner.pid() + ") and run `slogate cleanup`");
            this.owner = owner;
        }

        public RunOwner owner() {
            return owner;
        }
    }

    /**
     * Takes the sandbox of {@code stateDir} for {@code owner}.
     *
     * @throws BusyException when another live process owns it
     */
    public static SandboxLock acquire(Path stateDir, RunOwner owner) {
        Path dir = stateDir.toAbsolutePath();
        return guarded(dir, () -> {
            Optional<RunOwner> current = read(dir).filter(RunOwner::alive);
            if (current.isPresent() && !sameProcessAndRun(current.get(), owner)) {
                throw new BusyException(dir, current.get());
            }
            write(dir, owner);
            return new SandboxLock(dir, owner);
        });
    }

    /** The live owner of the sandbox of {@code stateDir}, if any (a stale owner file counts as none). */
    public static Optional<RunOwner> owner(Path stateDir) {
        return read(stateDir.toAbsolutePath()).filter(RunOwner::alive);
    }

    public RunOwner owner() {
        return owner;
    }

    /** Gives the sandbox up (idempotent); leaves an owner file that names someone else alone. */
    @Override
    public void close() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        guarded(dir, () -> {
            if (read(dir).filter(o -> sameProcessAndRun(o, owner)).isPresent()) {
                Files.deleteIfExists(dir.resolve(OWNER_FILE));
            }
            return null;
        });
    }

    private static boolean sameProcessAndRun(RunOwner a, RunOwner b) {
        return a.pid() == b.pid() && a.startMillis() == b.startMillis() && a.runId().equals(b.runId()) && a.sinceMillis() == b.sinceMillis();
    }

    private static Optional<RunOwner> read(Path dir) {
        Path f = dir.resolve(OWNER_FILE);
        try {
            return Files.exists(f) ? Optional.of(JSON.readValue(f.toFile(), RunOwner.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // written atomically: unreadable means foreign or corrupt, and nobody to wait for
        }
    }

    private static void write(Path dir, RunOwner owner) throws IOException {
        Path tmp = dir.resolve(OWNER_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), owner);
        Files.move(tmp, dir.resolve(OWNER_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    private static <T> T guarded(Path dir, Step<T> step) {
        synchronized (JVM_GUARD) {
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(dir.resolve(GUARD_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    return step.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot take the sandbox lock in " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
