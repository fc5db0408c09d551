package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.Problems;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/** Reads {@code spec.target} of a scenario: a url (with its Prometheus), or the sandbox with its autoscaler and database. */
final class TargetReader {
    private final YamlReader r;
    private final Problems problems;

    TargetReader(YamlReader r) {
        this.r = r;
        this.problems = r.problems();
    }

    Target target(YamlNode node) {
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

    /** An absolute http(s) URL with a host: what every URL key of a scenario takes. */
    static boolean isHttpUrl(String u) {
        try {
            URI uri = new URI(u);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private String httpUrl(Fields t, String key) {
        String u = t.text(key, null);
        if (u == null) {
            return null;
        }
        Secrets.process().rememberUrl(u);
        if (isHttpUrl(u)) {
            return u;
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
}
