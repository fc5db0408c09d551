package dev.slogate.experiment;

import java.util.List;

/**
 * A scenario's {@code grafana:} block: where the run writes its annotations (one region per fault, one for the run).
 * The token is not here: it is read at run time from the variable {@code tokenEnv} names.
 *
 * @param url          Grafana's base URL, e.g. {@code https://grafana.example.com}
 * @param tokenEnv     the environment variable holding a service account token (sent as a bearer token)
 * @param dashboardUid the dashboard the annotations belong to, or null for organization annotations (shown on any
 *                     dashboard with an annotation query by tag)
 * @param tags         tags added to every annotation, besides slogate's own
 */
public record GrafanaSettings(String url, String tokenEnv, String dashboardUid, List<String> tags) {
    public GrafanaSettings {
        tags = List.copyOf(tags);
    }
}
