package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.fault.FaultException;
import dev.slogate.redact.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Chaos Mesh through the Chaos Dashboard ({@code /api/experiments}) for clusters where slogate may talk to the
 * dashboard but not to the API server's custom resources. The dashboard addresses experiments by uid: this looks the
 * uid up by kind, namespace and name. Its status is one word, not Chaos Mesh's conditions and records (see
 * {@link ChaosStatus#fromDashboard}). The bearer token comes from an environment variable; only the variable's name
 * is journaled.
 */
public final class ChaosDashboardTransport implements ChaosTransport {
    static final String DASHBOARD = "chaosDashboard";
    static final String TOKEN_ENV = "chaosTokenEnv";
    /**
     * The kinds the dashboard (Chaos Mesh 2.8) records, so it can find them by uid to pause and delete. Its
     * collector has no AzureChaos: pause, delete and cleanup of one would answer 404.
     */
    static final Set<String> DASHBOARD_KINDS = Set.of(ChaosKind.POD_CHAOS.kind(), ChaosKind.NETWORK_CHAOS.kind(),
            ChaosKind.STRESS_CHAOS.kind(), ChaosKind.AWS_CHAOS.kind(), ChaosKind.GCP_CHAOS.kind());

    private final ChaosDashboardClient client;
    private final String tokenEnv;

    public ChaosDashboardTransport(ChaosDashboardClient client, String tokenEnv) {
        this.client = client;
        this.tokenEnv = tokenEnv;
    }

    /** Reads the token from {@code $tokenEnv} (through {@code env}, so tests need not touch the process environment). */
    public static ChaosDashboardTransport connect(String dashboardUrl, String tokenEnv, UnaryOperator<String> env) {
        String token = env.apply(tokenEnv);
        Secrets.process().remember(token);
        if (token == null || token.isBlank()) {
            throw new FaultException("the Chaos Dashboard at " + dashboardUrl + " needs a bearer token in $" + tokenEnv
                    + "; export " + tokenEnv + "=<a service account token the dashboard accepts> before the run");
        }
        return new ChaosDashboardTransport(new ChaosDashboardClient(dashboardUrl, token, tokenEnv, Duration.ofSeconds(30)), tokenEnv);
    }

    /** The transport a journaled fault was injected through ({@code slogate cleanup}); null when it was the API server. */
    public static ChaosDashboardTransport fromJournal(Map<String, String> d, UnaryOperator<String> env) {
        return d.containsKey(DASHBOARD) ? connect(d.get(DASHBOARD), d.get(TOKEN_ENV), env) : null;
    }

    @Override
    public JsonNode create(ObjectNode experiment) {
        String kind = experiment.path("kind").asText();
        if (!DASHBOARD_KINDS.contains(kind)) {
            // validation refuses such a fault first; this keeps an experiment the dashboard could not stop from being created
            throw new FaultException("the Chaos Dashboard cannot pause or delete a " + kind + " (it keeps no record of that kind);"
                    + " remove dashboardUrl from spec.kubernetes.chaosMesh to create it through the API server");
        }
        return client.create(experiment);
    }

    @Override
    public Optional<ChaosStatus> status(ChaosKind kind, String namespace, String name) {
        return client.find(kind.kind(), namespace, name).map(e -> ChaosStatus.fromDashboard(e.status()));
    }

    @Override
    public void pause(ChaosKind kind, String namespace, String name) {
        client.pause(uid(kind, namespace, name).orElseThrow(() -> new ChaosMeshException(404,
                "Chaos Dashboard: no " + kind.kind() + " " + namespace + "/" + name + " to pause")));
    }

    @Override
    public void delete(ChaosKind kind, String namespace, String name) {
        uid(kind, namespace, name).ifPresent(client::delete);
    }

    @Override
    public List<String> deleteLabelled(String namespace, String label, String value) {
        List<String> deleted = new ArrayList<>();
        for (ChaosDashboardClient.Experiment e : client.list(namespace)) {
            // only slogate's objects are worth a second request for their labels
            if (e.name().startsWith("slogate-") && value.equals(client.labels(e.uid()).get(label))) {
                client.delete(e.uid());
                deleted.add(e.kind() + " " + e.namespace() + "/" + e.name());
            }
        }
        return deleted;
    }

    @Override
    public Map<String, String> journalData() {
        return Map.of(DASHBOARD, client.url(), TOKEN_ENV, tokenEnv);
    }

    private Optional<String> uid(ChaosKind kind, String namespace, String name) {
        return client.find(kind.kind(), namespace, name).map(ChaosDashboardClient.Experiment::uid);
    }
}
