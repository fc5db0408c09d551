package dev.slogate.experiment;

import java.time.Duration;

/**
 * A reusable fault ({@code faults/*.yaml} or inline in a scenario). {@code duration} is how long it stays before
 * slogate reverts it; a pod kill is instantaneous and the sandbox restarts the pod by itself.
 * {@code latency} is the added delay of a {@code latency} fault.
 */
public record FaultSpec(String name, FaultType type, Selector selector, Duration duration, Duration latency) {
}
