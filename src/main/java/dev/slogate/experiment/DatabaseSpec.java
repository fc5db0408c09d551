package dev.slogate.experiment;

import java.time.Duration;

/**
 * The sandbox's PostgreSQL: a primary in region a and a standby in region b. {@code lag} delays the WAL stream
 * towards the standby (asynchronous replication only); {@code failoverAfter} is how long the failover step waits
 * after the primary is lost before it promotes the standby (the detection delay).
 */
public record DatabaseSpec(Replication replication, Duration lag, Duration failoverAfter) {
    public enum Replication { ASYNC, SYNC }

    public static DatabaseSpec defaults() {
        return new DatabaseSpec(Replication.ASYNC, Duration.ofSeconds(2), Duration.ofSeconds(3));
    }
}
