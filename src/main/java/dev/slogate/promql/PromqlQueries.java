package dev.slogate.promql;

import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the PromQL queries of one load: offline always ({@link PromqlSyntax}), and against a live Prometheus when one
 * is given, which then has the last word. A problem points into the query where it can: the query's own line and
 * column in the file plus the offset inside it (through quotes, escapes and block scalars). Every query checked is
 * kept with who checked it, so {@code validate} and {@code plan} can say so.
 */
public final class PromqlQueries implements PromqlChecker {
    private static final Pattern SERVER_POSITION = Pattern.compile("(\\d+):(\\d+): parse error: ");
    private static final String WINDOW = "$window";
    /** What the reader substitutes for {@code $window} when checking; the evaluator puts the window's length there. */
    private static final String WINDOW_STAND_IN = "1m";

    private final PromqlChecker server;
    private final List<CheckedQuery> checked = new ArrayList<>();

    /** {@code server} is a live Prometheus's check, or null to parse offline only. */
    public PromqlQueries(PromqlChecker server) {
        this.server = server;
    }

    /** The checker a reader was given, as one that locates its problems (a bare server check is wrapped). */
    public static PromqlQueries of(PromqlChecker checker) {
        return checker instanceof PromqlQueries q ? q : new PromqlQueries(checker);
    }

    /** The server's verdict when there is a server, else the offline one; without a location. */
    @Override
    public Optional<String> check(String promql) {
        return server != null ? server.check(promql) : PromqlSyntax.check(promql).map(PromqlSyntax.Error::message);
    }

    public List<CheckedQuery> checked() {
        return List.copyOf(checked);
    }

    /**
     * Checks {@code query}, the PromQL slogate will run for the value written at {@code at} (the value itself, or the
     * value wrapped or with {@code $window} replaced), and reports a problem of it to {@code r}.
     */
    public void check(YamlReader r, YamlNode at, String query) {
        String written = at instanceof YamlNode.Scalar s && s.text() != null ? s.text() : null;
        Placement part = Placement.find(written, query);
        Optional<Located> offline = offline(query, part);
        Optional<String> rejected = server == null ? Optional.empty() : server.check(query);
        checked.add(new CheckedQuery(r.file(), at.line(), at.column(), part == null ? query : written, server != null,
                server == null ? offline.isEmpty() : rejected.isEmpty()));
        if (server == null) {
            offline.ifPresent(e -> report(r, at, written, part, query, e.offset, e.inWritten,
                    "PromQL: " + e.error.message(), e.error.hint(), " (parsed offline)"));
            return;
        }
        if (rejected.isEmpty()) {
            return; // the server parses it: whatever the offline check thinks, it is valid there
        }
        String said = rejected.get().replaceFirst("^invalid parameter \"query\": ", "");
        Matcher m = SERVER_POSITION.matcher(said);
        int serverOffset = m.find() ? offsetOf(query, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : -1;
        said = m.replaceFirst("");
        String hint = offline.map(e -> e.error.hint()).orElse("fix the PromQL; try it in the Prometheus UI (Graph tab) first");
        // the offline position first: it names the '(' left open where Prometheus names the end of the query
        if (offline.isPresent() && offline.get().inWritten) {
            report(r, at, written, part, query, offline.get().offset, true, "Prometheus rejects the query: " + said, hint, "");
        } else if (part != null && part.contains(serverOffset)) {
            report(r, at, written, part, query, part.toWritten(serverOffset), true, "Prometheus rejects the query: " + said, hint, "");
        } else if (offline.isPresent()) {
            report(r, at, written, part, query, offline.get().offset, false, "Prometheus rejects the query: " + said, hint, "");
        } else {
            report(r, at, written, part, query, -1, false, "Prometheus rejects the query: " + said, hint, "");
        }
    }

    /** An offline problem, at an offset into the written value ({@code inWritten}) or into the checked query. */
    private record Located(PromqlSyntax.Error error, int offset, boolean inWritten) {
    }

    /**
     * The offline problem of {@code query}, located in the written part when it lies there. When the wrapping around the
     * part hides where it went wrong (an unclosed '(' of the part closed by the wrapper), the part alone says.
     */
    private static Optional<Located> offline(String query, Placement part) {
        Optional<PromqlSyntax.Error> whole = PromqlSyntax.check(query);
        if (whole.isEmpty()) {
            return Optional.empty();
        }
        PromqlSyntax.Error e = whole.get();
        if (part == null) {
            return Optional.of(new Located(e, e.offset(), false));
        }
        if (part.contains(e.offset())) {
            return Optional.of(new Located(e, part.toWritten(e.offset()), true));
        }
        Optional<PromqlSyntax.Error> alone = part.wrapped() ? PromqlSyntax.check(part.substituted()) : Optional.empty();
        return alone.map(a -> new Located(a, part.toWritten(part.start() + a.offset()), true))
                .or(() -> Optional.of(new Located(e, e.offset(), false)));
    }

    private static void report(YamlReader r, YamlNode at, String written, Placement part, String query, int offset, boolean inWritten,
                               String message, String hint, String how) {
        String shown = inWritten ? written : query;
        int[] pos = inWritten && offset >= 0 ? position(r, at, written, offset) : null;
        String where = offset < 0 ? "" : offset >= shown.length() ? ", at the end of the query"
                : ", at '" + fragment(shown, offset) + "'" + (pos == null ? " (character " + (offset + 1) + " of the query)" : "");
        String whole = part == null || !inWritten ? " in " + oneLine(query, 100) : "";
        r.problem(pos == null ? at.line() : pos[0], pos == null ? at.column() : pos[1], message + where + whole + how, hint);
    }

    private static String fragment(String s, int offset) {
        String f = s.substring(offset, Math.min(s.length(), offset + 24)).replaceAll("\\s+", " ");
        return offset + 24 < s.length() ? f + "..." : f;
    }

    private static String oneLine(String s, int max) {
        String q = s.replaceAll("\\s+", " ").strip();
        return q.length() <= max ? q : q.substring(0, max - 3) + "...";
    }

    /** The char offset of Prometheus's 1-based line and byte column in {@code query}, or -1. */
    private static int offsetOf(String query, int line, int byteColumn) {
        int i = 0;
        for (int l = 1; l < line; l++) {
            i = query.indexOf('\n', i) + 1;
            if (i == 0) {
                return -1;
            }
        }
        int bytes = 0;
        while (i < query.length() && bytes < byteColumn - 1) {
            int cp = query.codePointAt(i);
            bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        return i;
    }

    /**
     * Where the written value sits in the checked query: at {@code start}, either as written or with {@code $window}
     * replaced ({@code substituted}); {@code origin[k]} is the written offset of substituted char {@code k}.
     */
    private record Placement(int start, String substituted, int[] origin, boolean wrapped) {
        static Placement find(String written, String query) {
            if (written == null || written.isEmpty()) {
                return null;
            }
            int at = query.indexOf(written);
            if (at >= 0) {
                int[] origin = new int[written.length() + 1];
                for (int k = 0; k <= written.length(); k++) {
                    origin[k] = k;
                }
                return new Placement(at, written, origin, written.length() != query.length());
            }
            StringBuilder s = new StringBuilder();
            List<Integer> origin = new ArrayList<>();
            for (int k = 0; k < written.length(); ) {
                if (written.startsWith(WINDOW, k)) {
                    for (int j = 0; j < WINDOW_STAND_IN.length(); j++) {
                        origin.add(k);
                    }
                    s.append(WINDOW_STAND_IN);
                    k += WINDOW.length();
                } else {
                    origin.add(k);
                    s.append(written.charAt(k++));
                }
            }
            origin.add(written.length());
            at = query.indexOf(s.toString());
            return at < 0 ? null : new Placement(at, s.toString(), origin.stream().mapToInt(Integer::intValue).toArray(),
                    s.length() != query.length());
        }

        /** Whether a query offset lies in the part; its end counts when nothing is wrapped around it (a problem "at the end"). */
        boolean contains(int offset) {
            return offset >= start && (offset < start + substituted.length() || !wrapped && offset == start + substituted.length());
        }

        int toWritten(int queryOffset) {
            return origin[Math.max(0, Math.min(origin.length - 1, queryOffset - start))];
        }
    }

    /**
     * The 1-based line and column in the file of char {@code offset} of the scalar {@code written} that starts at
     * {@code at}: the file's text is walked from the scalar's start, matching the value char by char and stepping over
     * what YAML adds around it (quotes, escapes, folded line breaks, indentation, a block scalar's header line). Null
     * when the text there does not spell the value (an alias, a file changed since): the caller falls back to the
     * scalar's own position.
     */
    private static int[] position(YamlReader r, YamlNode at, String written, int offset) {
        String text;
        try {
            text = Files.readString(r.file());
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int src = indexOf(text, at.line(), at.column());
        if (src < 0 || src >= text.length()) {
            return null;
        }
        if (text.charAt(src) == '|' || text.charAt(src) == '>') {
            src = text.indexOf('\n', src) + 1;
            if (src == 0) {
                return null;
            }
        }
        boolean past = offset >= written.length();
        int target = past ? written.length() - 1 : offset;
        for (int k = 0; k <= target; k++) {
            char want = written.charAt(k);
            while (src < text.length() && text.charAt(src) != want) {
                char c = text.charAt(src);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\' && c != '"' && c != '\'') {
                    return null;
                }
                src++;
            }
            if (src >= text.length()) {
                return null;
            }
            if (k < target) {
                src++;
            }
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < src; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = text.codePointCount(lineStart, src) + 1;
        return new int[] {line, past ? column + 1 : column};
    }

    /** The char index of a 1-based line and code-point column, or -1. */
    private static int indexOf(String text, int line, int column) {
        int i = 0;
        for (int l = 1; l < line; l++) {
            i = text.indexOf('\n', i) + 1;
            if (i == 0) {
                return -1;
            }
        }
        try {
            return text.offsetByCodePoints(i, column - 1);
        } catch (IndexOutOfBoundsException e) {
            return -1;
        }
    }
}
