package dev.slogate.timeline;

/**
 * When one fault of a run was active, in epoch milliseconds. A fault still active when the run ended is passed with
 * {@code revertedMillis} = the run's end. {@code cut} says why the fault ended before its schedule when the run did not
 * end it itself (someone else reverted it: {@code slogate cleanup --force}); null when it ended as planned.
 */
public record FaultSpan(String name, long injectedMillis, long revertedMillis, String cut) {
    public FaultSpan {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a fault span needs the fault's name");
        }
        if (revertedMillis < injectedMillis) {
            throw new IllegalArgumentException("fault " + name + " is reverted before it is injected");
        }
    }

    public FaultSpan(String name, long injectedMillis, long revertedMillis) {
        this(name, injectedMillis, revertedMillis, null);
    }
}
