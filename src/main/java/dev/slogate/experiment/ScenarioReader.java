package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads a scenario file with the fault and SLO files it refers to, then checks them against each other. */
final class ScenarioReader {
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_STOP_FOR = Duration.ofSeconds(10);
    private static final List<String> SANDBOX_LABELS = List.of("app", "region", "node", "pod");

    private final Problems problems;
    private final PromqlChecker promql;
    /** Files beyond the scenario's own slos: that OpenSLO references may resolve in. */
    private final List<Path> referenceFiles;
    private YamlReader r;

    ScenarioReader(Problems problems, PromqlChecker promql, List<Path> referenceFiles) {
        this.referenceFiles = referenceFiles;
        this.problems = problems;
        this.promql = promql;
    }

    /** A scheduled fault and the scenario node it was written at. */
    private record Placed(ScheduledFault fault, YamlNode item, YamlNode nameNode, YamlNode atNode) {
    }

    Scenario read(Path file) {
        List<YamlNode> docs = ExperimentLoader.documents(file, "Scenario", null, problems);
        if (docs == null) {
            return null;
        }
        r = new YamlReader(file, problems);
        if (docs.size() > 1) {
            r.problem(docs.get(1), "a scenario file holds one document, this one has " + docs.size(), "put each scenario in its own file");
        }
        Fields top = r.fields(docs.get(0), "the scenario", List.of("apiVersion", "kind", "metadata", "spec"));
        Headers.expect(r, top, "slogate/v1", "Scenario");
        Fields meta = r.fields(top.require("metadata", "write metadata: {name: my-gameday}"), "metadata", Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED);
        String name = meta.requireText("name", "write metadata: {name: my-gameday}");
        String description = meta.text("description", "");
        Fields spec = r.fields(top.require("spec", "write spec: with target, load, faults, slos"), "spec",
                List.of("target", "load", "faults", "slos", "stopConditions", "kubernetes", "probes", "grafana"));

        Target target = spec.has("target") ? target(spec.get("target")) : new Target(Target.Kind.SANDBOX, null, null, SandboxSpec.defaults());
        YamlNode loadNode = spec.require("load", "write load: {stages: [...], requests: [...]}");
        List<Stage> stages = new ArrayList<>();
        Load load = loadNode == null ? null : load(loadNode, stages);
        Path dir = file.toAbsolutePath().getParent();
        KubernetesSettings kubernetes = spec.has("kubernetes") ? ClusterReader.settings(r, spec.get("kubernetes"), dir) : null;
        List<Placed> faults = resolveBackends(faults(spec.get("faults"), dir), target, kubernetes, spec.has("kubernetes"));
        List<SloReader.Loaded> slos = slos(spec.get("slos"), dir);
        List<StopCondition> stops = stopConditions(spec.get("stopConditions"));
        List<ProbeSpec> probes = probes(spec.get("probes"), target);
        GrafanaSettings grafana = spec.has("grafana") ? GrafanaReader.read(r, spec.get("grafana")) : null;

        Duration runLength = stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        if (runLength.compareTo(Durations.MAX) > 0) {
            r.problem(loadNode, "the run would last " + Durations.format(runLength) + " (the sum of its stages), longer than the "
                    + Durations.format(Durations.MAX) + " a slogate run may last", "shorten the stages; split a soak test into several runs");
        }
        if (!stages.isEmpty()) {
            checkTiming(faults, runLength);
        }
        checkNames(faults);
        checkWindows(slos, faults, file, stages.isEmpty() ? null : runLength);
        checkStepWindows(slos, stages, loadNode);
        checkObjectives(slos, probes, spec);
        if (target != null) {
            checkTarget(target, spec, slos, faults);
        }
        if (problems.count() > 0) {
            return null;
        }
        return new Scenario(name, description, target, load, faults.stream().map(Placed::fault).toList(),
                slos.stream().map(SloReader.Loaded::def).filter(java.util.Objects::nonNull).toList(), stops, file, kubernetes, probes, grafana);
    }

    // ---- probes -------------------------------------------------------------------------------------------------

    /** Each objective finds what it reads besides the client in the scenario: a probe, a cluster. */
    private void checkObjectives(List<SloReader.Loaded> slos, List<ProbeSpec> probes, Fields spec) {
        List<String> names = probes.stream().map(ProbeSpec::name).toList();
        for (SloReader.Loaded l : slos) {
            SloDef def = l.def();
            if (def == null) {
                continue;
            }
            def.kind().check(def, new ObjectiveKind.ScenarioParts() {
                @Override
                public List<String> probes() {
                    return names;
                }

                @Override
                public boolean kubernetes() {
                    return spec.has("kubernetes");
                }

                @Override
                public void problemAtSlo(String message, String hint) {
                    problems.add(def.source(), def.line(), 1, message, hint);
                }

                @Override
                public void problemAtSpec(String message, String hint) {
                    r.problem(spec.node(), message, hint);
                }
            });
        }
    }

    private List<ProbeSpec> probes(YamlNode node, Target target) {
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.probes");
        List<ProbeSpec> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.probes[" + i + "]";
            Fields f = r.fields(items.get(i), where, List.of("name", "type", "write", "read", "jdbc", "rate", "timeout"));
            String name = f.requireText("name", "write name: writes (an rpo objective names its probe)");
            if (name != null && !names.add(name)) {
                r.problem(f.get("name"), "two probes are named '" + name + "'", "give each probe its own name");
            }
            String type = f.text("type", ProbeSpec.WRITE_INTEGRITY);
            if (type != null && !type.equals(ProbeSpec.WRITE_INTEGRITY)) {
                r.problem(f.get("type"), f.path("type") + " is '" + type + "'", "write type: " + ProbeSpec.WRITE_INTEGRITY);
            }
            Rate rate = f.has("rate") ? f.requireRate("rate", "write rate: 50/s") : new Rate(ProbeSpec.DEFAULT_RATE);
            if (rate != null && (rate.perSecond() <= 0 || rate.perSecond() > 1000)) {
                r.problem(f.get("rate"), f.path("rate") + " is " + rate + "; a probe writes between 1/s and 1000/s", "write rate: 50/s");
            }
            Duration timeout = f.duration("timeout", ProbeSpec.DEFAULT_TIMEOUT, false);
            if (f.has("jdbc")) {
                for (String http : List.of("write", "read")) {
                    if (f.has(http)) {
                        r.problem(f.entry(http).line(), f.entry(http).column(), where + " has both jdbc and " + http,
                                "keep jdbc to write to a database directly, or write + read for an HTTP endpoint");
                    }
                }
                ProbeSpec.Jdbc jdbc = jdbc(f, target);
                if (name != null && rate != null && timeout != null && jdbc != null) {
                    out.add(ProbeSpec.jdbc(name, jdbc, rate.perSecond(), timeout));
                }
                continue;
            }
            Fields w = r.fields(f.require("write", "write write: {method: POST, path: /records, body: '{\"seq\": ${seq}, \"ts\": ${ts}}'}"
                    + " (or jdbc: sandbox)"), f.path("write"), List.of("method", "path", "body"));
            String method = w.text("method", "POST");
            String path = w.requireText("path", "write path: /records");
            Secrets.process().rememberUrl(path);
            String body = w.text("body", "{\"seq\": ${seq}, \"ts\": ${ts}}");
            Secrets.process().rememberBody(body);
            if (path != null && !path.startsWith("/")) {
                r.problem(w.get("path"), w.path("path") + " '" + Redaction.url(path) + "' does not start with /", "write path: /" + Redaction.url(path));
            }
            if (body != null && path != null && !(body + path).contains("${seq}")) {
                r.problem(w.get("body") != null ? w.get("body") : w.get("path"), where + ".write never sends ${seq}",
                        "put ${seq} in the body or path, e.g. body: '{\"seq\": ${seq}, \"ts\": ${ts}}'");
            }
            Fields rd = r.fields(f.require("read", "write read: {path: '/records?from=${from}'}"), f.path("read"), List.of("path"));
            String readPath = rd.requireText("path", "write path: '/records?from=${from}'");
            Secrets.process().rememberUrl(readPath);
            if (readPath != null && !readPath.startsWith("/")) {
                r.problem(rd.get("path"), rd.path("path") + " '" + Redaction.url(readPath) + "' does not start with /", "write path: /" + Redaction.url(readPath));
            }
            if (name != null && path != null && readPath != null && rate != null && timeout != null && method != null && body != null) {
                out.add(new ProbeSpec(name, method.toUpperCase(java.util.Locale.ROOT), path, body, readPath, rate.perSecond(), timeout));
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern TABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    /** {@code jdbc: sandbox}, or {@code jdbc: {url, user, passwordEnv, table}} (no url = the sandbox's database). */
    private ProbeSpec.Jdbc jdbc(Fields probe, Target target) {
        YamlNode node = probe.get("jdbc");
        String at = probe.path("jdbc");
        ProbeSpec.Jdbc sandbox = ProbeSpec.Jdbc.sandbox();
        ProbeSpec.Jdbc jdbc;
        if (node instanceof YamlNode.Scalar sc) {
            if (!"sandbox".equals(sc.text())) {
                r.problem(node, at + " is '" + sc.text() + "'", "write jdbc: sandbox, or jdbc: {url: 'jdbc:postgresql://host:5432/db',"
                        + " user: app, passwordEnv: DB_PASSWORD, table: slogate_probe}");
                return null;
            }
            jdbc = sandbox;
        } else {
            Fields j = r.fields(node, at, List.of("url", "user", "passwordEnv", "table"));
            if (!j.isMap()) {
                return null;
            }
            String url = j.text("url", null);
            String user = j.text("user", url == null ? sandbox.user() : null);
            String passwordEnv = j.text("passwordEnv", null);
            String table = j.text("table", ProbeSpec.Jdbc.DEFAULT_TABLE);
            boolean ok = true;
            Secrets.process().rememberUrl(url);
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                r.problem(j.get("url"), j.path("url") + " '" + Redaction.url(url) + "' is not a PostgreSQL JDBC URL (the only driver slogate bundles)",
                        "write url: 'jdbc:postgresql://host:5432/db', or several hosts: 'jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary'");
                ok = false;
            } else if (url != null && !Redaction.url(url).equals(url)) { // user:password@, password=, sslpassword=...
                r.problem(j.get("url"), j.path("url") + " holds a password; passwords never go into scenario files",
                        "remove password= from the url and name an environment variable: passwordEnv: DB_PASSWORD");
                ok = false;
            }
            if (url != null && user == null) {
                r.problem(j.node(), at + " has a url but no user", "write user: <database user>");
                ok = false;
            }
            if (passwordEnv != null && !Redaction.isEnvName(passwordEnv)) {
                // likely the password itself: never quoted, and masked wherever else it may turn up
                Secrets.process().remember(passwordEnv);
                r.problem(j.get("passwordEnv"), j.path("passwordEnv") + " is not an environment variable name (its value is not shown:"
                        + " it may be a password); it names the variable that holds the password, never the password itself",
                        "write passwordEnv: DB_PASSWORD and export DB_PASSWORD=<the password> before the run");
                ok = false;
            }
            if (url == null && passwordEnv != null) {
                r.problem(j.get("passwordEnv"), "the sandbox's PostgreSQL needs no password", "remove passwordEnv, or add url:");
                ok = false;
            }
            if (table != null && !TABLE_NAME.matcher(table).matches()) {
                r.problem(j.get("table"), j.path("table") + " '" + table + "' is not a plain SQL table name", "write table: slogate_probe");
                ok = false;
            }
            if (!ok || table == null) {
                return null;
            }
            jdbc = new ProbeSpec.Jdbc(url, user, passwordEnv, table);
        }
        if (jdbc.sandboxTarget() && target != null
                && (target.kind() != Target.Kind.SANDBOX || target.sandbox() == null || target.sandbox().database() == null)) {
            r.problem(node, at + " writes to the sandbox's database, but " + (target.kind() != Target.Kind.SANDBOX
                            ? "the target is not the sandbox" : "the sandbox has none"),
                    target.kind() != Target.Kind.SANDBOX ? "write jdbc: {url: 'jdbc:postgresql://host:5432/db', user: app, passwordEnv: DB_PASSWORD}"
                            : "add database: {replication: async, lag: 2s, failoverAfter: 3s} to spec.target.sandbox");
            return null;
        }
        return jdbc;
    }

    // ---- target ------------------------------------------------------------------------------------------------

    private Target target(YamlNode node) {
        Fields t = r.fields(node, "spec.target", List.of("sandbox", "url", "prometheus"));
        if (t.has("url")) {
            if (t.has("sandbox")) {
                r.problem(t.entry("sandbox").line(), t.entry("sandbox").column(), "spec.target has both sandbox and url",
                        "keep sandbox to start the local sandbox, or url (+ prometheus) to aim at a running service");
            }
            String url = httpUrl(t, "url");
            String prom = t.has("prometheus") ? httpUrl(t, "prometheus") : null;
            return url == null ? null : new Target(Target.Kind.URL, url, prom, null);
        }
        if (t.has("prometheus")) {
            r.problem(t.entry("prometheus").line(), t.entry("prometheus").column(), "prometheus applies to a url target; the sandbox brings its own",
                    "remove prometheus, or add url: http://host:port");
        }
        SandboxSpec sandbox = sandbox(t.get("sandbox"));
        return sandbox == null ? null : new Target(Target.Kind.SANDBOX, null, null, sandbox);
    }

    private String httpUrl(Fields t, String key) {
        String u = t.text(key, null);
        if (u == null) {
            return null;
        }
        Secrets.process().rememberUrl(u);
        try {
            URI uri = new URI(u);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        int authority = u.indexOf("://") + 3;
        int end = authority < 3 ? -1 : indexOfAny(u, "/?#", authority);
        String userInfo = authority < 3 ? "" : u.substring(authority, end < 0 ? u.length() : end);
        if (userInfo.indexOf('@') != userInfo.lastIndexOf('@')) {
            r.problem(t.get(key), t.path(key) + " '" + Redaction.url(u) + "' is not an http(s) URL: its user-info holds an '@'",
                    "percent-encode '@' in the user name or password as %40 (p@ss is written p%40ss)");
            return null;
        }
        r.problem(t.get(key), t.path(key) + " '" + Redaction.url(u) + "' is not an http(s) URL", "write " + key + ": http://127.0.0.1:" + (key.equals("url") ? "8080" : "9090"));
        return null;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private SandboxSpec sandbox(YamlNode node) {
        SandboxSpec d = SandboxSpec.defaults();
        if (node == null) {
            return d;
        }
        int before = problems.count();
        Fields s = r.fields(node, "spec.target.sandbox",
                List.of("regions", "nodesPerRegion", "podsPerNode", "serviceTime", "errorRatio", "concurrency", "restartDelay", "autoscaler",
                        "database"));
        Integer regions = s.integer("regions", d.regions(), 1, 26); // regions are named a to z
        int nodes = orZero(s.integer("nodesPerRegion", d.nodesPerRegion(), 1, SandboxSpec.MAX_PODS));
        int podsPerNode = orZero(s.integer("podsPerNode", d.podsPerNode(), 1, SandboxSpec.MAX_PODS));
        if (regions != null && nodes > 0 && podsPerNode > 0 && (long) regions * nodes * podsPerNode > SandboxSpec.MAX_PODS) {
            r.problem(node, "the sandbox would run " + regions * nodes * podsPerNode + " pods (" + regions + " regions x " + nodes
                    + " nodes x " + podsPerNode + " pods), more than the " + SandboxSpec.MAX_PODS + " one machine runs",
                    "lower regions, nodesPerRegion or podsPerNode so that their product is at most " + SandboxSpec.MAX_PODS
                            + "; aim at a real service with url: for more");
            regions = null;
        }
        SandboxSpec.Autoscaler autoscaler = s.has("autoscaler") ? autoscaler(s.get("autoscaler"), orZero(regions) * nodes * podsPerNode) : null;
        SandboxSpec spec = new SandboxSpec(orZero(regions), nodes, podsPerNode,
                s.duration("serviceTime", d.serviceTime(), true), orZero(s.fraction("errorRatio", d.errorRatio())),
                orZero(s.integer("concurrency", d.concurrency(), 1, SandboxSpec.MAX_CONCURRENCY)), s.duration("restartDelay", d.restartDelay(), true), autoscaler,
                s.has("database") ? database(s.get("database"), regions) : null);
        return problems.count() == before ? spec : null;
    }

    private SandboxSpec.Autoscaler autoscaler(YamlNode node, int slots) {
        int before = problems.count();
        String at = "spec.target.sandbox.autoscaler";
        Fields a = r.fields(node, at, List.of("min", "max", "metric", "targetPerPod", "startDelay", "period", "scaleDownStabilization"));
        YamlNode minNode = a.require("min", "write min: 2 (pods that always run)");
        Integer min = minNode == null ? null : r.integer(minNode, a.path("min"), 1);
        YamlNode maxNode = a.require("max", "write max: 8 (at most regions x nodesPerRegion x podsPerNode)");
        Integer max = maxNode == null ? null : r.integer(maxNode, a.path("max"), 1);
        if (min != null && max != null && min > max) {
            r.problem(maxNode, at + ".max " + max + " is below min " + min, "write max: " + min + " or more");
        } else if (max != null && slots > 0 && max > slots) {
            r.problem(maxNode, at + ".max " + max + " is more than the sandbox's " + slots + " pod slots (regions x nodesPerRegion x podsPerNode)",
                    "lower max to " + slots + " or raise podsPerNode; the autoscaler places pods in those slots");
        }
        String metric = a.text("metric", "rps");
        SandboxSpec.Metric m = null;
        if (metric != null) {
            switch (metric) {
                case "rps" -> m = SandboxSpec.Metric.RPS;
                case "inflight" -> m = SandboxSpec.Metric.INFLIGHT;
                default -> r.problem(a.get("metric"), "unknown autoscaler metric '" + metric + "'",
                        "write metric: rps (requests per second per pod) or metric: inflight (requests in flight per pod)");
            }
        }
        YamlNode targetNode = a.require("targetPerPod", "write targetPerPod: 100 (the metric's value per pod the autoscaler aims at)");
        Double target = targetNode == null ? null : r.number(targetNode, a.path("targetPerPod"));
        if (target != null && !(target > 0)) {
            r.problem(targetNode, a.path("targetPerPod") + " is " + FaultReader.fmt(target) + ", but must be above 0", "write targetPerPod: 100");
        }
        Duration startDelay = a.duration("startDelay", SandboxSpec.Autoscaler.DEFAULT_START_DELAY, true);
        Duration period = a.duration("period", SandboxSpec.Autoscaler.DEFAULT_PERIOD, false);
        if (period != null && period.toMillis() < 500) {
            r.problem(a.get("period"), a.path("period") + " is " + Durations.format(period) + "; Prometheus scrapes every second",
                    "write period: 1s or more (Kubernetes' HPA uses 15s)");
        }
        Duration down = a.duration("scaleDownStabilization", SandboxSpec.Autoscaler.DEFAULT_SCALE_DOWN_STABILIZATION, true);
        return problems.count() == before ? new SandboxSpec.Autoscaler(min, max, m, target, startDelay, period, down) : null;
    }

    private DatabaseSpec database(YamlNode node, Integer regions) {
        DatabaseSpec d = DatabaseSpec.defaults();
        Fields db = r.fields(node, "spec.target.sandbox.database", List.of("replication", "lag", "failoverAfter"));
        String mode = db.text("replication", "async");
        DatabaseSpec.Replication replication = switch (mode == null ? "async" : mode) {
            case "async" -> DatabaseSpec.Replication.ASYNC;
            case "sync" -> DatabaseSpec.Replication.SYNC;
            default -> {
                r.problem(db.get("replication"), db.path("replication") + " is '" + mode + "'", "write replication: async or replication: sync");
                yield null;
            }
        };
        if (replication == DatabaseSpec.Replication.SYNC && db.has("lag")) {
            r.problem(db.get("lag"), db.path("lag") + " only applies to async replication (a synchronous commit waits for the standby)",
                    "remove lag, or write replication: async");
        }
        if (regions != null && regions < 2) {
            r.problem(node, "the database needs 2 regions (primary in a, standby in b), the sandbox has " + regions, "write regions: 2");
        }
        return new DatabaseSpec(replication, db.duration("lag", d.lag(), true), db.duration("failoverAfter", d.failoverAfter(), true));
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    // ---- load --------------------------------------------------------------------------------------------------

    private Load load(YamlNode node, List<Stage> stages) {
        int before = problems.count();
        Fields l = r.fields(node, "spec.load", List.of("requestTimeout", "stages", "requests", "simulation"));
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
        YamlNode reqNode = l.require("requests", "write requests: [{name: home, path: /}]");
        List<YamlNode> reqItems = reqNode == null ? null : r.list(reqNode, "spec.load.requests");
        if (reqItems != null && reqItems.isEmpty()) {
            r.problem(reqNode, "spec.load.requests is empty", "add a request: - {name: home, path: /}");
        }
        List<RequestSpec> requests = new ArrayList<>();
        Map<String, YamlNode> names = new HashMap<>();
        for (int i = 0; reqItems != null && i < reqItems.size(); i++) {
            RequestSpec q = request(reqItems.get(i), "spec.load.requests[" + i + "]");
            if (q != null && names.putIfAbsent(q.name(), reqItems.get(i)) != null) {
                r.problem(reqItems.get(i), "two requests are named '" + q.name() + "' (first on line " + names.get(q.name()).line() + ")",
                        "give each request its own name; reports count requests by name");
            }
            requests.add(q);
        }
        String simulation = l.text("simulation", null);
        if (simulation != null && !simulation.matches("([\\p{L}_$][\\p{L}\\p{N}_$]*\\.)*[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
            r.problem(l.get("simulation"), "simulation '" + simulation + "' is not a Java class name", "write simulation: com.acme.MySimulation");
        }
        return problems.count() == before ? new Load(stages, requests, simulation, timeout) : null;
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
        Rate from = ramp ? s.requireRate("from", "write from: 100 (requests per second)") : null;
        Rate to = s.requireRate(ramp ? "to" : "rps", ramp ? "write to: 200 (requests per second)" : "write rps: 100 (requests per second)");
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

    // ---- faults, SLOs, stop conditions ---------------------------------------------------------------------------

    private List<Placed> faults(YamlNode node, Path dir) {
        List<Placed> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.faults");
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.faults[" + i + "]";
            YamlNode item = items.get(i);
            Fields f = r.fields(item, where, List.of("name", "at", "ref", "fault", "backend"));
            Duration at = f.requireDuration("at", "write at: 30s (when to inject it, from the start of the run)", true);
            String name = f.has("ref") ? f.text("name", null) : f.requireText("name", "write name: kill-one-pod (names the fault's windows)");
            FaultSpec spec = null;
            if (f.has("ref") && f.has("fault")) {
                r.problem(f.get("fault"), where + " has both ref and fault", "keep ref: (a fault file) or fault: (inline), not both");
            } else if (f.has("ref")) {
                String ref = f.text("ref", null);
                Path refFile = ref == null ? null : reference(dir, ref, f.get("ref"));
                if (refFile != null) {
                    spec = ExperimentLoader.readFault(refFile, new ExperimentLoader.ReferenceSite(r.file(), f.get("ref")), problems, name);
                }
            } else if (f.has("fault")) {
                spec = FaultReader.readSpec(r, f.get("fault"), f.path("fault"), name);
            } else {
                f.require("ref", "write ref: ../faults/pod-kill-one.yaml, or an inline fault: {type: ..., selector: ..., duration: ...}");
            }
            if (spec != null && f.has("backend")) {
                Backend b = FaultReader.backend(r, f, "backend", spec.type());
                spec = b == null ? null : spec.withBackend(b);
            }
            if (spec != null && at != null) {
                out.add(new Placed(new ScheduledFault(spec.name(), at, spec), item, f.get("name"), f.get("at")));
            }
        }
        return out;
    }

    /** Each fault's backend, resolved against the target and the kubernetes block (a bad block was reported already). */
    private List<Placed> resolveBackends(List<Placed> faults, Target target, KubernetesSettings k8s, boolean k8sWritten) {
        if (k8sWritten && k8s == null) {
            return faults;
        }
        List<Placed> out = new ArrayList<>();
        for (Placed p : faults) {
            FaultSpec spec = ClusterReader.resolve(r, p.item(), p.fault().name(), p.fault().fault(), target, k8s);
            if (spec != null) {
                out.add(new Placed(new ScheduledFault(p.fault().name(), p.fault().at(), spec), p.item(), p.nameNode(), p.atNode()));
            }
        }
        return out;
    }

    /** The SLOs of every {@code slos:} file; OpenSLO references resolve across all of them (and the command's other files). */
    private List<SloReader.Loaded> slos(YamlNode node, Path dir) {
        List<SloReader.Loaded> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.slos");
        List<Map.Entry<Path, YamlNode>> files = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String path = r.text(items.get(i), "spec.slos[" + i + "]");
            Path sloFile = path == null ? null : reference(dir, path, items.get(i));
            if (sloFile != null) {
                files.add(Map.entry(sloFile, items.get(i)));
            }
        }
        List<Path> searched = new ArrayList<>(files.stream().map(Map.Entry::getKey).distinct().toList());
        searched.addAll(referenceFiles);
        OpenSloObjects objects = OpenSloObjects.read(searched);
        for (Map.Entry<Path, YamlNode> f : files) {
            out.addAll(ExperimentLoader.readSlos(f.getKey(), new ExperimentLoader.ReferenceSite(r.file(), f.getValue()), problems, promql, objects));
        }
        return out;
    }

    /** The file a {@code ref:} or {@code slos:} path names, relative to the scenario's directory; null after reporting a path no file can have. */
    private Path reference(Path dir, String path, YamlNode at) {
        try {
            if (!path.isBlank()) {
                return dir.resolve(path).normalize();
            }
        } catch (java.nio.file.InvalidPathException e) {
            // a NUL or similar: reported below
        }
        r.problem(at, "'" + path.replaceAll("\\p{Cntrl}", "?") + "' is not a file path", "write a path relative to this file, e.g. ../slo/demo.yaml");
        return null;
    }

    private List<StopCondition> stopConditions(YamlNode node) {
        List<StopCondition> out = new ArrayList<>();
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.stopConditions");
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.stopConditions[" + i + "]";
            Fields f = r.fields(items.get(i), where, List.of("errorRate", "p99Latency"));
            if (!f.isMap()) {
                continue;
            }
            if (f.has("errorRate") == f.has("p99Latency")) {
                r.problem(items.get(i), where + " needs exactly one of errorRate and p99Latency", "write - {errorRate: {above: 50%, for: 10s}}");
                continue;
            }
            boolean errors = f.has("errorRate");
            String key = errors ? "errorRate" : "p99Latency";
            Fields c = r.fields(f.get(key), f.path(key), List.of("above", "for"));
            Double above;
            if (errors) {
                above = c.requireFraction("above", "write above: 50%");
            } else {
                Duration d = c.requireDuration("above", "write above: 5s", false);
                above = d == null ? null : d.toNanos() / 1e9;
            }
            Duration sustained = c.duration("for", DEFAULT_STOP_FOR, true);
            if (above != null && sustained != null) {
                out.add(new StopCondition(errors ? StopCondition.Metric.ERROR_RATE : StopCondition.Metric.P99_LATENCY_SECONDS, Op.GT, above, sustained));
            }
        }
        return out;
    }

    // ---- cross checks ------------------------------------------------------------------------------------------

    private void checkTiming(List<Placed> faults, Duration run) {
        for (Placed p : faults) {
            ScheduledFault f = p.fault();
            Duration latest = run.minus(f.fault().duration());
            String hint = latest.isNegative() || (latest.isZero() && f.fault().duration().isZero())
                    ? "lengthen the stages or shorten the fault"
                    : "the latest allowed at is " + Durations.format(f.fault().duration().isZero() ? run.minusSeconds(1) : latest) + ", or lengthen the stages";
            if (f.at().compareTo(run) >= 0) {
                r.problem(p.atNode(), "fault '" + f.name() + "' is injected at " + Durations.format(f.at()) + ", at or after the end of the run, which lasts "
                        + Durations.format(run) + " (the sum of its stages)", hint);
            } else if (f.end().compareTo(run) > 0) {
                r.problem(p.atNode(), "fault '" + f.name() + "' lasts from " + Durations.format(f.at()) + " to " + Durations.format(f.end())
                        + ", past the end of the run at " + Durations.format(run), hint);
            }
        }
    }

    private void checkNames(List<Placed> faults) {
        Map<String, Placed> seen = new HashMap<>();
        for (Placed p : faults) {
            Placed first = seen.putIfAbsent(p.fault().name(), p);
            if (first != null) {
                r.problem(p.nameNode() != null ? p.nameNode() : p.item(), "two faults are named '" + p.fault().name() + "' (first on line " + first.item().line() + ")",
                        "give each scheduled fault its own name; its windows are fault:<name> and recovery:<name>");
            }
        }
    }

    private void checkWindows(List<SloReader.Loaded> slos, List<Placed> faults, Path file, Duration runLength) {
        List<String> names = faults.stream().map(p -> p.fault().name()).distinct().toList();
        Placed first = faults.stream().min((a, b) -> a.fault().at().compareTo(b.fault().at())).orElse(null);
        String scheduled = names.isEmpty() ? "no faults are scheduled in " + file.getFileName() : "scheduled faults: " + String.join(", ", names);
        Map<String, SloReader.Loaded> byName = new LinkedHashMap<>();
        for (SloReader.Loaded l : slos) {
            YamlReader at = new YamlReader(l.file(), problems);
            for (SloReader.Ref w : l.windows()) {
                String n = w.name();
                if (n.startsWith("step:")) {
                    continue; // checked against the stages by checkStepWindows
                }
                if (n.endsWith(":*") && names.isEmpty()) {
                    at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' would be empty: " + scheduled,
                            "schedule a fault under spec.faults, or judge steady and run only");
                } else if ((n.startsWith("fault:") || n.startsWith("recovery:")) && !n.endsWith(":*")) {
                    String fault = n.substring(n.indexOf(':') + 1);
                    ScheduledFault sf = faults.stream().map(Placed::fault).filter(x -> x.name().equals(fault)).findFirst().orElse(null);
                    if (sf == null) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' names no scheduled fault" + FaultReader.nearest(fault, names),
                                scheduled + "; or write " + n.substring(0, n.indexOf(':')) + ":* for all of them");
                    } else if (n.startsWith("fault:") && sf.fault().duration().isZero()) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' is empty: " + sf.fault().type().id() + " '" + fault + "' has no duration",
                                "give the fault a duration (e.g. duration: 10s keeps its window open while the pod restarts), or judge recovery:" + fault);
                    } else if (n.startsWith("recovery:") && runLength != null && sf.end().compareTo(runLength) >= 0) {
                        at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' is empty: fault '" + fault + "' is reverted when the run ends ("
                                + Durations.format(runLength) + ")", "inject it earlier or lengthen the stages to leave time to recover");
                    }
                } else if (n.equals("steady") && first != null && first.fault().at().isZero()) {
                    at.problem(w.at(), "window 'steady' of SLO '" + l.name() + "' is empty: fault '" + first.fault().name() + "' is injected at 0s",
                            "inject the first fault later (e.g. at: 30s) to measure a steady state before it");
                }
            }
            for (SloReader.Ref f : l.rtoFaults()) {
                if (f.name().equals("all") ? names.isEmpty() : !names.contains(f.name())) {
                    at.problem(f.at(), "RTO '" + l.name() + "' covers " + (f.name().equals("all") ? "all faults" : "fault '" + f.name() + "'")
                            + ", but " + (names.isEmpty() ? "none is scheduled" : "no such fault is scheduled") + FaultReader.nearest(f.name(), names),
                            "write faults: [all] or name some of: " + (names.isEmpty() ? "(schedule a fault first)" : String.join(", ", names)));
                }
            }
            SloReader.Loaded dup = l.def() == null ? null : byName.putIfAbsent(l.name(), l);
            if (dup != null) {
                problems.add(l.def().source(), l.def().line(), 1, "two SLOs are named '" + l.name() + "' (the other in "
                        + dup.def().source().getFileName() + " line " + dup.def().line() + ")", "give each SLO its own name; reports list them by name");
            }
        }
    }

    /** {@code step:<n>} must name a step or ramp stage; {@code step:*} needs at least one. */
    private void checkStepWindows(List<SloReader.Loaded> slos, List<Stage> stages, YamlNode loadNode) {
        if (loadNode == null || stages.isEmpty()) {
            return; // the load has its own problems
        }
        List<Integer> steps = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).kind() != Stage.Kind.HOLD) {
                steps.add(i + 1);
            }
        }
        String have = steps.isEmpty() ? "the load has no step or ramp stage"
                : "step windows of this load: " + steps.stream().map(i -> "step:" + i).collect(Collectors.joining(", "));
        for (SloReader.Loaded l : slos) {
            YamlReader at = new YamlReader(l.file(), problems);
            for (SloReader.Ref w : l.windows()) {
                String n = w.name();
                if (n.equals("step:*") && steps.isEmpty()) {
                    at.problem(w.at(), "window 'step:*' of SLO '" + l.name() + "' would be empty: " + have,
                            "add a load step, e.g. - step: {rps: 500, duration: 60s}, or a ramp; a scaling objective is judged per step");
                } else if (n.startsWith("step:") && !n.equals("step:*") && !steps.contains(SloReader.stepNumber(n))) {
                    int stage = SloReader.stepNumber(n);
                    at.problem(w.at(), "window '" + n + "' of SLO '" + l.name() + "' names "
                            + (stage > stages.size() ? "stage " + stage + ", but the load has " + stages.size() + " stage" + (stages.size() > 1 ? "s" : "")
                            : "stage " + stage + ", a hold"), have + " (stages are numbered from 1 in the order of spec.load.stages)");
                }
            }
        }
    }

    private void checkTarget(Target target, Fields spec, List<SloReader.Loaded> slos, List<Placed> faults) {
        if (target.kind() == Target.Kind.URL && target.prometheus() == null) {
            slos.stream().filter(SloReader.Loaded::needsPrometheus).findFirst().ifPresent(l -> r.problem(spec.get("target"),
                    "SLO '" + l.name() + "' reads Prometheus, but spec.target has no prometheus",
                    "add prometheus: http://127.0.0.1:9090 (the Prometheus that scrapes the target)"));
        }
        if (target.kind() != Target.Kind.SANDBOX) {
            return;
        }
        List<Map<String, String>> pods = sandboxPods(target.sandbox());
        for (Placed p : faults) {
            if (p.fault().fault().backendOrLocal() != Backend.LOCAL) {
                continue;
            }
            Map<String, String> labels = p.fault().fault().selector().labels();
            List<String> unknown = labels.keySet().stream().filter(k -> !SANDBOX_LABELS.contains(k)).toList();
            if (!unknown.isEmpty()) {
                r.problem(p.item(), "fault '" + p.fault().name() + "' selects by label '" + unknown.get(0) + "', which sandbox pods do not have",
                        "sandbox pods have the labels " + String.join(", ", SANDBOX_LABELS) + ", e.g. {region: b} or {node: a-1}");
            } else if (pods.stream().noneMatch(p.fault().fault().selector()::matches)) {
                SandboxSpec s = target.sandbox();
                r.problem(p.item(), "fault '" + p.fault().name() + "' selects {" + labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining(", ")) + "}, which matches no pod of the sandbox",
                        "the sandbox has app: demo, regions a.." + (char) ('a' + s.regions() - 1) + ", nodes like a-1..a-" + s.nodesPerRegion()
                                + ", pods like a-1-1..a-1-" + s.podsPerNode());
            }
        }
    }

    /** The labels of every pod the sandbox will start (region a, node a-1, pod a-1-1, ...). */
    static List<Map<String, String>> sandboxPods(SandboxSpec s) {
        List<Map<String, String>> pods = new ArrayList<>();
        for (int g = 0; g < s.regions(); g++) {
            String region = String.valueOf((char) ('a' + g));
            for (int n = 1; n <= s.nodesPerRegion(); n++) {
                for (int p = 1; p <= s.podsPerNode(); p++) {
                    pods.add(Map.of("app", "demo", "region", region, "node", region + "-" + n, "pod", region + "-" + n + "-" + p));
                }
            }
        }
        return pods;
    }
}
