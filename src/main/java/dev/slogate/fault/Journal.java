package dev.slogate.fault;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fault journal: one append-only JSON-lines file per run ({@code <dir>/<runId>.jsonl}). A fault is recorded, and
 * forced to disk, before it is applied, so a harness that dies mid-fault leaves enough behind for {@code slogate cleanup}.
 */
public final class Journal {
    public static final Path DEFAULT_DIR = Path.of(".slogate", "journal");
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final String runId;

    public Journal(Path dir, String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + runId + "' must be letters, digits, '.', '_' or '-' (it names a file)");
        }
        this.dir = dir;
        this.runId = runId;
    }

    public Path file() {
        return dir.resolve(runId + ".jsonl");
    }

    /** Call before applying the fault. */
    public void recordInjecting(InjectedFault fault) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "injecting");
        line.put("fault", fault);
        append(line);
    }

    public void recordReverted(String faultId) {
        append(Map.of("event", "reverted", "id", faultId, "atMillis", System.currentTimeMillis()));
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
        append(line);
    }

    /** The data of every {@link #recordEntry entry} of kind {@code event} across all runs in {@code dir}, in file order. */
    public static List<Map<String, String>> entries(Path dir, String event) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Map<String, String>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n != null && event.equals(n.path("event").asText())) {
                            Map<String, String> data = new LinkedHashMap<>();
                            n.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                            data.put("runId", n.path("runId").asText());
                            out.add(data);
                        }
                    } catch (IOException torn) {
                        // a line torn by a crash mid-write: what it announced was never created
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
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
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
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<InjectedFault> injected = new ArrayList<>();
        Set<String> reverted = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        continue; // a line torn by a crash mid-write: its fault was never applied
                    }
                    if ("injecting".equals(n.path("event").asText())) {
                        injected.add(JSON.treeToValue(n.get("fault"), InjectedFault.class));
                    } else if ("reverted".equals(n.path("event").asText())) {
                        reverted.add(n.path("id").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fault journal in " + dir + ": " + e.getMessage(), e);
        }
        injected.sort(java.util.Comparator.comparingLong(InjectedFault::injectedAtMillis));
        return injected.stream().filter(f -> !reverted.contains(f.id())).toList();
    }
}
