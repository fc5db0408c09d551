package dev.slogate.slo;

/** How many replicas the autoscaler wanted and how many were ready to serve, from {@code atMillis} on. */
public record CapacitySample(long atMillis, int desired, int ready) {
}
