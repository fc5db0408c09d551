package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import java.util.ArrayList;
import java.util.List;

/** Reads a scenario's {@code spec.grafana} block ({@link GrafanaSettings}); problems go to the reader, at their line. */
final class GrafanaReader {
    static final String WHERE = "spec.grafana";
    private static final String EXAMPLE = "grafana: {url: https://grafana.example.com, tokenEnv: GRAFANA_TOKEN, tags: [checkout]}";

    private GrafanaReader() {
    }

    /** The block's settings, or null when it has problems. */
    static GrafanaSettings read(YamlReader r, YamlNode node) {
        int before = r.problems().count();
        Fields g = r.fields(node, WHERE, List.of("url", "tokenEnv", "dashboardUid", "tags"));
        String url = g.requireText("url", "write " + EXAMPLE);
        Secrets.process().rememberUrl(url);
        if (url != null && !TargetReader.isHttpUrl(url)) {
            r.problem(g.get("url"), WHERE + ".url '" + Redaction.url(url) + "' is not an http(s) URL",
                    "write Grafana's base URL: url: https://grafana.example.com (or http://127.0.0.1:3000)");
        }
        String tokenEnv = g.requireText("tokenEnv", "name the variable that holds a Grafana service account token: tokenEnv: GRAFANA_TOKEN");
        if (tokenEnv != null && !Redaction.isEnvName(tokenEnv)) {
            Secrets.process().remember(tokenEnv); // likely the token itself: never quoted, masked wherever it turns up
            r.problem(g.get("tokenEnv"), WHERE + ".tokenEnv is not an environment variable name (its value is not shown: it may be a token)",
                    "write the variable's name, not the token: tokenEnv: GRAFANA_TOKEN, and export GRAFANA_TOKEN=<the token> before the run");
        }
        String dashboardUid = g.text("dashboardUid", null);
        if (dashboardUid != null && !dashboardUid.matches("[A-Za-z0-9_-]{1,40}")) {
            r.problem(g.get("dashboardUid"), WHERE + ".dashboardUid '" + dashboardUid + "' is not a dashboard uid",
                    "a uid is up to 40 letters, digits, '-' and '_', as in the dashboard's URL /d/<uid>/...; leave it out for annotations on every dashboard");
        }
        List<String> tags = new ArrayList<>();
        if (g.has("tags")) {
            List<YamlNode> items = r.list(g.get("tags"), g.path("tags"));
            for (int i = 0; items != null && i < items.size(); i++) {
                String tag = r.text(items.get(i), g.path("tags") + "[" + i + "]");
                if (tag == null) {
                    continue;
                }
                if (tag.isBlank() || tag.length() > 100) {
                    r.problem(items.get(i), g.path("tags") + "[" + i + "] must be 1 to 100 characters", "write tags: [checkout, gameday]");
                } else if (tags.contains(tag)) {
                    r.problem(items.get(i), g.path("tags") + " has '" + tag + "' twice", "name each tag once");
                } else {
                    tags.add(tag);
                }
            }
        }
        return r.problems().count() == before ? new GrafanaSettings(url, tokenEnv, dashboardUid, tags) : null;
    }
}
