package dev.slogate.experiment;

import java.util.Map;

/** One request of the weighted mix. {@code expectStatus} is the status that counts as ok. */
public record RequestSpec(String name, String method, String path, Map<String, String> headers, String body, int expectStatus, int weight) {
    public RequestSpec {
        headers = Map.copyOf(headers);
    }
}
