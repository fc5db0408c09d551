package dev.slogate.experiment;

import java.time.Duration;

/**
 * Shape and behaviour of the local sandbox: regions x nodes x pods of the demo service behind HAProxy.
 * {@code concurrency} is how many requests one pod serves at once; more queue, so an overloaded pod gets slow.
 */
public record SandboxSpec(
        int regions,
        int nodesPerRegion,
        int podsPerNode,
        Duration serviceTime,
        double errorRatio,
        int concurrency,
        Duration restartDelay) {

    public static SandboxSpec defaults() {
        return new SandboxSpec(2, 2, 2, Duration.ofMillis(5), 0.0, 64, Duration.ofSeconds(3));
    }

    public int pods() {
        return regions * nodesPerRegion * podsPerNode;
    }
}
