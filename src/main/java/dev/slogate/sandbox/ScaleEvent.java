package dev.slogate.sandbox;

/**
 * A change of the sandbox autoscaler's desired pod count or of the pods ready to serve, from {@code atMillis} on.
 * {@code metric} is the total load it read (requests per second or in flight) when it decided; NaN for a readiness change.
 */
public record ScaleEvent(long atMillis, int desired, int ready, double metric, String detail) {
}
