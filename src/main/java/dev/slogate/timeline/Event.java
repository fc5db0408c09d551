package dev.slogate.timeline;

/** Something that happened during a run, stamped in epoch milliseconds. */
public record Event(long atMillis, Kind kind, String subject, String detail) {
    public enum Kind { RUN_START, STAGE_START, FAULT_INJECTED, FAULT_REVERTED, RECOVERED, STOP_CONDITION, RUN_END, NOTE, FAILOVER }
}
