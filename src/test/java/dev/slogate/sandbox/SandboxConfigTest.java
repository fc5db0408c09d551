package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated HAProxy and Prometheus configurations, checked by the real binaries. */
class SandboxConfigTest {
    @TempDir
    Path dir;

    private final List<PodState> pods = List.of(
            new PodState("a-1-1", "a", "a-1", 40001, 0, PodState.RUNNING, "", 0),
            new PodState("b-1-1", "b", "b-1", 40002, 0, PodState.RUNNING, "", 0));

    @Test
    void haproxyAcceptsTheConfigAndEveryPodIsHealthChecked() throws Exception {
        String cfg = new HaproxyConfig(40100, 40101, dir.resolve("haproxy.sock"), pods).render();
        assertTrue(cfg.contains("server a-1-1 127.0.0.1:40001 check inter 500ms fall 2 rise 2"), cfg);
        assertTrue(cfg.contains("server b-1-1 127.0.0.1:40002 check inter 500ms fall 2 rise 2"), cfg);
        assertTrue(cfg.contains("balance roundrobin") && cfg.contains("option httpchk GET /health"), cfg);
        assertTrue(cfg.contains("use-service prometheus-exporter if { path /metrics }"), cfg);
        Path f = dir.resolve("haproxy.cfg");
        Files.writeString(f, cfg);
        Process p = new ProcessBuilder("haproxy", "-c", "-f", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void prometheusConfigGivesEachPodItsLabels() throws Exception {
        String yml = PrometheusServer.config(List.of(
                PrometheusServer.ScrapeJob.labelled("demo", "/metrics", Map.of(
                        pods.get(0).address(), pods.get(0).labels(), pods.get(1).address(), pods.get(1).labels())),
                new PrometheusServer.ScrapeJob("haproxy", List.of("127.0.0.1:40101"), "/metrics")));
        assertTrue(yml.contains("- targets: ['127.0.0.1:40001']\n        labels: {app: 'demo', node: 'a-1', pod: 'a-1-1', region: 'a'}"), yml);
        assertTrue(yml.contains("- targets: ['127.0.0.1:40101']"), yml);
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, yml);
        Process p = new ProcessBuilder("promtool", "check", "config", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
