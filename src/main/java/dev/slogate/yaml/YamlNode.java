package dev.slogate.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers where it was written, so every problem can name its line and column.
 * Built by {@link YamlDocuments}; a value reached through an alias carries the alias's location.
 */
public sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {
    int line();

    int column();

    /** A short word for messages: "a map", "a list", "a number"... */
    String describe();

    /** A key with its own location (for unknown-key messages) and its value. */
    record Entry(String key, int line, int column, YamlNode value) {
    }

    record MapNode(Map<String, Entry> entries, int line, int column) implements YamlNode {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListNode(List<YamlNode> items, int line, int column) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar as YAML typed it: {@code 150} is a number, {@code 150ms} and {@code "150"} are text. */
    record Scalar(String text, Type type, int line, int column) implements YamlNode {
        public enum Type { TEXT, INTEGER, DECIMAL, BOOLEAN, NULL }

        public boolean isNull() {
            return type == Type.NULL;
        }

        public boolean isNumber() {
            return type == Type.INTEGER || type == Type.DECIMAL;
        }

        /** The text for a message: one line, at most 60 characters. */
        private String shortText() {
            String t = text.replaceAll("\\s+", " ").strip();
            return t.length() <= 60 ? t : t.substring(0, 57) + "...";
        }

        @Override
        public String describe() {
            return switch (type) {
                case TEXT -> "the text '" + shortText() + "'";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "nothing (null)";
            };
        }
    }
}
