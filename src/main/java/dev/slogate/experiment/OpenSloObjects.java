package dev.slogate.experiment;

import dev.slogate.yaml.Problems;
import dev.slogate.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The named OpenSLO v1 documents (SLI, DataSource, AlertPolicy...) of a set of files, so that a reference
 * ({@code indicatorRef}, {@code metricSourceRef}, {@code alertPolicyRef}...) resolves in the file that makes it first and
 * then in every other file given to the same command or listed in the same scenario's {@code slos:}.
 */
final class OpenSloObjects {
    /** One document and the file it was written in. */
    record Named(Path file, YamlNode.MapNode doc) {
    }

    /** kind → name → the first document of that kind and name. */
    private final Map<String, Map<String, Named>> byKind = new HashMap<>();
    /** absolute path → the path as given, in the order read. */
    private final Map<Path, Path> files = new LinkedHashMap<>();

    private OpenSloObjects() {
    }

    static OpenSloObjects none() {
        return new OpenSloObjects();
    }

    /**
     * The documents of {@code paths}. A file that cannot be read adds nothing here: its problems are reported where it is
     * validated itself, or where a reference into it fails.
     */
    static OpenSloObjects read(List<Path> paths) {
        OpenSloObjects o = new OpenSloObjects();
        for (Path p : paths) {
            List<YamlNode> docs = ExperimentLoader.documents(p, "SLO", null, new Problems());
            if (docs != null) {
                o.add(p, docs);
            }
        }
        return o;
    }

    /** These objects with {@code file}'s own documents taking precedence over every other file's. */
    OpenSloObjects withOwn(Path file, List<YamlNode> docs) {
        OpenSloObjects o = new OpenSloObjects();
        o.add(file, docs);
        byKind.forEach((kind, names) -> names.forEach((name, named) ->
                o.byKind.computeIfAbsent(kind, k -> new HashMap<>()).putIfAbsent(name, named)));
        files.forEach(o.files::putIfAbsent);
        return o;
    }

    private void add(Path file, List<YamlNode> docs) {
        files.putIfAbsent(file.toAbsolutePath().normalize(), file);
        for (YamlNode doc : docs) {
            if (doc instanceof YamlNode.MapNode m && OpenSloReader.V1.equals(text(m, "apiVersion")) && text(m, "kind") != null) {
                String name = m.entries().get("metadata") != null && m.entries().get("metadata").value() instanceof YamlNode.MapNode meta
                        ? text(meta, "name") : null;
                if (name != null) {
                    byKind.computeIfAbsent(text(m, "kind"), k -> new HashMap<>()).putIfAbsent(name, new Named(file, m));
                }
            }
        }
    }

    /** The document of {@code kind} named {@code name}, or null. */
    Named find(String kind, String name) {
        return byKind.getOrDefault(kind, Map.of()).get(name);
    }

    /** The names of the documents of {@code kind}, for a hint. */
    List<String> names(String kind) {
        return new ArrayList<>(byKind.getOrDefault(kind, Map.of()).keySet()).stream().sorted().toList();
    }

    /** "slo/a.yaml, slo/b.yaml": the files a reference was looked up in, as they were given, for a message. */
    String searched() {
        return files.values().stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    static String text(YamlNode.MapNode m, String key) {
        YamlNode.Entry e = m.entries().get(key);
        return e != null && e.value() instanceof YamlNode.Scalar s ? s.text() : null;
    }
}
