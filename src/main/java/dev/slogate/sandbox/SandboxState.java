package dev.slogate.sandbox;

import java.util.List;

/**
 * What {@code sandbox.json} and {@code GET /state} say about a running sandbox daemon: where everything listens,
 * every process it started, and (when it was started for a run) the pid of the harness that owns it; {@code database}
 * is null without a database.
 */
public record SandboxState(long daemonPid, int controlPort, String url, String prometheusUrl, String haproxyStatsUrl,
                           String haproxySocket, long haproxyPid, long prometheusPid, Long ownerPid, boolean ready,
                           List<String> downNodes, List<PodState> pods, DatabaseState database) {
    /** A sandbox without a database. */
    public SandboxState(long daemonPid, int controlPort, String url, String prometheusUrl, String haproxyStatsUrl,
                        String haproxySocket, long haproxyPid, long prometheusPid, Long ownerPid, boolean ready,
                        List<String> downNodes, List<PodState> pods) {
        this(daemonPid, controlPort, url, prometheusUrl, haproxyStatsUrl, haproxySocket, haproxyPid, prometheusPid, ownerPid,
                ready, downNodes, pods, null);
    }

    public SandboxState {
        downNodes = List.copyOf(downNodes);
        pods = List.copyOf(pods);
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
