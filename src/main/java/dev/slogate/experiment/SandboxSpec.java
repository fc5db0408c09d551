package dev.slogate.experiment;

import java.time.Duration;

/**
 * Shape and behaviour of the local sandbox: regions x nodes x pods of the demo service behind HAProxy.
 * {@code concurrency} is how many requests one pod serves at once; more queue, so an overloaded pod gets slow.
 * {@code database} is null for a sandbox without PostgreSQL (the default).
 */
public record SandboxSpec(
        int regions,
        int nodesPerRegion,
        int podsPerNode,
        Duration serviceTime,
        double errorRatio,
        int concurrency,
        Duration restartDelay,
        DatabaseSpec database) {

    /** A sandbox without a database. */
    public SandboxSpec(int regions, int nodesPerRegion, int podsPerNode, Duration serviceTime, double errorRatio,
                       int concurrency, Duration restartDelay) {
        this(regions, nodesPerRegion, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, null);
    }

    public static SandboxSpec defaults() {
        return new SandboxSpec(2, 2, 2, Duration.ofMillis(5), 0.0, 64, Duration.ofSeconds(3), null);
    }

    public SandboxSpec withDatabase(DatabaseSpec db) {
        return new SandboxSpec(regions, nodesPerRegion, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, db);
    }

    public int pods() {
        return regions * nodesPerRegion * podsPerNode;
    }
}
