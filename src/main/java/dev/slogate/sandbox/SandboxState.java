package dev.slogate.sandbox;

import java.util.List;

/**
 * What {@code sandbox.json} and {@code GET /state} say about a running sandbox daemon: where everything listens,
 * every process it started, (when it was started for a run) the pid of the harness that owns it, what its
 * autoscaler did ({@code scaleEvents}, empty without one), and its database ({@code database}, null without one).
 */
public record SandboxState(long daemonPid, int controlPort, String url, String prometheusUrl, String haproxyStatsUrl,
                           String haproxySocket, long haproxyPid, long prometheusPid, Long ownerPid, boolean ready,
                           List<String> downNodes, List<PodState> pods, List<ScaleEvent> scaleEvents, DatabaseState database) {
    /** A sandbox without an autoscaler or a database. */
    public SandboxState(long daemonPid, int controlPort, String url, String prometheusUrl, String haproxyStatsUrl,
                        String haproxySocket, long haproxyPid, long prometheusPid, Long ownerPid, boolean ready,
                        List<String> downNodes, List<PodState> pods) {
        this(daemonPid, controlPort, url, prometheusUrl, haproxyStatsUrl, haproxySocket, haproxyPid, prometheusPid, ownerPid,
                ready, downNodes, pods, List.of(), null);
    }

    public SandboxState {
        downNodes = List.copyOf(downNodes);
        pods = List.copyOf(pods);
        scaleEvents = scaleEvents == null ? List.of() : List.copyOf(scaleEvents); // absent in a state file without an autoscaler
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + controlPort;
    }

    public List<String> nodes() {
        return pods.stream().map(PodState::node).distinct().toList();
    }

    public List<String> regions() {
        return pods.stream().map(PodState::region).distinct().toList();
    }
}
