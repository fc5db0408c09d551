package dev.slogate.promql;

import java.nio.file.Path;

/**
 * A PromQL query of an SLO file as loading checked it: where it is written, the query as written, whether a live
 * Prometheus checked it ({@code live}) or it was only parsed offline, and whether it passed.
 */
public record CheckedQuery(Path file, int line, int column, String query, boolean live, boolean passed) {
    /** The query on one line, at most {@code max} characters, for a listing. */
    public String shortQuery(int max) {
        String q = query.replaceAll("\\s+", " ").strip();
        return q.length() <= max ? q : q.substring(0, Math.max(0, max - 3)) + "...";
    }
}
