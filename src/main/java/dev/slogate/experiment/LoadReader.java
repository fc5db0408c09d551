package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code spec.load} of a scenario: its stages (hold, ramp, step), its requests or its journeys and feeders
 * ({@link JourneyReader}), and the request timeout.
 */
final class LoadReader {
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final YamlReader r;
    private final Problems problems;
    private final boolean simulationGiven;

    LoadReader(YamlReader r) {
        this(r, false);
    }

    /** {@code simulationGiven}: the command line names the simulation to run, so requests are optional. */
    LoadReader(YamlReader r, boolean simulationGiven) {
        this.r = r;
        this.problems = r.problems();
        this.simulationGiven = simulationGiven;
    }

    Load load(YamlNode node, List<Stage> stages) {
        int before = problems.count();
        Fields l = r.fields(node, "spec.load", List.of("requestTimeout", "stages", "requests", "journeys", "feeders",
                "simulation", "simulationJar"));
        Duration timeout = l.duration("requestTimeout", DEFAULT_REQUEST_TIMEOUT, false);
        YamlNode stagesNode = l.require("stages", "write stages: [{hold: {rps: 100, duration: 60s}}]");
        List<YamlNode> stageItems = stagesNode == null ? null : r.list(stagesNode, "spec.load.stages");
        if (stageItems != null && stageItems.isEmpty()) {
            r.problem(stagesNode, "spec.load.stages is empty, so the run would last 0s", "add a stage: - hold: {rps: 100, duration: 60s}");
        }
        Rate previous = new Rate(0);
        for (int i = 0; stageItems != null && i < stageItems.size(); i++) {
            Stage s = stage(stageItems.get(i), "spec.load.stages[" + i + "]", previous);
            if (s != null) {
                stages.add(s);
                previous = s.to();
            }
        }
        List<RequestSpec> requests = new ArrayList<>();
        List<Journey> journeys = List.of();
        List<Feeder> feeders = List.of();
        if (l.has("journeys") && l.has("requests")) {
            r.problem(l.keyAt("journeys"), "spec.load has both requests and journeys", "keep requests: (one request per arrival) or"
                    + " journeys: (users walking steps), not both; a single request is a journey of one step");
        } else if (l.has("journeys")) {
            JourneyReader jr = new JourneyReader(r);
            List<YamlNode> feederNodes = new ArrayList<>();
            feeders = jr.feeders(l.get("feeders"), feederNodes);
            journeys = jr.journeys(l.get("journeys"), feeders);
            if (problems.count() == before) {
                jr.checkSupply(feeders, feederNodes, journeys, new Load(stages, List.of(), null, timeout));
            }
        } else {
            if (l.has("feeders")) {
                r.problem(l.keyAt("feeders"), "spec.load has feeders but no journeys", "journeys read feeders' columns as ${column}; "
                        + "write journeys: [...] instead of requests:, or remove feeders");
            }
            // a user's own simulation sends its own requests
            if (!(simulationGiven || l.has("simulation")) || l.has("requests")) {
                requests(l, requests);
            }
        }
        String simulation = l.text("simulation", null);
        if (simulation != null && !journeys.isEmpty()) {
            r.problem(l.get("simulation"), "spec.load has journeys and a simulation; slogate runs journeys in its own simulation",
                    "remove simulation to run the journeys, or remove journeys to run your simulation");
        } else if (simulation != null && !simulation.matches("([\\p{L}_$][\\p{L}\\p{N}_$]*\\.)*[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
            r.problem(l.get("simulation"), "simulation '" + simulation + "' is not a Java class name", "write simulation: com.acme.MySimulation");
        }
        List<Path> classpath = new SimulationJarReader(r).classpath(l, simulation, simulationGiven);
        return problems.count() == before ? new Load(stages, requests, simulation, timeout, journeys, feeders, classpath) : null;
    }

    private void requests(Fields l, List<RequestSpec> requests) {
        YamlNode reqNode = l.require("requests", "write requests: [{name: home, path: /}] (or journeys: [...])");
        List<YamlNode> reqItems = reqNode == null ? null : r.list(reqNode, "spec.load.requests");
        if (reqItems != null && reqItems.isEmpty()) {
            r.problem(reqNode, "spec.load.requests is empty", "add a request: - {name: home, path: /}");
        }
        Map<String, YamlNode> names = new HashMap<>();
        for (int i = 0; reqItems != null && i < reqItems.size(); i++) {
            RequestSpec q = request(reqItems.get(i), "spec.load.requests[" + i + "]");
            if (q != null && names.putIfAbsent(q.name(), reqItems.get(i)) != null) {
                r.problem(reqItems.get(i), "two requests are named '" + q.name() + "' (first on line " + names.get(q.name()).line() + ")",
                        "give each request its own name; reports count requests by name");
            }
            requests.add(q);
        }
    }

    private Stage stage(YamlNode node, String where, Rate previous) {
        Fields f = r.fields(node, where, List.of("hold", "ramp", "step"));
        List<String> kinds = List.of("hold", "ramp", "step").stream().filter(f::has).toList();
        if (kinds.size() != 1) {
            if (kinds.size() > 1 || node instanceof YamlNode.MapNode m && m.entries().isEmpty()) {
                r.problem(node, kinds.isEmpty() ? where + " is empty" : where + " has both " + kinds.get(0) + " and " + kinds.get(1),
                        "write each stage as its own item: - hold: {rps: 100, duration: 60s}");
            }
            return null;
        }
        String kind = kinds.get(0);
        boolean ramp = kind.equals("ramp");
        Fields s = r.fields(f.get(kind), f.path(kind), ramp ? List.of("from", "to", "duration") : List.of("rps", "duration"));
        Rate from = ramp ? requireRate(r, s, "from", "write from: 100 (requests per second)") : null;
        Rate to = requireRate(r, s, ramp ? "to" : "rps", ramp ? "write to: 200 (requests per second)" : "write rps: 100 (requests per second)");
        Duration d = s.requireDuration("duration", "write duration: 30s", false);
        if (to == null || d == null || ramp && from == null) {
            return null;
        }
        return switch (kind) {
            case "ramp" -> new Stage(Stage.Kind.RAMP, from, to, d);
            case "hold" -> new Stage(Stage.Kind.HOLD, to, to, d);
            default -> new Stage(Stage.Kind.STEP, previous, to, d); // from = the rate it jumps from
        };
    }

    private RequestSpec request(YamlNode node, String where) {
        int before = problems.count();
        Fields f = r.fields(node, where, List.of("name", "method", "path", "weight", "expectStatus", "headers", "body"));
        String method = f.text("method", "GET");
        if (method != null && !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            r.problem(f.get("method"), "unknown HTTP method '" + method + "'" + FaultReader.nearest(method.toUpperCase(Locale.ROOT), METHODS),
                    "valid methods: " + String.join(", ", METHODS));
        }
        String path = f.requireText("path", "write path: / (or /api/items?id=1)");
        Secrets.process().rememberUrl(path);
        if (path != null && !path.startsWith("/")) {
            r.problem(f.get("path"), where + ".path '" + Redaction.url(path) + "' does not start with '/'",
                    "write path: /" + Redaction.url(path.replaceFirst("^[a-z]+://[^/]*/?", "")) + " (the host comes from the target)");
        }
        // the default name is in every report: the path as shown, without a token of its query
        String name = f.text("name", method == null || path == null ? null : method.toUpperCase(Locale.ROOT) + " " + Redaction.url(path));
        Integer weight = f.integer("weight", 1, 1);
        Integer status = f.integer("expectStatus", 200, 100);
        if (status != null && status > 599) {
            r.problem(f.get("expectStatus"), where + ".expectStatus " + status + " is not an HTTP status", "write a status between 100 and 599, e.g. 200");
        }
        Map<String, String> headers = f.textMap("headers");
        Secrets.process().rememberHeaders(headers);
        String body = f.text("body", null);
        Secrets.process().rememberBody(body);
        return problems.count() == before ? new RequestSpec(name, method.toUpperCase(Locale.ROOT), path, headers, body, status, weight) : null;
    }

    /** A rate at {@code key}: requests per second, at most what slogate can send. */
    static Rate requireRate(YamlReader r, Fields f, String key, String hint) {
        YamlNode n = f.require(key, hint);
        if (n == null) {
            return null;
        }
        String what = f.path(key);
        String t = r.text(n, what);
        if (t == null) {
            return null;
        }
        try {
            Rate rate = Rate.parse(t);
            if (rate.perSecond() > Rate.MAX_PER_SECOND) {
                r.problem(n, what + " is " + rate + ", more than slogate can send (" + new Rate(Rate.MAX_PER_SECOND) + ")",
                        "one injector sends at most " + new Rate(Rate.MAX_PER_INJECTOR) + "; up to " + new Rate(Rate.MAX_PER_SECOND)
                                + " run the scenario with --injectors N, each sending 1/N of the rate");
                return null;
            }
            return rate;
        } catch (IllegalArgumentException e) {
            r.problem(n, what + ": " + e.getMessage(), YamlReader.numberHint(n, "rates are requests per second: 150, \"150/s\", \"2k/s\" or \"30/m\""));
            return null;
        }
    }
}
