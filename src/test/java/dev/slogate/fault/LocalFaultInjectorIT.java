package dev.slogate.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.FaultType;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.experiment.Selector;
import dev.slogate.sandbox.DemoService;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One real 1x2x1 sandbox (2 pods on nodes a-1 and a-2, restart delay 1 s) broken in turn by every local fault. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class LocalFaultInjectorIT {
    @TempDir
    static Path tmp;
    SandboxClient sandbox;
    Journal journal;
    JournaledInjector injector;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Set<Long> everyPid = new HashSet<>();
    DemoService injectorMetrics; // stands in for the harness's own /metrics, passed as an extra scrape target

    @BeforeAll
    void start() {
        SandboxSpec spec = new SandboxSpec(1, 2, 1, Duration.ofMillis(2), 0.0, 8, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        injectorMetrics = DemoService.start(0, Duration.ZERO, 0, 1);
        sandbox = SandboxClient.start(spec, tmp.resolve("sandbox"), List.of("127.0.0.1:" + injectorMetrics.port()), null);
        System.out.printf("sandbox 1x2x1 ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        journal = new Journal(tmp.resolve("journal"), "it-run");
        injector = new JournaledInjector(new LocalFaultInjector(sandbox, "it-run", new SplittableRandom(42)), journal);
        remember(sandbox.state());
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.stop();
        }
        injectorMetrics.close();
    }

    @Test
    @Order(1)
    void everyPodServesThroughHaproxyAndPrometheusScrapesIt() throws Exception {
        SandboxState s = sandbox.awaitHealthy(Duration.ofSeconds(10));
        assertEquals(List.of("a-1-1", "a-2-1"), s.pods().stream().map(PodState::name).toList());
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = get(sandbox.url() + "/hello");
            assertEquals(200, r.statusCode());
            assertEquals("ok", r.body().trim());
        }
        JsonNode up = query("up{job=\"demo\"}");
        Map<String, String> byPod = new java.util.TreeMap<>();
        up.forEach(r -> byPod.put(r.path("metric").path("pod").asText(), r.path("value").get(1).asText()));
        assertEquals(Map.of("a-1-1", "1", "a-2-1", "1"), byPod);
        assertEquals("a", up.get(0).path("metric").path("region").asText());
        // round robin spread the 6 requests over both pods; Prometheus sees them within a few scrapes
        awaitTrue(() -> query("sum by (pod) (demo_requests_total{status=\"200\"})").size() == 2, Duration.ofSeconds(10),
                "both pods' request counters in Prometheus");
        assertEquals("1", query("up{job=\"slogate\"}").get(0).path("value").get(1).asText(), "extra target scraped");
        assertTrue(query("haproxy_backend_active_servers{proxy=\"pods\"}").get(0).path("value").get(1).asText().equals("2"));
    }

    @Test
    @Order(2)
    void podKillIsRestartedWithANewPid() {
        FaultSpec kill = spec(FaultType.POD_KILL, Map.of("pod", "a-1-1"));
        assertEquals(List.of("a-1-1"), injector.plan(kill));
        long before = pod("a-1-1").pid();
        InjectedFault f = injector.inject("kill-a-1-1", kill);
        assertEquals(List.of("a-1-1"), f.targets());
        awaitTrue(() -> !alive(before), Duration.ofSeconds(3), "pid " + before + " killed");
        PodState back = awaitPod("a-1-1", p -> p.state().equals(PodState.RUNNING) && p.pid() != before && p.lb().equals("UP"),
                Duration.ofSeconds(15));
        assertNotEquals(before, back.pid());
        injector.revert(f);
        assertTrue(Journal.unreverted(tmp.resolve("journal")).isEmpty());
        remember(sandbox.state());
    }

    @Test
    @Order(3)
    void podPauseStopsTheProcessUntilReverted() throws Exception {
        InjectedFault f = injector.inject("pause", spec(FaultType.POD_PAUSE, Map.of("node", "a-2")));
        long pid = pod("a-2-1").pid();
        assertEquals(List.of("a-2-1"), f.targets());
        awaitTrue(() -> procState(pid) == 'T', Duration.ofSeconds(2), "pid " + pid + " stopped");
        assertEquals(List.of(f.id()), Journal.unreverted(tmp.resolve("journal")).stream().map(InjectedFault::id).toList());
        Thread.sleep(1500); // longer than the restart delay: a paused pod is alive, so it is not replaced
        assertEquals(pid, pod("a-2-1").pid());
        injector.revert(f);
        awaitTrue(() -> procState(pid) == 'S' || procState(pid) == 'R', Duration.ofSeconds(2), "pid " + pid + " running");
        injector.revert(f); // idempotent
        sandbox.awaitHealthy(Duration.ofSeconds(10));
    }

    @Test
    @Order(4)
    void nodeKillKeepsTheNodesPodsDownUntilReverted() throws Exception {
        FaultSpec nodeKill = spec(FaultType.NODE_KILL, Map.of("region", "a", "node", "a-1"));
        assertEquals(List.of("a-1"), injector.plan(nodeKill));
        long before = pod("a-1-1").pid();
        InjectedFault f = injector.inject("node", nodeKill);
        assertEquals(Map.of("nodes", "a-1"), Map.of("nodes", f.revertData().get("nodes")));
        awaitTrue(() -> !alive(before), Duration.ofSeconds(3), "pod of a-1 killed");
        Thread.sleep(2500); // more than twice the restart delay
        PodState down = pod("a-1-1");
        assertEquals(PodState.DOWN, down.state());
        assertEquals(0, down.pid());
        assertEquals(PodState.RUNNING, pod("a-2-1").state());
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get(sandbox.url() + "/").statusCode(), "the other node still serves");
        }
        injector.revert(f);
        awaitPod("a-1-1", p -> p.pid() != 0 && p.lb().equals("UP"), Duration.ofSeconds(10));
        remember(sandbox.state());
    }

    @Test
    @Order(5)
    void regionOutageTakesEveryPodDownUntilReverted() {
        InjectedFault f = injector.inject("region", spec(FaultType.REGION_OUTAGE, Map.of("region", "a")));
        try {
            assertEquals(List.of("a"), f.targets());
            SandboxState s = sandbox.state();
            assertTrue(s.pods().stream().allMatch(p -> p.state().equals(PodState.DOWN) && p.pid() == 0), s.pods().toString());
            awaitTrue(() -> get(sandbox.url() + "/").statusCode() == 503, Duration.ofSeconds(5), "HAProxy answers 503 with no pod");
        } finally {
            injector.revert(f);
        }
        sandbox.awaitHealthy(Duration.ofSeconds(15));
        remember(sandbox.state());
    }

    @Test
    @Order(5)
    void aNodeHeldByTwoFaultsComesBackWhenTheLastEnds() {
        InjectedFault node = injector.inject("node", spec(FaultType.NODE_KILL, Map.of("node", "a-1")));
        InjectedFault region = injector.inject("region", spec(FaultType.REGION_OUTAGE, Map.of("region", "a")));
        try {
            injector.revert(region);
            awaitPod("a-2-1", p -> p.pid() != 0 && p.lb().equals("UP"), Duration.ofSeconds(10));
            sleep(1500); // more than the restart delay: a-1-1 must not come back while the node kill holds it
            assertEquals(PodState.DOWN, pod("a-1-1").state(), "the region's end does not end the node kill");
            assertEquals(List.of("a-1"), sandbox.state().downNodes());
        } finally {
            injector.revert(region);
            injector.revert(node);
        }
        awaitPod("a-1-1", p -> p.pid() != 0 && p.lb().equals("UP"), Duration.ofSeconds(10));
        assertEquals(List.of(), sandbox.state().downNodes());
        remember(sandbox.state());
    }

    @Test
    @Order(6)
    void latencyDelaysOnlyTheChosenPod() {
        FaultSpec slow = new FaultSpec("slow", FaultType.LATENCY, new Selector(Map.of("pod", "a-2-1"), Selector.Mode.ALL, 0),
                Duration.ofSeconds(10), Duration.ofMillis(300));
        InjectedFault f = injector.inject("slow", slow);
        assertEquals(300, pod("a-2-1").latencyMillis());
        List<Long> millis = timings(6);
        assertEquals(3, millis.stream().filter(ms -> ms >= 290).count(), "every second request goes to the slow pod: " + millis);
        injector.revert(f);
        assertEquals(0, pod("a-2-1").latencyMillis());
        List<Long> after = timings(6);
        assertTrue(after.stream().allMatch(ms -> ms < 250), "no delay after revert: " + after);
    }

    @Test
    @Order(7)
    void aSelectorMatchingNothingIsRefusedAndNamesTheSelector() {
        FaultException e = assertThrows(FaultException.class,
                () -> injector.plan(spec(FaultType.POD_KILL, Map.of("region", "z"))));
        assertTrue(e.getMessage().contains("{region=z}"), e.getMessage());
        assertThrows(FaultException.class, () -> injector.inject("x", spec(FaultType.NODE_KILL, Map.of("node", "b-1"))));
        assertTrue(Journal.unreverted(tmp.resolve("journal")).isEmpty(), "a refused fault is not journaled");
    }

    @Test
    @Order(8)
    void stopLeavesNoProcessBehind() {
        remember(sandbox.state());
        Path dir = sandbox.stateDir();
        sandbox.stop();
        sandbox = null;
        List<Long> alive = everyPid.stream().filter(LocalFaultInjectorIT::alive).toList();
        assertEquals(List.of(), alive, "processes left after stop()");
        assertFalse(Files.exists(dir.resolve("sandbox.json")));
        assertTrue(SandboxClient.attach(dir).isEmpty());
    }

    // --- helpers

    private void remember(SandboxState s) {
        everyPid.add(s.daemonPid());
        everyPid.add(s.haproxyPid());
        everyPid.add(s.prometheusPid());
        s.pods().stream().map(PodState::pid).filter(p -> p > 0).forEach(everyPid::add);
    }

    private List<Long> timings(int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, get(sandbox.url() + "/").statusCode());
            out.add((System.nanoTime() - t0) / 1_000_000);
        }
        return out;
    }

    static FaultSpec spec(FaultType type, Map<String, String> labels) {
        return new FaultSpec(type.id(), type, new Selector(labels, Selector.Mode.ONE, 0), Duration.ofSeconds(5), null);
    }

    private PodState pod(String name) {
        return sandbox.state().pods().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private PodState awaitPod(String name, Predicate<PodState> ok, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        PodState p = pod(name);
        while (!ok.test(p)) {
            assertTrue(System.nanoTime() < deadline, "pod " + name + " did not get there in " + timeout + ": " + p);
            sleep(100);
            p = pod(name);
        }
        return p;
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after " + timeout + " waiting for: " + what);
            sleep(50);
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        }
    }

    private JsonNode query(String promql) {
        String body = get(sandbox.prometheusUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
        try {
            return new ObjectMapper().readTree(body).path("data").path("result");
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /** The state letter of /proc/PID/stat: R running, S sleeping, T stopped; '?' when gone. */
    static char procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
        } catch (Exception e) {
            return '?';
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
