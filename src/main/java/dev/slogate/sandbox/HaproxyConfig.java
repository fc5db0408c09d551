package dev.slogate.sandbox;

import java.nio.file.Path;
import java.util.List;

/** The HAProxy configuration of the sandbox: one round-robin frontend over every pod, a stats/metrics frontend, an admin socket. */
record HaproxyConfig(int frontendPort, int statsPort, Path adminSocket, List<PodState> pods) {
    static final String BACKEND = "pods";

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("""
                global
                  maxconn 5000
                  nbthread 1
                  stats socket %s mode 600 level admin
                  stats timeout 10s

                defaults
                  mode http
                  option http-keep-alive
                  retries 0
                  timeout connect 1s
                  timeout client 30s
                  timeout server 10s
                  timeout queue 10s
                  timeout http-request 10s
                  timeout http-keep-alive 10s
                  timeout check 1s

                frontend stats
                  bind 127.0.0.1:%d
                  http-request use-service prometheus-exporter if { path /metrics }
                  stats enable
                  stats uri /stats
                  stats refresh 2s

                frontend demo
                  bind 127.0.0.1:%d
                  default_backend %s

                backend %s
                  balance roundrobin
                  option httpchk GET /health
                  # a new server connection per request, so moving a server (latency fault) takes effect at once
                  option http-server-close
                """.formatted(adminSocket, statsPort, frontendPort, BACKEND, BACKEND));
        for (PodState p : pods) {
            b.append("  server ").append(p.name()).append(' ').append(p.address())
                    .append(" check inter 500ms fall 2 rise 2")
                    // autoscaler slots without a pod start in maintenance; the autoscaler enables them (set server ... state ready)
                    .append(p.state().equals(PodState.IDLE) ? " disabled" : "").append('\n');
        }
        return b.toString();
    }
}
