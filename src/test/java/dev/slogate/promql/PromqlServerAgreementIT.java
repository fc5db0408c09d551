package dev.slogate.promql;

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

    /**
     * Small edits of valid queries (a character dropped, doubled, swapped or inserted) land on both sides of the
     * grammar; whatever the server accepts must pass offline too. The seed is fixed, so a failure reproduces.
     */
    @Test
    void everyEditedQueryTheServerAcceptsPassesOffline() {
        java.util.Random random = new java.util.Random(11);
        String inserts = "()[]{},:@+-*/%^=!<>~\"'`# $0159.emsxa_";
        List<String> wronglyRefused = new ArrayList<>();
        int edited = 0;
        for (String q : PromqlCorpus.VALID) {
            for (int n = 0; n < 12 && !q.isEmpty(); n++) {
                StringBuilder b = new StringBuilder(q);
                int at = random.nextInt(q.length());
                switch (n % 4) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, q.charAt(at));
                    case 2 -> b.insert(at, inserts.charAt(random.nextInt(inserts.length())));
                    default -> {
                        if (at + 1 < q.length()) {
                            b.setCharAt(at, q.charAt(at + 1));
                            b.setCharAt(at + 1, q.charAt(at));
                        }
                    }
                }
                String e = b.toString();
                edited++;
                if (PromqlSyntax.check(e).isPresent() && prometheus.checkSyntax(e).isEmpty()) {
                    wronglyRefused.add(e + " -> " + PromqlSyntax.check(e).get().message());
                }
            }
        }
        assertEquals(List.of(), wronglyRefused, "of " + edited + " edited queries");
    }
}
