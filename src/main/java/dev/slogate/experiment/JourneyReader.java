package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.ReferenceSite;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import io.gatling.jsonpath.JsonPath$;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code spec.load.journeys} and {@code spec.load.feeders}: each journey's steps, their extractions and think
 * times, and checks every {@code ${name}} against the values extracted before it and the feeders' columns. A
 * {@code queue} or {@code shuffle} feeder must hold a row for every user the stages bring to the journeys that read it.
 */
final class JourneyReader {
    private static final List<String> STEP_KEYS = List.of("name", "method", "path", "headers", "body", "expectStatus", "group",
            "extract", "think");

    private final YamlReader r;
    private final Problems problems;
    private final Map<String, YamlNode> stepNames = new HashMap<>();
    private List<Feeder> feeders = List.of();

    JourneyReader(YamlReader r) {
        this.r = r;
        this.problems = r.problems();
    }

    /** The feeders of {@code node} (a list), rows read from files relative to the scenario. */
    List<Feeder> feeders(YamlNode node, List<YamlNode> at) {
        List<Feeder> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.load.feeders");
        Map<String, Feeder> columns = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.load.feeders[" + i + "]";
            Fields f = r.fields(items.get(i), where, List.of("name", "file", "strategy"));
            String name = f.requireText("name", "write name: users (journeys read its columns as ${column})");
            String file = f.requireText("file", "write file: data/users.csv (relative to this scenario)");
            String strategy = f.text("strategy", "queue");
            Feeder.Strategy s = null;
            List<String> valid = List.of("queue", "circular", "random", "shuffle");
            if (strategy != null && !valid.contains(strategy)) {
                r.problem(f.get("strategy"), "unknown feeder strategy '" + strategy + "'" + FaultReader.nearest(strategy, valid),
                        "valid strategies: queue (each row once, in order), shuffle (each row once, random order), circular, random");
            } else if (strategy != null) {
                s = Feeder.Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
            }
            if (name != null && !names.add(name)) {
                r.problem(f.get("name"), "two feeders are named '" + name + "'", "give each feeder its own name");
            }
            if (name == null || file == null || s == null) {
                continue;
            }
            Path dir = r.file().toAbsolutePath().getParent();
            FeederFiles.Rows rows = FeederFiles.read(dir.resolve(file), new ReferenceSite(r.file(), f.get("file")), problems);
            if (rows == null) {
                continue;
            }
            Feeder feeder = new Feeder(name, file, s, rows.columns(), rows.rows());
            for (String c : feeder.columns()) {
                Feeder other = columns.putIfAbsent(c, feeder);
                if (other != null) {
                    r.problem(f.get("file"), "column '" + c + "' of feeder '" + name + "' is also a column of feeder '" + other.name() + "'",
                            "rename one of them: ${" + c + "} must name one value");
                }
            }
            out.add(feeder);
            at.add(items.get(i));
        }
        return out;
    }

    /** The journeys of {@code node} (a list), their variables checked against {@code feeders}. */
    List<Journey> journeys(YamlNode node, List<Feeder> feeders) {
        List<YamlNode> items = r.list(node, "spec.load.journeys");
        if (items != null && items.isEmpty()) {
            r.problem(node, "spec.load.journeys is empty", "add a journey: - {name: browse, steps: [{name: home, path: /}]}");
        }
        List<Journey> out = new ArrayList<>();
        Map<String, YamlNode> names = new HashMap<>();
        Map<String, Feeder> columns = new HashMap<>(FeederFiles.byColumn(feeders));
        feeders.forEach(f -> f.columns().forEach(c -> columns.put(f.name() + "." + c, f)));
        this.feeders = feeders;
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.load.journeys[" + i + "]";
            int before = problems.count();
            Fields f = r.fields(items.get(i), where, List.of("name", "weight", "steps"));
            String name = f.requireText("name", "write name: buyer (reports and selectors name journeys)");
            if (name != null && names.putIfAbsent(name, items.get(i)) != null) {
                r.problem(f.get("name"), "two journeys are named '" + name + "' (first on line " + names.get(name).line() + ")",
                        "give each journey its own name");
            }
            Integer weight = f.integer("weight", 1, 1);
            YamlNode stepsNode = f.require("steps", "write steps: [{name: home, path: /}]");
            List<YamlNode> stepItems = stepsNode == null ? null : r.list(stepsNode, f.path("steps"));
            if (stepItems != null && stepItems.isEmpty()) {
                r.problem(stepsNode, f.path("steps") + " is empty", "add a step: - {name: home, path: /}");
            }
            List<Journey.Step> steps = new ArrayList<>();
            Set<String> extracted = new HashSet<>();
            for (int k = 0; stepItems != null && k < stepItems.size(); k++) {
                Journey.Step s = step(stepItems.get(k), f.path("steps") + "[" + k + "]", name, extracted, columns);
                if (s != null) {
                    steps.add(s);
                }
            }
            if (problems.count() == before) {
                out.add(new Journey(name, weight, steps));
            }
        }
        return out;
    }

    private Journey.Step step(YamlNode node, String where, String journey, Set<String> extracted, Map<String, Feeder> columns) {
        int before = problems.count();
        Fields f = r.fields(node, where, STEP_KEYS);
        String method = f.text("method", "GET");
        if (method != null && !LoadReader.METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            r.problem(f.get("method"), "unknown HTTP method '" + method + "'" + FaultReader.nearest(method.toUpperCase(Locale.ROOT), LoadReader.METHODS),
                    "valid methods: " + String.join(", ", LoadReader.METHODS));
        }
        String path = f.requireText("path", "write path: /items/${id} (${name} is a feeder column or an extracted value)");
        Secrets.process().rememberUrl(path);
        if (path != null && !path.startsWith("/")) {
            r.problem(f.get("path"), where + ".path '" + Redaction.url(path) + "' does not start with '/'", "write path: /... (the host comes from the target)");
        }
        String name = f.text("name", method == null || path == null || journey == null ? null
                : journey + " " + method.toUpperCase(Locale.ROOT) + " " + Redaction.url(path));
        if (name != null && stepNames.putIfAbsent(name, node) != null) {
            r.problem(f.has("name") ? f.get("name") : node, "two steps are named '" + name + "' (first on line " + stepNames.get(name).line() + ")",
                    "give each step its own name; reports and selectors count requests by name");
        }
        Integer status = f.integer("expectStatus", 200, 100, 599);
        Map<String, String> headers = f.textMap("headers");
        Secrets.process().rememberHeaders(headers);
        String body = f.text("body", null);
        Secrets.process().rememberBody(body);
        String group = f.text("group", null);
        // ${...} in the path, the header values and the body: each one known before this step
        variables(f.get("path"), path, where + ".path", extracted, columns);
        if (headers != null && f.get("headers") instanceof YamlNode.MapNode m) {
            headers.forEach((k, v) -> variables(m.entries().get(k).value(), v, where + ".headers." + k, extracted, columns));
        }
        variables(f.get("body"), body, where + ".body", extracted, columns);
        List<Journey.Extract> extract = extract(f, where, columns);
        Journey.Think think = f.has("think") ? think(f.get("think"), f.path("think")) : null;
        extract.forEach(e -> extracted.add(e.variable()));
        if (problems.count() > before) {
            return null;
        }
        return new Journey.Step(name, method.toUpperCase(Locale.ROOT), path, headers, body, status, group, extract, think);
    }

    private void variables(YamlNode at, String text, String where, Set<String> extracted, Map<String, Feeder> columns) {
        if (text == null) {
            return;
        }
        Template t;
        try {
            t = Template.parse(text);
        } catch (IllegalArgumentException e) {
            r.problem(at, where + ": " + e.getMessage(), "write ${name} for a value, $${ for a literal ${");
            return;
        }
        for (String v : t.variables()) {
            int dot = v.indexOf('.');
            Feeder named = dot < 0 ? null : feeders.stream().filter(f -> f.name().equals(v.substring(0, dot))).findFirst().orElse(null);
            if (!extracted.contains(v) && !columns.containsKey(v) && named != null) {
                r.problem(at, where + " reads ${" + v + "}, but feeder '" + named.name() + "' has no column '" + v.substring(dot + 1) + "'"
                        + FaultReader.nearest(v.substring(dot + 1), named.columns()), "its columns: " + String.join(", ", named.columns()));
            } else if (!extracted.contains(v) && !columns.containsKey(v) && dot > 0) {
                List<String> names = feeders.stream().map(Feeder::name).toList();
                r.problem(at, where + " reads ${" + v + "}, but there is no feeder '" + v.substring(0, dot) + "' (and no earlier step"
                        + " extracts " + v + ")" + FaultReader.nearest(v.substring(0, dot), names), (names.isEmpty() ? "the scenario has no"
                        + " feeders" : "feeders: " + String.join(", ", names)) + "; write ${feeder.column}, ${column} or an extracted name");
            } else if (!extracted.contains(v) && !columns.containsKey(v)) {
                String known = extracted.isEmpty() && columns.isEmpty() ? "nothing is extracted before this step and there is no feeder"
                        : "known here: " + String.join(", ", new TreeSet<>(union(extracted, columns.keySet())));
                r.problem(at, where + " reads ${" + v + "}, which no earlier step extracts and no feeder has as a column"
                        + FaultReader.nearest(v, List.copyOf(union(extracted, columns.keySet()))), known
                        + "; extract it in an earlier step (extract: [{var: " + v + ", jsonPath: $.…}]) or add a feeder column");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    private List<Journey.Extract> extract(Fields step, String where, Map<String, Feeder> columns) {
        if (!step.has("extract")) {
            return List.of();
        }
        List<YamlNode> items = r.list(step.get("extract"), step.path("extract"));
        List<Journey.Extract> out = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String at = step.path("extract") + "[" + i + "]";
            Fields f = r.fields(items.get(i), at, List.of("var", "jsonPath", "header", "regex"));
            String var = f.requireText("var", "write var: token (later steps read it as ${token})");
            if (var != null && !Template.NAME.matcher(var).matches()) {
                r.problem(f.get("var"), at + ".var '" + var + "' cannot be written as ${" + var + "}", "name it with letters, digits, _ - or . starting with a letter");
            } else if (var != null && columns.containsKey(var)) {
                r.problem(f.get("var"), at + ".var '" + var + "' is also a column of feeder '" + columns.get(var).name() + "'",
                        "name the extracted value differently: ${" + var + "} must name one value");
            }
            List<Journey.Extract.Source> sources = List.of(Journey.Extract.Source.values()).stream().filter(s -> f.has(s.key())).toList();
            if (sources.size() != 1) {
                r.problem(items.get(i), at + (sources.isEmpty() ? " says nothing to extract" : " has both " + sources.get(0).key() + " and " + sources.get(1).key()),
                        "write one of jsonPath: $.token, header: Location, regex: 'id=(\\d+)'");
                continue;
            }
            Journey.Extract.Source source = sources.get(0);
            String expr = f.text(source.key(), null);
            if (expr == null || var == null) {
                continue;
            }
            String bad = checkExpression(source, expr);
            if (bad != null) {
                r.problem(f.get(source.key()), at + "." + source.key() + " '" + expr + "': " + bad, switch (source) {
                    case JSON_PATH -> "write a JSON path such as $.token, $.items[0].id or $..id";
                    case REGEX -> "write a Java regular expression; its first group (or the whole match) is saved";
                    case HEADER -> "write a header name such as Location";
                });
                continue;
            }
            out.add(new Journey.Extract(var, source, expr));
        }
        return out;
    }

    /** What is wrong with an extraction's expression, or null: JSON paths are parsed as Gatling will. */
    static String checkExpression(Journey.Extract.Source source, String expr) {
        switch (source) {
            case JSON_PATH -> {
                var compiled = JsonPath$.MODULE$.compile(expr);
                return compiled.isLeft() ? "not a JSON path (" + compiled.left().get().reason() + ")" : null;
            }
            case REGEX -> {
                try {
                    Pattern.compile(expr);
                    return null;
                } catch (PatternSyntaxException e) {
                    return "not a regular expression (" + e.getDescription() + " at index " + e.getIndex() + ")";
                }
            }
            default -> {
                return expr.isBlank() || !expr.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") ? "not a header name" : null;
            }
        }
    }

    private Journey.Think think(YamlNode node, String where) {
        if (!(node instanceof YamlNode.MapNode)) {
            Duration d = r.duration(node, where, true);
            return d == null ? null : Journey.Think.fixed(d);
        }
        Fields f = r.fields(node, where, List.of("distribution", "min", "max", "mean"));
        String dist = f.text("distribution", f.has("mean") ? "exponential" : "uniform");
        Duration min = f.duration("min", Duration.ZERO, true);
        Duration max = f.requireDuration("max", "write max: 5s (the longest pause)", true);
        if (dist == null || min == null || max == null) {
            return null;
        }
        if (max.compareTo(min) < 0) {
            r.problem(f.get("max"), where + ".max is shorter than its min", "write min: 1s, max: 3s");
            return null;
        }
        switch (dist) {
            case "uniform" -> {
                if (f.has("mean")) {
                    r.problem(f.get("mean"), "a uniform think time has no mean (it is halfway between min and max)", "remove mean, or write distribution: exponential");
                    return null;
                }
                return new Journey.Think(Journey.Think.Distribution.UNIFORM, min, max, min.plus(max).dividedBy(2));
            }
            case "exponential" -> {
                Duration mean = f.requireDuration("mean", "write mean: 2s (the average pause, between min and max)", true);
                if (mean == null) {
                    return null;
                }
                if (mean.compareTo(min) <= 0 || mean.compareTo(max) >= 0) {
                    r.problem(f.get("mean"), where + ".mean must lie between min and max (both excluded)", "write min: 0s, mean: 2s, max: 10s");
                    return null;
                }
                return new Journey.Think(Journey.Think.Distribution.EXPONENTIAL, min, max, mean);
            }
            default -> {
                r.problem(f.get("distribution"), "unknown think distribution '" + dist + "'", "write distribution: uniform or distribution: exponential (or think: 2s for a fixed pause)");
                return null;
            }
        }
    }

    /**
     * Each feeder that hands rows out once has a row for every user that will take one: the users the stages bring
     * (the integral of their rates) times the share of the journeys that read the feeder, one more for rounding.
     */
    void checkSupply(List<Feeder> feeders, List<YamlNode> at, List<Journey> journeys, Load stagesOnly) {
        long weights = journeys.stream().mapToLong(Journey::weight).sum();
        if (weights == 0) {
            return;
        }
        for (int i = 0; i < feeders.size(); i++) {
            Feeder f = feeders.get(i);
            List<String> readers = journeys.stream().filter(j -> j.variables().stream().anyMatch(f::provides))
                    .map(Journey::name).toList();
            if (readers.isEmpty()) {
                r.warning(at.get(i), "feeder '" + f.name() + "' is read by no journey", "read one of its columns in a step as ${"
                        + f.columns().get(0) + "}, or remove the feeder");
                continue;
            }
            if (!f.strategy().consumes()) {
                continue;
            }
            long share = journeys.stream().filter(j -> readers.contains(j.name())).mapToLong(Journey::weight).sum();
            double users = stagesOnly.arrivals() * share / weights;
            long need = (long) Math.ceil(users) + 1;
            if (f.rows().size() < need) {
                r.problem(at.get(i), String.format(Locale.ROOT, "feeder '%s' (%s) has %d rows, but the stages bring about %.0f users to"
                                + " journey%s %s, each taking one row it never hands out again", f.name(), f.strategy().id(), f.rows().size(),
                        users, readers.size() == 1 ? "" : "s", String.join(", ", readers)),
                        "give the file at least " + need + " rows, lower the stages' users per second, or use strategy: circular (rows are reused)");
            }
        }
    }

}
