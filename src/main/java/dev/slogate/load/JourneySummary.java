package dev.slogate.load;

/**
 * What the users of one journey did in a run: how many arrived, walked it to the end, were ended by a failed step
 * (a missing extraction, or a step that extracts and failed), or found no feeder row; and how long the completed ones
 * took from their first request's send time to their last answer, with the think times ({@code withThink}) and without
 * them ({@code withoutThink}: the sum of the steps' latencies).
 */
public record JourneySummary(String journey, long users, long completed, long failed, long noRow, Durations withThink,
                             Durations withoutThink) {
    /** Milliseconds; null when no user completed the journey. */
    public record Durations(Double meanMs, Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {
        public static final Durations NONE = new Durations(null, null, null, null, null);
    }
}
