package dev.slogate.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL's programs (initdb, pg_ctl, pg_basebackup) as the sandbox runs them: from the newest installed version,
 * as the {@code postgres} user when the daemon is root (PostgreSQL refuses to run as root), each with a timeout and its
 * output appended to {@code <dir>/commands.log}.
 */
final class PgPrograms {
    private final Path dir;
    private final Path bin;

    /** {@code dir}: the database directory, for the command log and the data directories. */
    PgPrograms(Path dir) {
        this.dir = dir;
        this.bin = binaries();
    }

    /** Creates the database directory, owned by the postgres user when the daemon is root. */
    void createDirectory() throws IOException {
        Files.createDirectories(dir);
        if (asRoot()) {
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            if (run(List.of("test", "-w", dir.toString()), Duration.ofSeconds(5)) != 0) {
                throw new IllegalStateException("the postgres user cannot write " + dir + ": make its parent directories"
                        + " traversable (chmod o+x) or use a sandbox state directory under /tmp");
            }
        }
    }

    /** Runs a PostgreSQL program as the postgres user; its output goes to {@code db/commands.log}. */
    void pg(Duration timeout, String program, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        int code = run(cmd, timeout);
        if (code != 0) {
            throw new IllegalStateException(program + " failed (exit " + code + "): " + String.join(" ", cmd)
                    + "; see " + dir.resolve("commands.log"));
        }
    }

    private int run(List<String> command, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        // Output to a file, not a pipe: pg_ctl start leaves the server running with whatever it inherited.
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return p.exitValue();
    }

    /** Gives a file the daemon wrote to the postgres user, when the daemon is root. */
    void chown(Path p) throws IOException {
        if (asRoot()) {
            Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest /usr/lib/postgresql/<version>/bin holding pg_ctl. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/pg_ctl);"
                            + " run ./slogate setup, or apt-get install -y postgresql"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static int version(String v) {
        try {
            return Integer.parseInt(v.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes a file or a directory tree, if it exists. */
    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> files = Files.exists(p) ? Files.walk(p) : Stream.empty()) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
