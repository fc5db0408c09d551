package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How slogate reaches Chaos Mesh: the API server's custom-resource endpoints ({@link ChaosMeshClient}) or the Chaos
 * Dashboard's REST API ({@link ChaosDashboardTransport}). Experiments are addressed by kind, namespace and name on both.
 */
public interface ChaosTransport {
    /** Creates {@code experiment} (apiVersion, kind, metadata.namespace and labels set). */
    JsonNode create(ObjectNode experiment);

    /** The experiment's status, or empty when it does not exist. */
    Optional<ChaosStatus> status(ChaosKind kind, String namespace, String name);

    /** Pauses it: Chaos Mesh recovers the targets and keeps the object. */
    void pause(ChaosKind kind, String namespace, String name);

    /** Deletes it; a missing experiment is not an error. */
    void delete(ChaosKind kind, String namespace, String name);

    /** Deletes every experiment of {@code namespace} labelled {@code label=value}; returns "Kind ns/name" of each. */
    List<String> deleteLabelled(String namespace, String label, String value);

    /** What {@code slogate cleanup} needs to reach the same transport again; never a credential. */
    Map<String, String> journalData();
}
