package dev.slogate.promql;

import java.util.Optional;

/**
 * Asks a Prometheus whether it accepts a query. The harness passes one backed by the live Prometheus at
 * {@code run} and {@code plan} (and {@code validate --prometheus}); without it queries are only parsed offline.
 */
@FunctionalInterface
public interface PromqlChecker {
    /** The server's error for {@code promql}, or empty when it parses. */
    Optional<String> check(String promql);
}
