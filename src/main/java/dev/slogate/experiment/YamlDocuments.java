package dev.slogate.experiment;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Parses YAML text (one or more {@code ---} separated documents) into {@link YamlNode} trees with locations. */
final class YamlDocuments {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlDocuments() {
    }

    /** The documents of {@code text}; syntax errors and duplicate keys go to {@code problems}. Empty documents are dropped. */
    static List<YamlNode> parse(Path file, String text, Problems problems) {
        List<YamlNode> docs = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                YamlNode doc = read(p, t, file, problems);
                if (!(doc instanceof YamlNode.Scalar s && s.isNull())) {
                    docs.add(doc);
                }
            }
        } catch (JsonProcessingException e) {
            syntaxError(file, e, problems);
        } catch (IOException e) {
            problems.add(file, 1, 1, "cannot read the file: " + e.getMessage(), "check that the file is readable YAML");
        }
        return docs;
    }

    private static void syntaxError(Path file, JsonProcessingException e, Problems problems) {
        // SnakeYAML knows the exact spot; Jackson's location is where its own token stream stopped.
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            String what = m.getProblem() == null ? "invalid YAML" : m.getProblem();
            String context = m.getContext() == null ? "" : " (" + m.getContext() + ")";
            problems.add(file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1,
                    "YAML syntax error: " + what.replace('\n', ' ') + context,
                    "indent with spaces (never tabs), close every [ and {, and quote values that contain ': ' or start with @, `, % or *");
            return;
        }
        JsonLocation at = e.getLocation();
        problems.add(file, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(),
                "YAML syntax error: " + e.getOriginalMessage().lines().findFirst().orElse(""),
                "indent with spaces (never tabs), close every [ and {, and quote values that contain ': '");
    }

    private static YamlNode read(JsonParser p, JsonToken t, Path file, Problems problems) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int col = at.getColumnNr();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    JsonLocation keyAt = p.currentTokenLocation();
                    String key = p.currentName();
                    YamlNode value = read(p, p.nextToken(), file, problems);
                    YamlNode.Entry first = entries.get(key);
                    if (first != null) {
                        problems.add(file, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "key '" + key + "' appears twice (first on line " + first.line() + ")",
                                "keep one '" + key + "'; YAML would silently use the last one");
                        continue;
                    }
                    entries.put(key, new YamlNode.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
                }
                return new YamlNode.MapNode(entries, line, col);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(p, t, file, problems));
                }
                return new YamlNode.ListNode(items, line, col);
            }
            default -> {
                YamlNode.Scalar.Type type = switch (t) {
                    case VALUE_NUMBER_INT -> YamlNode.Scalar.Type.INTEGER;
                    case VALUE_NUMBER_FLOAT -> YamlNode.Scalar.Type.DECIMAL;
                    case VALUE_TRUE, VALUE_FALSE -> YamlNode.Scalar.Type.BOOLEAN;
                    case VALUE_NULL -> YamlNode.Scalar.Type.NULL;
                    default -> YamlNode.Scalar.Type.TEXT;
                };
                return new YamlNode.Scalar(type == YamlNode.Scalar.Type.NULL ? null : p.getText(), type, line, col);
            }
        }
    }
}
