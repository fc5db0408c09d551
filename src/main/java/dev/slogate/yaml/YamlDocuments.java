package dev.slogate.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Parses YAML 1.2 text (JSON included; one or more {@code ---} separated documents) into {@link YamlNode} trees with
 * locations. SnakeYAML Engine scans and parses; the tree is built here from its events, so that an alias ({@code *d})
 * takes the value of its anchor ({@code &d}) at the place it is used, a merge key ({@code <<: *defaults}) adds the keys
 * the map does not write itself, duplicate keys are reported, and the limits below end a hostile document quickly
 * with a located problem instead of exhausting memory ("billion laughs") or the stack.
 */
public final class YamlDocuments {
    /** Collections inside collections; slogate's deepest files nest about ten levels. */
    public static final int MAX_DEPTH = 64;
    /** Nodes that aliases may add by repeating their anchors; generous for sharing defaults, fatal to exponential blow-ups. */
    public static final int MAX_ALIAS_NODES = 10_000;

    private static final String MERGE_TAG = "tag:yaml.org,2002:merge";
    private static final String STR_TAG = "tag:yaml.org,2002:str";
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final Pattern BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF");
    private static final Pattern NULL = Pattern.compile("|~|null|Null|NULL");
    private static final String SYNTAX_HINT = "indent with spaces (never tabs), close every [ and {, and quote values that contain ': ' or start with @, `, %, & or *";

    private YamlDocuments() {
    }

    /** The documents of {@code text}; syntax errors, duplicate keys and exceeded limits go to {@code problems}. Empty documents are dropped. */
    public static List<YamlNode> parse(Path file, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setParseComments(false)
                .setCodePointLimit((int) FileText.MAX_BYTES + 1).build();
        Composer c = new Composer(new ParserImpl(settings, new StreamReader(settings, text)), file, problems);
        try {
            return c.documents();
        } catch (MarkedYamlEngineException e) {
            syntaxError(file, e, problems);
        } catch (Stop s) {
            problems.add(file, s.line, s.column, s.getMessage(), s.hint);
        } catch (YamlEngineException e) {
            problems.add(file, 1, 1, "YAML syntax error (" + e.getClass().getSimpleName() + ")", SYNTAX_HINT);
        }
        return List.of();
    }

    private static void syntaxError(Path file, MarkedYamlEngineException e, Problems problems) {
        // getMessage() would quote the offending line; problem and context name the error without the file's text.
        Optional<Mark> at = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        String what = e.getProblem() == null ? "invalid YAML" : e.getProblem().replace('\n', ' ').strip();
        String context = e.getContext() == null ? "" : " (" + e.getContext().replace('\n', ' ').strip() + ")";
        String started = e.getContextMark().map(m -> " opened on line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("");
        String ctx = e.getContext() == null ? "" : e.getContext();
        String hint = what.contains("\\t") || what.contains("TAB") ? "indent with spaces, never tabs (set your editor to insert spaces for the Tab key)"
                : ctx.contains("quoted scalar") ? "close the quote" + started + ", or escape the quotes inside it"
                : ctx.contains("flow mapping") ? "close the {" + started + " with }, and separate its entries with commas"
                : ctx.contains("flow sequence") ? "close the [" + started + " with ], and separate its items with commas"
                : SYNTAX_HINT + (started.isEmpty() ? "" : " (the part in question starts on line " + started.substring(" opened on line ".length()) + ")");
        problems.add(file, at.map(m -> m.getLine() + 1).orElse(1), at.map(m -> m.getColumn() + 1).orElse(1),
                "YAML syntax error: " + what + context, hint);
    }

    /** Ends reading at a limit; the problem is located where the limit was crossed. */
    private static final class Stop extends RuntimeException {
        final int line;
        final int column;
        final String hint;

        Stop(Event at, String message, String hint) {
            super(message, null, false, false);
            this.line = line(at);
            this.column = column(at);
            this.hint = hint;
        }
    }

    private static int line(Event e) {
        return e.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static int column(Event e) {
        return e.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
    }

    /** A node with the number of nodes it stands for once aliases are expanded. */
    private record Built(YamlNode node, long size) {
    }

    /** Builds located trees from parser events, resolving anchors, aliases and merge keys. */
    private static final class Composer {
        private final Parser parser;
        private final Path file;
        private final Problems problems;
        private final Map<String, Built> anchors = new HashMap<>();
        private long aliasNodes;

        Composer(Parser parser, Path file, Problems problems) {
            this.parser = parser;
            this.file = file;
            this.problems = problems;
        }

        List<YamlNode> documents() {
            List<YamlNode> docs = new ArrayList<>();
            while (parser.hasNext()) {
                Event e = parser.next();
                if (e.getEventId() == Event.ID.DocumentStart) {
                    anchors.clear(); // an anchor belongs to its document
                    YamlNode doc = node(parser.next(), 0).node();
                    if (!(doc instanceof YamlNode.Scalar s && s.isNull())) {
                        docs.add(doc);
                    }
                }
            }
            return docs;
        }

        private Built node(Event e, int depth) {
            Built built = switch (e.getEventId()) {
                case Alias -> alias((AliasEvent) e);
                case Scalar -> new Built(scalar((ScalarEvent) e), 1);
                case SequenceStart -> sequence(e, depth + 1);
                case MappingStart -> mapping(e, depth + 1);
                default -> throw new Stop(e, "unexpected YAML event " + e.getEventId(), SYNTAX_HINT);
            };
            if (e instanceof NodeEvent n && !(e instanceof AliasEvent) && n.getAnchor().isPresent()) {
                anchors.put(n.getAnchor().get().getValue(), built);
            }
            return built;
        }

        private Built alias(AliasEvent e) {
            String name = e.getAlias().getValue();
            Built anchored = anchors.get(name);
            if (anchored == null) {
                throw new Stop(e, "alias *" + name + " refers to no anchor &" + name + " defined before it in this document",
                        "define &" + name + " on a value above this line (an alias cannot refer to a later value, or to the value that contains it)");
            }
            aliasNodes += anchored.size();
            if (aliasNodes > MAX_ALIAS_NODES) {
                throw new Stop(e, "aliases expand to more than " + MAX_ALIAS_NODES + " nodes (at alias *" + name + ")",
                        "anchors and aliases are for sharing a few values; write the repeated parts out or split the file");
            }
            // the value is the anchor's, the place is the alias's: a problem with it names the line that uses it
            return new Built(relocate(anchored.node(), line(e), column(e)), anchored.size());
        }

        private static YamlNode relocate(YamlNode n, int line, int column) {
            if (n instanceof YamlNode.Scalar s) {
                return new YamlNode.Scalar(s.text(), s.type(), line, column);
            }
            if (n instanceof YamlNode.ListNode l) {
                return new YamlNode.ListNode(l.items(), line, column);
            }
            return new YamlNode.MapNode(((YamlNode.MapNode) n).entries(), line, column);
        }

        private static YamlNode.Scalar scalar(ScalarEvent e) {
            String v = e.getValue();
            boolean typed = e.isPlain() && !e.getTag().map(STR_TAG::equals).orElse(false);
            YamlNode.Scalar.Type type = !typed ? YamlNode.Scalar.Type.TEXT
                    : NULL.matcher(v).matches() ? YamlNode.Scalar.Type.NULL
                    : BOOLEAN.matcher(v).matches() ? YamlNode.Scalar.Type.BOOLEAN
                    : INTEGER.matcher(v).matches() ? YamlNode.Scalar.Type.INTEGER
                    : DECIMAL.matcher(v).matches() ? YamlNode.Scalar.Type.DECIMAL
                    : YamlNode.Scalar.Type.TEXT;
            return new YamlNode.Scalar(type == YamlNode.Scalar.Type.NULL ? null : v, type, line(e), column(e));
        }

        private void checkDepth(Event e, int depth) {
            if (depth > MAX_DEPTH) {
                throw new Stop(e, "the YAML nests deeper than " + MAX_DEPTH + " levels here",
                        "slogate files nest a few levels deep; look for an unclosed [ or { or a runaway indentation above this line");
            }
        }

        private Built sequence(Event start, int depth) {
            checkDepth(start, depth);
            List<YamlNode> items = new ArrayList<>();
            long size = 1;
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                Built item = node(parser.next(), depth);
                items.add(item.node());
                size += item.size();
            }
            parser.next();
            return new Built(new YamlNode.ListNode(items, line(start), column(start)), size);
        }

        private Built mapping(Event start, int depth) {
            checkDepth(start, depth);
            Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
            List<YamlNode.Entry> merged = new ArrayList<>();
            long size = 1;
            while (!parser.checkEvent(Event.ID.MappingEnd)) {
                Event keyEvent = parser.next();
                boolean merge = keyEvent instanceof ScalarEvent k
                        && (k.isPlain() && "<<".equals(k.getValue()) || k.getTag().map(MERGE_TAG::equals).orElse(false));
                Built key = node(keyEvent, depth);
                Built value = node(parser.next(), depth);
                size += key.size() + value.size();
                if (merge) {
                    merge(keyEvent, value.node(), merged);
                    continue;
                }
                if (!(key.node() instanceof YamlNode.Scalar k)) {
                    problems.add(file, key.node(), "a key must be a single value, found " + key.node().describe(),
                            "write keys as plain words followed by ': ', e.g. name: value");
                    continue;
                }
                String name = k.text() == null ? "" : k.text();
                YamlNode.Entry first = entries.get(name);
                if (first != null) {
                    problems.add(file, k, "key '" + name + "' appears twice (first on line " + first.line() + ")",
                            "keep one '" + name + "'; YAML would silently use the last one");
                    continue;
                }
                entries.put(name, new YamlNode.Entry(name, k.line(), k.column(), value.node()));
            }
            parser.next();
            for (YamlNode.Entry e : merged) {
                entries.putIfAbsent(e.key(), e); // keys the map writes itself win over merged ones
            }
            return new Built(new YamlNode.MapNode(entries, line(start), column(start)), size);
        }

        /** {@code <<: *a} or {@code <<: [*a, *b]}: the maps' entries, the earlier map winning, placed at the merge key. */
        private void merge(Event at, YamlNode value, List<YamlNode.Entry> merged) {
            List<YamlNode> sources = value instanceof YamlNode.ListNode l ? l.items() : List.of(value);
            for (YamlNode source : sources) {
                if (!(source instanceof YamlNode.MapNode m)) {
                    problems.add(file, line(at), column(at), "a merge key (<<) takes a map or a list of maps, found " + source.describe(),
                            "write <<: *defaults where &defaults names a map, or <<: [*a, *b]");
                    continue;
                }
                for (YamlNode.Entry e : m.entries().values()) {
                    if (merged.stream().noneMatch(x -> x.key().equals(e.key()))) {
                        merged.add(new YamlNode.Entry(e.key(), line(at), column(at), relocate(e.value(), source.line(), source.column())));
                    }
                }
            }
        }
    }
}
