package dev.slogate.sandbox;

import java.util.List;

/**
 * The sandbox database in {@code sandbox.json}: replication mode and lag, where writes go now ({@code primary},
 * {@code host:port}), each PostgreSQL server, and every failover and rejoin so far (for the run's
 * timeline).
 */
public record DatabaseState(String replication, long lagMillis, long failoverAfterMillis, String primary,
                            List<Server> servers, List<Failover> failovers, List<Rejoin> rejoins) {
    public DatabaseState {
        servers = List.copyOf(servers);
        failovers = List.copyOf(failovers);
        rejoins = rejoins == null ? List.of() : List.copyOf(rejoins); // absent in state files of older versions
    }

    public DatabaseState(String replication, long lagMillis, long failoverAfterMillis, String primary, List<Server> servers,
                         List<Failover> failovers) {
        this(replication, lagMillis, failoverAfterMillis, primary, servers, failovers, List.of());
    }

    public static final String PRIMARY = "primary";
    public static final String STANDBY = "standby";
    public static final String DOWN = "down";

    /** One PostgreSQL server: {@code role} is primary, standby or down; {@code pid} is its postmaster's, 0 when down. */
    public record Server(String name, String region, int port, long pid, String role) {
    }

    /**
     * The standby {@code to} was promoted at {@code promotedMillis}; the primary {@code from} was lost at
     * {@code primaryLostMillis} (its region went down), so writes had no primary in between.
     */
    public record Failover(String from, String to, long primaryLostMillis, long promotedMillis) {
    }

    /**
     * The failed-over {@code server} was rebuilt as the standby of {@code primary} between {@code startedMillis} and
     * {@code endedMillis} (base backup, start, streaming), or could not be: then {@code failure} says why.
     */
    public record Rejoin(String server, String primary, long startedMillis, long endedMillis, String failure) {
    }
}
