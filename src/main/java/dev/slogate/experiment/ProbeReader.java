package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code spec.probes} of a scenario: write probes over HTTP ({@code write} and {@code read}) or JDBC. */
final class ProbeReader {
    private final YamlReader r;

    ProbeReader(YamlReader r) {
        this.r = r;
    }

    List<ProbeSpec> probes(YamlNode node, Target target) {
        List<YamlNode> items = node == null ? List.of() : r.list(node, "spec.probes");
        List<ProbeSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
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
            Rate rate = f.has("rate") ? LoadReader.requireRate(r, f, "rate", "write rate: 50/s") : new Rate(ProbeSpec.DEFAULT_RATE);
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
                out.add(new ProbeSpec(name, method.toUpperCase(Locale.ROOT), path, body, readPath, rate.perSecond(), timeout));
            }
        }
        return out;
    }

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

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
}
