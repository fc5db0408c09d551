package dev.slogate.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.yaml.FileText;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.ReferenceSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a feeder file, read once: CSV with a header row (RFC 4180 quoting: {@code "a, b"}, {@code ""} for a quote)
 * or JSON lines (one object of plain values per line). A bad row is a problem at its line in the data file.
 */
final class FeederFiles {
    /** Rows: enough test data for hours of load, small enough to ship to every injector of a fleet. */
    static final int MAX_ROWS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeederFiles() {
    }

    record Rows(List<String> columns, List<Map<String, String>> rows) {
    }

    /** The rows of {@code file}, or null after reporting why not (at {@code site} or in the file). */
    static Rows read(Path file, ReferenceSite site, Problems problems) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean csv = name.endsWith(".csv");
        boolean jsonLines = name.endsWith(".jsonl") || name.endsWith(".ndjson");
        if (!csv && !jsonLines) {
            problems.add(site.file(), site.node(), "feeder file " + file.getFileName() + " is neither .csv nor .jsonl",
                    "write the data as CSV with a header row (.csv) or as one JSON object per line (.jsonl or .ndjson)");
            return null;
        }
        String text = FileText.read(file, "feeder", site, problems);
        if (text == null) {
            return null;
        }
        int before = problems.count();
        Rows rows = csv ? csv(file, text, problems) : jsonLines(file, text, problems);
        if (rows == null || problems.count() > before) {
            return null;
        }
        if (rows.rows().isEmpty()) {
            problems.add(site.file(), site.node(), "feeder file " + file.getFileName() + " has no rows",
                    csv ? "write a header row, then one row per user" : "write one JSON object per line, one per user");
            return null;
        }
        if (rows.rows().size() > MAX_ROWS) {
            problems.add(site.file(), site.node(), "feeder file " + file.getFileName() + " has " + rows.rows().size() + " rows, more than "
                    + MAX_ROWS, "use a circular or random feeder over fewer rows");
            return null;
        }
        return rows;
    }

    private static Rows csv(Path file, String text, Problems problems) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !field.isEmpty()) {
                    record.add(field.toString());
                    records.add(record);
                    lines.add(recordLine);
                }
                record = new ArrayList<>();
                field.setLength(0);
                any = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            problems.add(file, recordLine, 1, "a quoted field that starts on this line is never closed", "close it with \"; write \"\" for a quote inside it");
            return null;
        }
        if (any || !field.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            return new Rows(List.of(), List.of());
        }
        List<String> columns = records.get(0).stream().map(String::strip).toList();
        if (!columns(file, columns, problems)) {
            return null;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> values = records.get(r);
            if (values.size() != columns.size()) {
                problems.add(file, lines.get(r), 1, "this row has " + values.size() + " fields, the header row " + columns.size(),
                        "write one value per column (" + String.join(", ", columns) + "); quote a value that holds a comma");
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < columns.size(); k++) {
                row.put(columns.get(k), values.get(k));
            }
            rows.add(row);
        }
        return new Rows(columns, rows);
    }

    private static boolean columns(Path file, List<String> columns, Problems problems) {
        Set<String> seen = new LinkedHashSet<>();
        for (String c : columns) {
            if (!Template.NAME.matcher(c).matches()) {
                problems.add(file, 1, 1, "column '" + c + "' of the header row cannot be written as ${" + c + "}",
                        "name columns with letters, digits, _ - or . starting with a letter, e.g. user_email");
                return false;
            }
            if (!seen.add(c)) {
                problems.add(file, 1, 1, "the header row names column '" + c + "' twice", "give each column its own name");
                return false;
            }
        }
        return true;
    }

    private static Rows jsonLines(Path file, String text, Problems problems) {
        Set<String> columns = new LinkedHashSet<>();
        List<Map<String, String>> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(l);
            } catch (JsonProcessingException e) {
                problems.add(file, i + 1, Math.max(1, (int) e.getLocation().getColumnNr()), "this line is not JSON: "
                        + e.getOriginalMessage().replaceAll("\\s+", " "), "write one JSON object per line, e.g. {\"email\": \"a@example.com\"}");
                continue;
            }
            if (n == null || !n.isObject()) {
                problems.add(file, i + 1, 1, "this line is not a JSON object", "write one JSON object per line, e.g. {\"email\": \"a@example.com\"}");
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            var fields = n.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                if (e.getValue().isContainerNode()) {
                    problems.add(file, i + 1, 1, "field '" + e.getKey() + "' is an " + (e.getValue().isArray() ? "array" : "object")
                            + "; a feeder's values are text, numbers or booleans", "flatten it into fields of their own");
                    continue;
                }
                if (!Template.NAME.matcher(e.getKey()).matches()) {
                    problems.add(file, i + 1, 1, "field '" + e.getKey() + "' cannot be written as ${" + e.getKey() + "}",
                            "name fields with letters, digits, _ - or . starting with a letter");
                    continue;
                }
                row.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
                columns.add(e.getKey());
            }
            rows.add(row);
        }
        return new Rows(List.copyOf(columns), rows);
    }

    /** Column name to the feeder that has it. */
    static Map<String, Feeder> byColumn(List<Feeder> feeders) {
        Map<String, Feeder> out = new HashMap<>();
        feeders.forEach(f -> f.columns().forEach(c -> out.putIfAbsent(c, f)));
        return out;
    }
}
