package dev.slogate.timeline;

/** A named span of the run, {@code [startMillis, endMillis)} in epoch milliseconds. */
public record Window(String name, long startMillis, long endMillis) {
    public Window {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("window " + name + " ends before it starts");
        }
    }

    public long lengthMillis() {
        return endMillis - startMillis;
    }

    public boolean contains(long atMillis) {
        return atMillis >= startMillis && atMillis < endMillis;
    }
}
