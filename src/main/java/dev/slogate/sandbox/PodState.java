package dev.slogate.sandbox;

import java.util.Map;

/**
 * One pod of the sandbox. {@code state} is {@code running}, {@code restarting} (died, back after the restart delay)
 * or {@code down} (its node is down); {@code pid} is 0 when no process runs; {@code latencyMillis} is the delay
 * a latency fault adds in front of it (0: none). {@code lb} is HAProxy's view of it
 * ({@code UP}, {@code DOWN}, ...) when the state was read live, else empty.
 */
public record PodState(String name, String region, String node, int port, long pid, String state, String lb,
                       long latencyMillis) {
    public static final String RUNNING = "running";
    public static final String RESTARTING = "restarting";
    public static final String DOWN = "down";

    /** The labels fault selectors match: app, region, node, pod. */
    public Map<String, String> labels() {
        return Map.of("app", "demo", "region", region, "node", node, "pod", name);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }
}
