package dev.slogate.load.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A user's own simulation classpath, sent by the coordinator to every injector over the fleet's socket, so that an
 * injector (a process here or a pod) runs the simulation from its own copies, never from the coordinator's paths. Jars
 * go as they are, a class directory as one jar of its files. Each file is announced with its size and SHA-256 in the
 * plan, then sent as base64 chunks ({@code file} messages); the injector checks the digest before it loads anything.
 */
public final class SimulationShipment {
    /** Every injector receives the whole classpath: kept small enough to cross a pod network in seconds. */
    static final long MAX_BYTES = 64L << 20;
    private static final int CHUNK = 256 << 10;

    record Entry(String name, Path source, long size, String sha256) {
    }

    private final List<Entry> entries;

    private SimulationShipment(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** An error when {@code classpath} is too large to ship to every injector; checked before anything starts. */
    public static void checkSize(List<Path> classpath) {
        long total = 0;
        for (Path p : classpath) {
            total += bytes(p);
        }
        if (total > MAX_BYTES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the simulation classpath is %.1f MiB (%s); a fleet"
                    + " ships it to every injector, up to %d MiB: leave Gatling, Netty and Scala out of the jar (scope"
                    + " provided: slogate embeds them) and give only the simulation and the libraries it really needs",
                    total / 1048576.0, String.join(", ", classpath.stream().map(p -> p.getFileName() + " "
                            + String.format(Locale.ROOT, "%.1f MiB", bytes(p) / 1048576.0)).toList()), MAX_BYTES >> 20));
        }
    }

    private static long bytes(Path p) {
        try {
            if (!Files.isDirectory(p)) {
                return Files.size(p);
            }
            try (Stream<Path> files = Files.walk(p)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read simulation classpath entry " + p + ": " + e.getMessage(), e);
        }
    }

    /** The files to ship for {@code classpath}; class directories are packed into jars under {@code staging}. */
    static SimulationShipment of(List<Path> classpath, Path staging) throws IOException {
        checkSize(classpath);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < classpath.size(); i++) {
            Path p = classpath.get(i);
            String base = p.getFileName() == null ? "classes" : p.getFileName().toString();
            Path file = p;
            if (Files.isDirectory(p)) {
                base = base + ".jar";
                file = Files.createDirectories(staging).resolve(i + "-" + base);
                pack(p, file);
            }
            entries.add(new Entry(i + "-" + base, file, Files.size(file), sha256(file)));
        }
        return new SimulationShipment(entries);
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan's list of files: name, size and SHA-256 each, in classpath order. */
    ArrayNode manifest() {
        ArrayNode files = Wire.JSON.createArrayNode();
        entries.forEach(e -> files.addObject().put("name", e.name()).put("size", e.size()).put("sha256", e.sha256()));
        return files;
    }

    /** Sends every file's bytes as {@code file} messages, in manifest order. */
    void send(Consumer<ObjectNode> out) throws IOException {
        byte[] buffer = new byte[CHUNK];
        for (Entry e : entries) {
            try (InputStream in = Files.newInputStream(e.source())) {
                int n;
                while ((n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                    out.accept(Wire.message("file").put("name", e.name())
                            .put("data", Base64.getEncoder().encodeToString(n == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, n))));
                }
            }
        }
    }

    /**
     * Reads the files of {@code manifest} from {@code in} into {@code dir}, checks each one's size and SHA-256, and
     * returns the local copies in classpath order.
     */
    static List<Path> receive(JsonNode manifest, BufferedReader in, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> local = new ArrayList<>();
        for (JsonNode f : manifest) {
            String name = f.get("name").asText();
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IOException("refusing a shipped file named '" + name + "'");
            }
            long size = f.get("size").asLong();
            Path target = dir.resolve(name);
            MessageDigest digest = digest();
            long received = 0;
            try (OutputStream out = Files.newOutputStream(target)) {
                while (received < size) {
                    String line = in.readLine();
                    if (line == null) {
                        throw new IOException("the coordinator closed the connection while sending " + name);
                    }
                    JsonNode m = Wire.parse(line);
                    if (!"file".equals(m.path("type").asText()) || !name.equals(m.path("name").asText())) {
                        throw new IOException("expected the bytes of " + name + ", got a '" + m.path("type").asText()
                                + "' message" + ("stop".equals(m.path("type").asText()) ? " (" + m.path("reason").asText() + ")" : ""));
                    }
                    byte[] bytes = Base64.getDecoder().decode(m.get("data").asText());
                    digest.update(bytes);
                    out.write(bytes);
                    received += bytes.length;
                }
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (received != size || !sha.equals(f.get("sha256").asText())) {
                throw new IOException("shipped file " + name + " is damaged: " + received + " bytes with SHA-256 " + sha
                        + ", the coordinator sent " + size + " bytes with SHA-256 " + f.get("sha256").asText());
            }
            local.add(target);
        }
        return local;
    }
}
