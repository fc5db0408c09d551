package dev.slogate.experiment;

import dev.slogate.promql.CheckedQuery;
import dev.slogate.promql.PromqlChecker;
import dev.slogate.promql.PromqlQueries;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.FileText;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.ReferenceSite;
import dev.slogate.yaml.YamlDocuments;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Loads and strictly validates slogate's input files: scenarios, faults and SLO files (slogate {@code Objectives} and
 * OpenSLO v1 {@code SLO} documents). Every problem of the whole file set is collected and thrown together as a
 * {@link ValidationException}, each with file, line, column and a hint.
 *
 * <pre>{@code
 * Scenario s = new ExperimentLoader().loadScenario(Path.of("scenarios/demo-gameday.yaml"));     // validate
 * Scenario s = new ExperimentLoader(promql -> prometheus.check(promql)).loadScenario(file);    // run, plan
 * }</pre>
 */
public final class ExperimentLoader {
    private final PromqlQueries promql;
    /** Further files OpenSLO references resolve in: the other files of one command. */
    private final List<Path> referenceFiles;
    private OpenSloObjects references;
    private final Set<Problem> warnings = new LinkedHashSet<>();
    /** The command line names the simulation to run ({@code --simulation}): a scenario may then have no requests. */
    private boolean simulationGiven;

    /** Validates offline: PromQL is parsed here, not checked against a server. */
    public ExperimentLoader() {
        this(null);
    }

    /** Also asks {@code promql} (a live Prometheus) about every query in SLO files; null parses them offline only. */
    public ExperimentLoader(PromqlChecker promql) {
        this(new PromqlQueries(promql), List.of());
    }

    private ExperimentLoader(PromqlQueries promql, List<Path> referenceFiles) {
        this.promql = promql;
        this.referenceFiles = List.copyOf(referenceFiles);
    }

    /**
     * A loader whose OpenSLO references ({@code indicatorRef}, {@code metricSourceRef}...) resolve in the file that makes
     * them, then in a scenario's other {@code slos:} files, then in {@code files}: every file given to one command.
     * It checks PromQL as this one does and adds to the same {@link #checkedQueries()}.
     */
    public ExperimentLoader withReferencesIn(List<Path> files) {
        return new ExperimentLoader(promql, files);
    }

    /** This loader, for a command line that names its own simulation: scenarios need no {@code spec.load.requests}. */
    public ExperimentLoader simulationGiven() {
        simulationGiven = true;
        return this;
    }

    /**
     * What the files loaded so far hold that slogate reads but does not judge (an OpenSLO {@code timeWindow},
     * {@code alertPolicies}, {@code op} on a ratio objective...), each with its location: printed, never a failure.
     */
    public List<Problem> warnings() {
        return List.copyOf(warnings);
    }

    /** Every PromQL query this loader has checked, in the order read, with where it is written and who checked it. */
    public List<CheckedQuery> checkedQueries() {
        return promql.checked();
    }

    /** A scenario with its {@code ref:} fault files and {@code slos:} files, resolved relative to the scenario's directory. */
    public Scenario loadScenario(Path file) {
        Problems problems = new Problems();
        Scenario s = new ScenarioReader(problems, promql, referenceFiles).simulationGiven(simulationGiven).read(file);
        warnings.addAll(problems.warnings());
        problems.throwIfAny();
        return s;
    }

    /** All SLOs of one SLO file. Window names are checked for form only; a scenario checks them against its faults. */
    public List<SloDef> loadSlos(Path file) {
        Problems problems = new Problems();
        List<SloDef> slos = readSlos(file, null, problems, promql, references()).stream().map(SloReader.Loaded::def)
                .filter(Objects::nonNull).toList();
        warnings.addAll(problems.warnings());
        problems.throwIfAny();
        return slos;
    }

    private OpenSloObjects references() {
        if (references == null) {
            references = OpenSloObjects.read(referenceFiles);
        }
        return references;
    }

    /** One fault file. */
    public FaultSpec loadFault(Path file) {
        Problems problems = new Problems();
        FaultSpec f = readFault(file, null, problems, null);
        problems.throwIfAny();
        return f;
    }

    static FaultSpec readFault(Path file, ReferenceSite site, Problems problems, String name) {
        List<YamlNode> docs = documents(file, "Fault", site, problems);
        if (docs == null) {
            return null;
        }
        YamlReader r = new YamlReader(file, problems);
        if (docs.size() > 1) {
            r.problem(docs.get(1), "a fault file holds one document, this one has " + docs.size(), "put each fault in its own file");
        }
        return FaultReader.readFile(r, docs.get(0), name);
    }

    static List<SloReader.Loaded> readSlos(Path file, ReferenceSite site, Problems problems, PromqlChecker promql, OpenSloObjects objects) {
        List<YamlNode> docs = documents(file, "SLO", site, problems);
        return docs == null ? List.of() : SloReader.read(new YamlReader(file, problems), docs, promql, objects);
    }

    /**
     * Validates one file of any kind: a scenario (with the files it refers to), a fault file or an SLO file, told
     * apart by the kind of its first document. Returns that kind; throws every problem found.
     */
    public String validate(Path file) {
        Problems problems = new Problems();
        List<YamlNode> docs = documents(file, "slogate", null, problems);
        problems.throwIfAny();
        String kind = docs.get(0) instanceof YamlNode.MapNode m && m.entries().get("kind") != null
                && m.entries().get("kind").value() instanceof YamlNode.Scalar s && s.text() != null ? s.text() : "";
        switch (kind) {
            case "Scenario" -> loadScenario(file);
            case "Fault" -> loadFault(file);
            default -> loadSlos(file);
        }
        return kind;
    }

    /**
     * The documents of a file, or null after reporting that it is missing, not a regular file, too large, not text,
     * not YAML, empty, or holds something other than documents. A file holds one document, several separated by
     * {@code ---}, or a list of them (a YAML sequence or a JSON array); each is a map with its own location. A missing
     * referenced file is reported where it is referenced, with the path it was resolved to. The content of a file that
     * is not a slogate document never appears in a problem: it may be any file a path happens to name.
     */
    static List<YamlNode> documents(Path file, String kind, ReferenceSite site, Problems problems) {
        String text = FileText.read(file, kind, site, problems);
        if (text == null) {
            return null;
        }
        int before = problems.count();
        List<YamlNode> parsed = YamlDocuments.parse(file, text, problems);
        if (problems.count() > before) {
            return null;
        }
        String expected = FileText.a(kind) + " file is a YAML map starting with "
                + switch (kind) {
                    case "SLO" -> "apiVersion: slogate/v1 and kind: Objectives (or apiVersion: openslo/v1 and kind: SLO)";
                    case "slogate" -> "apiVersion: slogate/v1 and kind: Scenario, Fault or Objectives (or apiVersion: openslo/v1 and kind: SLO)";
                    default -> "apiVersion: slogate/v1 and kind: " + kind;
                }
                + (site == null ? "" : "; check the path at " + site.file().getFileName() + ":" + site.node().line() + ":" + site.node().column());
        if (parsed.isEmpty()) {
            problems.add(file, 1, 1, "the file is empty", expected);
            return null;
        }
        List<YamlNode> docs = new ArrayList<>();
        for (YamlNode doc : parsed) {
            if (doc instanceof YamlNode.ListNode list && list.items().stream().noneMatch(i -> i instanceof YamlNode.MapNode)) {
                problems.add(file, list, "not a document: " + shape(list), expected);
            } else if (doc instanceof YamlNode.ListNode list) {
                for (YamlNode item : list.items()) {
                    if (item instanceof YamlNode.MapNode map && !looksLikeDocument(map)) {
                        problems.add(file, item, "not a slogate or OpenSLO document: an item of the top-level list is a YAML map with none of "
                                + String.join(", ", HEADER_KEYS), expected);
                    } else if (item instanceof YamlNode.MapNode) {
                        docs.add(item);
                    } else {
                        problems.add(file, item, "not a document: an item of the top-level list is " + shape(item) + ", not a map", expected);
                    }
                }
            } else if (doc instanceof YamlNode.MapNode map && !looksLikeDocument(map)) {
                problems.add(file, doc, "not a slogate or OpenSLO document: a YAML map with none of " + String.join(", ", HEADER_KEYS), expected);
            } else if (doc instanceof YamlNode.MapNode) {
                docs.add(doc);
            } else {
                problems.add(file, doc, "not a document: " + shape(doc), expected);
            }
        }
        return problems.count() > before ? null : docs;
    }

    private static final List<String> HEADER_KEYS = List.of("apiVersion", "kind", "metadata", "spec");

    /** Whether a map has one of the header keys, or a key close enough to be a typo of one (reported as such later). */
    private static boolean looksLikeDocument(YamlNode.MapNode map) {
        return map.entries().keySet().stream().anyMatch(k -> HEADER_KEYS.stream().anyMatch(h ->
                Fields.editDistance(h.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= Math.max(1, h.length() / 4)));
    }

    /** What a value is, never what it says: "a YAML scalar", "a YAML list of scalars"... */
    private static String shape(YamlNode n) {
        if (n instanceof YamlNode.ListNode l) {
            boolean scalars = l.items().stream().allMatch(i -> i instanceof YamlNode.Scalar);
            boolean lists = l.items().stream().allMatch(i -> i instanceof YamlNode.ListNode);
            return "a YAML list" + (l.items().isEmpty() ? " with nothing in it" : scalars ? " of scalars" : lists ? " of lists" : " of mixed values");
        }
        return n instanceof YamlNode.MapNode ? "a YAML map" : "a YAML scalar (a single value)";
    }
}
