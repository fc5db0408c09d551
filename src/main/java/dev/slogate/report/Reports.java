package dev.slogate.report;

import dev.slogate.redact.Redaction;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four report files of a run, written together into its report directory. Each file is rendered under a temporary
 * name (in a hidden folder of the same directory), synced, and then renamed into place in one atomic step: a file under
 * its final name is always complete, and one that could not be written is not there at all.
 */
public final class Reports {
    private Reports() {
    }

    /**
     * What writing a report directory gave: the files now complete under their final names, and each file that could
     * not be written with the reason (file name to reason, in writing order).
     */
    public record Written(Path dir, List<Path> files, Map<String, String> failures) {
        public Written {
            files = List.copyOf(files);
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }

        public boolean complete() {
            return failures.isEmpty();
        }
    }

    /** JSON first: if a later writer fails, the data to re-render everything is already on disk. */
    public static List<ReportWriter> writers() {
        return List.of(new JsonReport(), new JunitReport(), new HtmlReport(), new MarkdownReport());
    }

    /**
     * Creates {@code dir} if needed and writes report.json, junit.xml, report.html and summary.md; returns their paths.
     * Throws, naming every file that could not be written and why, if any could not.
     */
    public static List<Path> writeAll(RunReport r, Path dir) throws IOException {
        return orThrow(write(r, dir, writers()));
    }

    /**
     * Re-renders junit.xml, report.html and summary.md of a report directory from its report.json, e.g. after
     * merging injectors or upgrading slogate; returns the paths written.
     */
    public static List<Path> rerender(Path dir) throws IOException {
        RunReport r = JsonReport.read(dir);
        return orThrow(write(r, dir, writers().stream().filter(w -> !(w instanceof JsonReport)).toList()));
    }

    /**
     * Writes every file of {@code writers} into {@code dir} (created if needed), each one atomically; never throws.
     * A writer that fails leaves no file under its name (also none from an earlier run with the same id); the others
     * are still written.
     */
    public static Written write(RunReport r, Path dir, List<ReportWriter> writers) {
        List<Path> written = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Path staging;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(dir, ".writing-");
        } catch (IOException | RuntimeException e) {
            writers.forEach(w -> failures.put(w.fileName(), reason(e)));
            return new Written(dir, written, failures);
        }
        try {
            for (ReportWriter w : writers) {
                Path target = dir.resolve(w.fileName());
                Path temporary = staging.resolve(w.fileName());
                try {
                    w.write(r, staging);
                    redact(temporary);
                    try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                        c.force(true); // a full disk may only say so here (delayed allocation)
                    }
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    written.add(target);
                } catch (IOException | RuntimeException e) {
                    failures.put(w.fileName(), reason(e));
                    deleteQuietly(temporary); // at once: on a full disk, its space is what the next file needs
                    deleteQuietly(target);
                }
            }
        } finally {
            deleteTree(staging);
        }
        return new Written(dir, written, failures);
    }

    /**
     * Passes a rendered report file through {@link Redaction#text}: whatever a writer took from the run (target URL,
     * events, notes, problems, error messages), no password, token or secret header value reaches the file.
     */
    static void redact(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String redacted = Redaction.text(text);
        if (!redacted.equals(text)) {
            Files.writeString(file, redacted, StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes {@code text}, redacted, to {@code file} under a temporary name in its directory, synced, then renamed
     * into place.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".writing-" + ProcessHandle.current().pid());
        try {
            Files.writeString(temporary, Redaction.text(text), StandardCharsets.UTF_8);
            try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            throw new IOException("could not write " + file + ": " + reason(e), e);
        }
    }

    /**
     * {@code reportsDir/runId}, after checking that it lies inside the reports folder (both normalized, symbolic links
     * of the reports folder resolved); the reports folder is created if missing.
     */
    public static Path directory(Path reportsDir, String runId) throws IOException {
        Path base = reportsDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(base);
            base = base.toRealPath();
        } catch (IOException e) {
            throw new IOException("cannot use the reports folder " + reportsDir + ": " + reason(e), e);
        }
        Path dir = base.resolve(runId).normalize();
        if (!dir.startsWith(base) || dir.equals(base) || !dir.getParent().equals(base)) {
            throw new IOException("run id '" + runId + "' names no folder directly inside " + base
                    + "; use letters, digits, '.', '_' and '-'");
        }
        if (Files.exists(dir) && !dir.toRealPath().startsWith(base)) {
            throw new IOException(dir + " leads outside the reports folder " + base + " (a symbolic link); remove it or pick another run id");
        }
        return dir;
    }

    /** What went wrong, in words a user can act on (the JDK's messages for file errors are often just a path). */
    public static String reason(Exception e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + " does not exist";
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied on " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            for (Path p = Path.of(f.getFile()).getParent(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p)) {
                    return p + " is a file, not a directory";
                }
            }
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null || f.getFile().contains("/.writing-") ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static List<Path> orThrow(Written w) throws IOException {
        if (!w.complete()) {
            List<String> each = new ArrayList<>();
            w.failures().forEach((file, why) -> each.add(w.dir().resolve(file) + ": " + why));
            throw new IOException("could not write " + String.join("; ", each));
        }
        return w.files();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing better to do: the failure is reported already
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(Reports::deleteQuietly);
        } catch (IOException ignored) {
            // the folder is hidden and named as temporary; a leftover does not pass for a report
        }
        deleteQuietly(dir);
    }
}
