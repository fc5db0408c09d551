package dev.slogate.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named span of the run, {@code [startMillis, endMillis)} in epoch milliseconds. {@code cut} says why a fault's
 * window ended before its schedule did (its fault was reverted by someone else); null for a window that ran as planned.
 * SLOs are not judged over a cut window.
 */
public record Window(String name, long startMillis, long endMillis,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String cut) {
    public Window {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("window " + name + " ends before it starts");
        }
    }

    public Window(String name, long startMillis, long endMillis) {
        this(name, startMillis, endMillis, null);
    }

    public long lengthMillis() {
        return endMillis - startMillis;
    }

    public boolean contains(long atMillis) {
        return atMillis >= startMillis && atMillis < endMillis;
    }
}
