package dev.slogate.experiment;

import java.util.Optional;

/**
 * Asks a Prometheus whether it accepts a query. The harness passes one backed by the live Prometheus at
 * {@code run} and {@code plan}; {@code validate} checks files offline without it.
 */
@FunctionalInterface
public interface PromqlChecker {
    /** The server's error for {@code promql}, or empty when it parses. */
    Optional<String> check(String promql);
}
