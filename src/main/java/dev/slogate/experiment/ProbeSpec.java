package dev.slogate.experiment;

import java.time.Duration;

/**
 * A data-integrity probe of a scenario ({@code spec.probes}): during the run it sends {@code writeMethod writePath}
 * with {@code writeBody} at {@code ratePerSecond}, and reads back with {@code GET readPath}. In the body and paths
 * {@code ${seq}} is the write's sequence number, {@code ${ts}} its send time (epoch ms) and, in the read path,
 * {@code ${from}} the first sequence number to read. {@code timeout} bounds each request.
 */
public record ProbeSpec(String name, String writeMethod, String writePath, String writeBody, String readPath,
                        double ratePerSecond, Duration timeout) {
    /** The only probe type so far. */
    public static final String WRITE_INTEGRITY = "write-integrity";
    public static final double DEFAULT_RATE = 50;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
}
