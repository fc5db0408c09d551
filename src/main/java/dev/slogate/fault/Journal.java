package dev.slogate.fault;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.redact.Redaction;
import dev.slogate.sandbox.RunOwner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fault journal: one append-only JSON-lines file per run ({@code <dir>/<runId>.jsonl}). A fault is recorded, and
 * forced to disk, before it is applied, so a harness that dies mid-fault leaves enough behind for {@code slogate cleanup}.
 * Each fault line names its owner, the run's process ({@link RunOwner}: pid and process start time), so cleanup can
 * tell a live run's faults from a dead one's; each revert line names who reverted it, so a run can tell when someone
 * else reverted its fault ({@link #revertedElsewhere}).
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final String runId;
    private final RunOwner owner;
    /** Faults this journal recorded as reverted: every other revert line of this run was written by someone else. */
    private final Set<String> revertedHere = new HashSet<>();

    /** The journal's folder in a state directory ({@code --state-dir}, default {@code .slogate}). */
    public static Path dir(Path stateDir) {
        return stateDir.resolve("journal");
    }

    /** A fault journaled as injected and not reverted, with the process that owns it (null in a journal written before owners). */
    public record Entry(InjectedFault fault, RunOwner owner) {
        /** Whether the run that injected it still runs (an entry without an owner is treated as a dead run's). */
        public boolean ownerAlive() {
            return owner != null && owner.alive();
        }
    }

    /** A revert of a fault written by another process or journal than the run's own: when, by whom, why. */
    public record Reversal(String faultId, long atMillis, RunOwner by, String why) {
        public String describe() {
            return (why == null || why.isBlank() ? "reverted" : why) + (by == null ? "" : ", pid " + by.pid());
        }
    }

    public Journal(Path dir, String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + runId + "' must be letters, digits, '.', '_' or '-' (it names a file)");
        }
        this.dir = dir;
        this.runId = runId;
        this.owner = RunOwner.current(runId);
    }

    public Path file() {
        return dir.resolve(runId + ".jsonl");
    }

    /** Call before applying the fault. */
    public void recordInjecting(InjectedFault fault) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "injecting");
        line.put("fault", fault);
        line.put("owner", owner);
        append(line);
    }

    public void recordReverted(String faultId) {
        recordReverted(faultId, "");
    }

    /** Records that this process reverted the fault; {@code why} says who did, when it is not the run itself. */
    public void recordReverted(String faultId, String why) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "reverted");
        line.put("id", faultId);
        line.put("atMillis", System.currentTimeMillis());
        line.put("by", owner);
        if (!why.isEmpty()) {
            line.put("why", why);
        }
        synchronized (this) {
            revertedHere.add(faultId); // before the line exists, so a reader in this run never takes it for someone else's
        }
        append(line);
    }

    /**
     * The revert of {@code faultId} that someone else (another process, or another journal of this run, as
     * {@code slogate cleanup --force} writes) recorded in this run's file, if any.
     */
    public Optional<Reversal> revertedElsewhere(String faultId) {
        synchronized (this) {
            if (revertedHere.contains(faultId)) {
                return Optional.empty();
            }
        }
        if (!Files.exists(file())) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file())) {
                JsonNode n = parse(line);
                if (n != null && "reverted".equals(n.path("event").asText()) && faultId.equals(n.path("id").asText())) {
                    RunOwner by = n.hasNonNull("by") ? JSON.treeToValue(n.get("by"), RunOwner.class) : null;
                    return Optional.of(new Reversal(faultId, n.path("atMillis").asLong(System.currentTimeMillis()), by,
                            n.path("why").asText("")));
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // unreadable now: the next check will tell
        }
        return Optional.empty();
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null; // a line torn by a crash mid-write: what it announced was never applied
        }
    }

    /**
     * Journals something other than a fault that the run creates and must remove (the fleet's Kubernetes Job): call
     * before creating it, and again with another event once it is gone. {@link #unreverted} ignores these lines.
     */
    public void recordEntry(String event, Map<String, String> data) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("runId", runId);
        line.put("data", data);
        line.put("owner", owner);
        append(line);
    }

    /** An {@link #recordEntry entry}'s data (with its {@code runId}) and the run process that wrote it (null in old journals). */
    public record Recorded(Map<String, String> data, RunOwner owner) {
        /** Whether the run that wrote it still runs (an entry without an owner is treated as a dead run's). */
        public boolean ownerAlive() {
            return owner != null && owner.alive();
        }
    }

    /** The data of every {@link #recordEntry entry} of kind {@code event} across all runs in {@code dir}, in file order. */
    public static List<Map<String, String>> entries(Path dir, String event) {
        return recorded(dir, event).stream().map(Recorded::data).toList();
    }

    /** Every {@link #recordEntry entry} of kind {@code event} across all runs in {@code dir}, with its owner, in file order. */
    public static List<Recorded> recorded(Path dir, String event) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Recorded> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = parse(line); // null for a line torn by a crash mid-write: what it announced was never created
                    if (n != null && event.equals(n.path("event").asText())) {
                        Map<String, String> data = new LinkedHashMap<>();
                        n.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                        data.put("runId", n.path("runId").asText());
                        RunOwner owner = n.hasNonNull("owner") ? JSON.treeToValue(n.get("owner"), RunOwner.class) : null;
                        out.add(new Recorded(data, owner));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private synchronized void append(Map<String, Object> line) {
        try {
            Files.createDirectories(dir);
            // redacted like every output: a URL's password or a token never rests on disk (a masked user-info only
            // costs cleanup nothing: it reconnects with the credentials of the kubeconfig or the token variable)
            byte[] bytes = (Redaction.text(JSON.writeValueAsString(line)) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault journal " + file() + ": " + e.getMessage()
                    + "; the fault was not applied", e);
        }
    }

    /** Faults journaled as injecting and never as reverted, across every run in {@code dir}, oldest first. */
    public static List<InjectedFault> unreverted(Path dir) {
        return open(dir).stream().map(Entry::fault).toList();
    }

    /** As {@link #unreverted}, each with the run process that owns it. */
    public static List<Entry> open(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> injected = new ArrayList<>();
        Set<String> reverted = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = parse(line);
                    if (n == null) {
                        continue;
                    }
                    if ("injecting".equals(n.path("event").asText())) {
                        RunOwner owner = n.hasNonNull("owner") ? JSON.treeToValue(n.get("owner"), RunOwner.class) : null;
                        injected.add(new Entry(JSON.treeToValue(n.get("fault"), InjectedFault.class), owner));
                    } else if ("reverted".equals(n.path("event").asText())) {
                        reverted.add(n.path("id").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fault journal in " + dir + ": " + e.getMessage(), e);
        }
        injected.sort(Comparator.comparingLong(e -> e.fault().injectedAtMillis()));
        return injected.stream().filter(e -> !reverted.contains(e.fault().id())).toList();
    }
}
