package dev.slogate.timeline;

/**
 * When one fault of a run was active, in epoch milliseconds. A fault still active when the run ended is passed with
 * {@code revertedMillis} = the run's end.
 */
public record FaultSpan(String name, long injectedMillis, long revertedMillis) {
    public FaultSpan {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a fault span needs the fault's name");
        }
        if (revertedMillis < injectedMillis) {
            throw new IllegalArgumentException("fault " + name + " is reverted before it is injected");
        }
    }
}
