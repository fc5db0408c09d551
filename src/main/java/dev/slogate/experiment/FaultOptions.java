package dev.slogate.experiment;

/**
 * The options a fault type reads from its own keys ({@link FaultKind#keys()}): an immutable record of that type,
 * carried by {@link FaultSpec#options()}; {@link #NONE} for a type without keys of its own.
 */
public interface FaultOptions {
    FaultOptions NONE = new None();

    /** No options of its own. */
    record None() implements FaultOptions {
    }
}
