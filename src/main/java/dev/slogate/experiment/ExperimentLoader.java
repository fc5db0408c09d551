package dev.slogate.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    private final PromqlChecker promql;

    /** Validates offline: PromQL is not checked. */
    public ExperimentLoader() {
        this(null);
    }

    /** Also asks {@code promql} (a live Prometheus) about every query in SLO files; null checks nothing. */
    public ExperimentLoader(PromqlChecker promql) {
        this.promql = promql;
    }

    /** A scenario with its {@code ref:} fault files and {@code slos:} files, resolved relative to the scenario's directory. */
    public Scenario loadScenario(Path file) {
        Problems problems = new Problems();
        Scenario s = new ScenarioReader(problems, promql).read(file);
        problems.throwIfAny();
        return s;
    }

    /** All SLOs of one SLO file. Window names are checked for form only; a scenario checks them against its faults. */
    public List<SloDef> loadSlos(Path file) {
        Problems problems = new Problems();
        List<SloDef> slos = readSlos(file, null, problems, promql).stream().map(SloReader.Loaded::def).filter(java.util.Objects::nonNull).toList();
        problems.throwIfAny();
        return slos;
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

    static List<SloReader.Loaded> readSlos(Path file, ReferenceSite site, Problems problems, PromqlChecker promql) {
        List<YamlNode> docs = documents(file, "SLO", site, problems);
        return docs == null ? List.of() : SloReader.read(new YamlReader(file, problems), docs, promql);
    }

    /**
     * The YAML documents of a file, or null after reporting that it is missing, unreadable, empty or not YAML.
     * A missing referenced file is reported where it is referenced, with the path it was resolved to.
     */
    static List<YamlNode> documents(Path file, String kind, ReferenceSite site, Problems problems) {
        if (!Files.isRegularFile(file)) {
            String msg = (Files.isDirectory(file) ? "is a directory, not a " + kind + " file: " : "no such " + kind + " file: ")
                    + file.toAbsolutePath().normalize();
            if (site != null) {
                problems.add(site.file(), site.node(), msg, "paths are relative to the directory of " + site.file().getFileName());
            } else {
                problems.add(file, 1, 1, msg, "check the path");
            }
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            problems.add(file, 1, 1, "the file is not UTF-8 text", "save it as UTF-8");
            return null;
        } catch (IOException e) {
            problems.add(file, 1, 1, "cannot read the file: " + e.getMessage(), "check its permissions");
            return null;
        }
        int before = problems.count();
        List<YamlNode> docs = YamlDocuments.parse(file, text, problems);
        if (problems.count() > before) {
            return null;
        }
        if (docs.isEmpty()) {
            problems.add(file, 1, 1, "the file is empty", "a " + kind + " file starts with apiVersion and kind, e.g. apiVersion: slogate/v1 then kind: "
                    + (kind.equals("SLO") ? "Objectives (or apiVersion: openslo/v1, kind: SLO)" : kind));
            return null;
        }
        return docs;
    }

    /** Where a file was referenced from, for reporting it missing at the reference. */
    record ReferenceSite(Path file, YamlNode node) {
    }
}
