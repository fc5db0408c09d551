package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slogate.sandbox.PrometheusServer;
import dev.slogate.slo.PrometheusClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the offline PromQL check honest: a real Prometheus accepts every query of the valid corpus (so the offline
 * check, which accepts them too, refuses nothing Prometheus takes) and refuses every query of the invalid corpus.
 */
class PromqlServerAgreementIT {
    @TempDir
    static Path dir;

    private static PrometheusServer server;
    private static PrometheusClient prometheus;

    @BeforeAll
    static void start() {
        server = PrometheusServer.start(dir.resolve("prometheus"), List.of());
        prometheus = PrometheusClient.builder(server.url()).timeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerAcceptsEveryQueryTheOfflineCheckAccepts() {
        List<String> refused = new ArrayList<>();
        for (String q : PromqlCorpus.VALID) {
            prometheus.checkSyntax(q).ifPresent(e -> refused.add(q + " -> " + e));
        }
        assertEquals(List.of(), refused);
    }

    @Test
    void theServerRefusesEveryQueryTheOfflineCheckRefuses() {
        List<String> accepted = new ArrayList<>();
        for (PromqlCorpus.Invalid bad : PromqlCorpus.INVALID) {
            if (prometheus.checkSyntax(bad.query()).isEmpty()) {
                accepted.add(bad.query());
            }
        }
        assertEquals(List.of(), accepted);
    }
}
