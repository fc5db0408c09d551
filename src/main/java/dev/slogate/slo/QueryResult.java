package dev.slogate.slo;

import java.util.List;
import java.util.Map;

/**
 * The answer to an instant query: a vector (one sample per series) or a scalar (one sample without labels).
 * Values may be NaN or infinite, as Prometheus reports them.
 */
public record QueryResult(String resultType, List<Sample> samples, List<String> warnings) {
    public QueryResult {
        samples = List.copyOf(samples);
        warnings = List.copyOf(warnings);
    }

    /** One series' value at the query time. */
    public record Sample(Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }
}
