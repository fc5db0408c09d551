package dev.slogate.sandbox;

import java.util.Map;

/**
 * One pod of the sandbox. {@code state} is {@code running}, {@code paused} (its process is stopped, SIGSTOP: state T in
 * {@code /proc/<pid>/stat}), {@code restarting} (died, back after the restart delay),
 * {@code down} (its node is down), or with an autoscaler {@code starting} or {@code idle} (a slot without a pod); {@code pid} is 0 when no process runs; {@code latencyMillis} is the delay
 * a latency fault adds in front of it (0: none). {@code lb} is HAProxy's view of it
 * ({@code UP}, {@code DOWN}, ...) when the state was read live, else empty.
 */
public record PodState(String name, String region, String node, int port, long pid, String state, String lb,
                       long latencyMillis) {
    public static final String RUNNING = "running";
    public static final String RESTARTING = "restarting";
    /** Running, but its process is stopped (a pod-pause fault): it holds its connections and answers nothing. */
    public static final String PAUSED = "paused";
    public static final String DOWN = "down";
    /** A slot of the autoscaler with no pod in it (scaled in, or never needed); HAProxy keeps it in maintenance. */
    public static final String IDLE = "idle";
    /** Started by the autoscaler, not yet serving: HAProxy enables it after the start delay. */
    public static final String STARTING = "starting";

    /** The labels fault selectors match: app, region, node, pod. */
    public Map<String, String> labels() {
        return Map.of("app", "demo", "region", region, "node", node, "pod", name);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }
}
