package dev.slogate.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The harness's handle on a sandbox daemon ({@link SandboxDaemon}), which runs as its own process and is found again
 * through {@code <stateDir>/sandbox.json}. Start one with {@link #start}, find a running one with {@link #attach}.
 */
public final class SandboxClient {
    static final String STATE_FILE = "sandbox.json";
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path stateDir;
    private final SandboxState initial;
    private List<String> leftoversStopped = List.of();
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(30)).build();

    private SandboxClient(Path stateDir, SandboxState initial) {
        this.stateDir = stateDir;
        this.initial = initial;
    }

    /**
     * Launches a sandbox daemon detached from this process (its own session, so it survives this JVM) and waits until
     * every pod is UP in HAProxy and Prometheus is ready. {@code extraScrapeTargets} ({@code host:port}) are scraped
     * at {@code /metrics}; {@code ownerPid}, if set, lets {@code slogate cleanup} stop the sandbox once that process is gone.
     * Processes a previous sandbox of {@code stateDir} left behind (its daemon was killed) are stopped first
     * ({@link #leftoversStopped()}); the caller holds the {@link SandboxLock}, so they belong to nobody.
     */
    public static SandboxClient start(SandboxSpec spec, Path stateDir, List<String> extraScrapeTargets, Long ownerPid) {
        Path dir = stateDir.toAbsolutePath();
        attach(dir).ifPresent(c -> {
            throw new IllegalStateException("a sandbox already runs in " + dir + " (daemon pid " + c.initial.daemonPid()
                    + "); stop it with `slogate sandbox stop` or `slogate cleanup`, or use another state directory");
        });
        readStateFile(dir).filter(s -> alive(s.daemonPid())).ifPresent(s -> {
            throw new IllegalStateException("the sandbox daemon in " + dir + " (pid " + s.daemonPid() + ") is alive but does not answer;"
                    + " see " + dir.resolve("daemon.log") + ", then stop it (kill " + s.daemonPid() + ") and run `slogate cleanup`");
        });
        List<String> leftovers = SandboxProcesses.kill(dir);
        Process daemon;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(STATE_FILE));
            List<String> flags = List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:-UsePerfData");
            List<String> cmd = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) {
                cmd.add("/usr/bin/setsid"); // own session: a Ctrl-C or SIGHUP aimed at the harness does not reach it
            }
            cmd.addAll(JavaCommand.of(SandboxDaemon.class.getName(), flags, SandboxDaemon.args(spec, dir, extraScrapeTargets, ownerPid)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // the marker every process of this sandbox inherits, so cleanup finds them without sandbox.json
            pb.environment().put(SandboxProcesses.MARKER, SandboxProcesses.value(dir));
            daemon = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch the sandbox daemon in " + dir + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SandboxState> s = readStateFile(dir);
            if (s.isPresent() && s.get().ready()) {
                SandboxClient c = new SandboxClient(dir, s.get());
                c.leftoversStopped = List.copyOf(leftovers);
                return c;
            }
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the sandbox daemon exited with " + daemon.exitValue() + " before it was ready: "
                        + tail(dir.resolve("daemon.log")) + " (see " + dir + ")");
            }
            sleep(200);
        }
        daemon.destroy(); // its shutdown hook stops what it started
        throw new IllegalStateException("the sandbox was not ready within " + START_TIMEOUT.toSeconds() + " s; see " + dir.resolve("daemon.log")
                + " and the logs beside it");
    }

    /** What {@link #start} stopped of an earlier sandbox of this state directory, e.g. "haproxy (pid 4242)"; usually empty. */
    public List<String> leftoversStopped() {
        return leftoversStopped;
    }

    /** The sandbox running in {@code stateDir}, if its daemon is alive and answers. */
    public static Optional<SandboxClient> attach(Path stateDir) {
        Path dir = stateDir.toAbsolutePath();
        Optional<SandboxState> s = readStateFile(dir);
        if (s.isEmpty() || !alive(s.get().daemonPid())) {
            return Optional.empty();
        }
        SandboxClient c = new SandboxClient(dir, s.get());
        try {
            c.state();
            return Optional.of(c);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What {@code sandbox.json} says, without asking the daemon (which may be dead). */
    public static Optional<SandboxState> readStateFile(Path stateDir) {
        Path f = stateDir.resolve(STATE_FILE);
        try {
            return Files.exists(f) ? Optional.of(JSON.readValue(f.toFile(), SandboxState.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // written atomically, so unreadable means foreign or corrupt: treat as absent
        }
    }

    /** The live state, with HAProxy's view of every pod. */
    public SandboxState state() {
        return call("GET", "/state");
    }

    /** The holder of node/region downs made without a fault (tests, the CLI). */
    public static final String MANUAL = "manual";

    public SandboxState nodeDown(String node) {
        return nodeDown(node, MANUAL);
    }

    /**
     * Takes the node down on behalf of {@code holder} (a fault id). A node held down by several faults comes back when
     * the last of them calls {@link #nodeUp(String, String)}.
     */
    public SandboxState nodeDown(String node, String holder) {
        return call("POST", "/nodes/" + node + "/down" + by(holder));
    }

    public SandboxState nodeUp(String node) {
        return nodeUp(node, MANUAL);
    }

    public SandboxState nodeUp(String node, String holder) {
        return call("POST", "/nodes/" + node + "/up" + by(holder));
    }

    public SandboxState regionDown(String region) {
        return regionDown(region, MANUAL);
    }

    public SandboxState regionDown(String region, String holder) {
        return call("POST", "/regions/" + region + "/down" + by(holder));
    }

    public SandboxState regionUp(String region) {
        return regionUp(region, MANUAL);
    }

    public SandboxState regionUp(String region, String holder) {
        return call("POST", "/regions/" + region + "/up" + by(holder));
    }

    private static String by(String holder) {
        return "?by=" + URLEncoder.encode(holder, StandardCharsets.UTF_8);
    }

    /** Routes the pod's traffic through a proxy that delays every request by {@code delay}. */
    public SandboxState latencyOn(String pod, Duration delay) {
        return call("POST", "/pods/" + pod + "/latency/" + delay.toMillis() + "ms");
    }

    public SandboxState latencyOff(String pod) {
        return call("POST", "/pods/" + pod + "/latency/off");
    }

    /**
     * Waits until every pod runs, answers {@code /health} itself, and HAProxy sees it UP (HAProxy alone can lag:
     * a pod killed and restarted between two checks never looked DOWN to it).
     */
    public SandboxState awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SandboxState s = state();
        while (true) {
            List<String> notUp = s.pods().stream()
                    .filter(p -> !p.state().equals(PodState.IDLE)) // an autoscaler slot without a pod
                    .filter(p -> !p.state().equals(PodState.RUNNING) || !p.lb().equals("UP") || !answersHealth(p))
                    .map(p -> p.name() + " " + p.state() + "/" + (p.lb().isEmpty() ? "?" : p.lb())).toList();
            if (notUp.isEmpty()) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sandbox pods not healthy after " + timeout.toSeconds() + " s: " + notUp);
            }
            sleep(100);
            s = state();
        }
    }

    private boolean answersHealth(PodState p) {
        Request r = new Request.Builder().url("http://" + p.address() + "/health").build();
        try (Response res = http.newCall(r).execute()) {
            return res.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the daemon and waits until it and everything it started are gone. */
    public void stop() {
        SandboxState s = initial;
        try {
            s = state();
            call("POST", "/stop");
        } catch (RuntimeException e) {
            // already stopping or dead: make sure below
        }
        awaitGone(s, Duration.ofSeconds(20));
    }

    /** Waits for the daemon to exit; SIGKILLs whatever of this sandbox is still alive after {@code timeout}. */
    private void awaitGone(SandboxState s, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(s.daemonPid()) && System.nanoTime() < deadline) {
            sleep(100);
        }
        kill(s, stateDir);
    }

    /**
     * Kills what a dead daemon left behind (HAProxy, Prometheus, pods) and removes its state file. A pid is only killed
     * if its command line names this state directory, so a pid reused by another process is left alone; then every
     * process still marked with this state directory ({@link SandboxProcesses}).
     */
    public static void kill(SandboxState s, Path stateDir) {
        List<Long> pids = new ArrayList<>(List.of(s.daemonPid(), s.haproxyPid(), s.prometheusPid()));
        s.pods().forEach(p -> pids.add(p.pid()));
        if (s.database() != null) {
            s.database().servers().forEach(db -> pids.add(db.pid())); // postmasters: their command line names their data dir
        }
        String dir = stateDir.toAbsolutePath().toString();
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(h -> h.info().commandLine()
                            .map(c -> c.contains(dir)).orElse(false))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
        SandboxProcesses.kill(stateDir);
        try {
            Files.deleteIfExists(stateDir.resolve(STATE_FILE));
        } catch (IOException e) {
            // the processes are gone; a stale file is ignored by attach()
        }
    }

    public String url() {
        return initial.url();
    }

    public String prometheusUrl() {
        return initial.prometheusUrl();
    }

    public String haproxyStatsUrl() {
        return initial.haproxyStatsUrl();
    }

    public Path stateDir() {
        return stateDir;
    }

    public HaproxyAdmin haproxyAdmin() {
        return new HaproxyAdmin(Path.of(initial.haproxySocket()));
    }

    private SandboxState call(String method, String path) {
        Request.Builder b = new Request.Builder().url(initial.controlUrl() + path);
        if (method.equals("POST")) {
            b.post(RequestBody.create(new byte[0], null));
        }
        try (Response r = http.newCall(b.build()).execute()) {
            String body = r.body().string();
            if (!r.isSuccessful()) {
                throw new IllegalStateException("sandbox " + method + " " + path + " failed (" + r.code() + "): " + body);
            }
            return path.equals("/stop") ? initial : JSON.readValue(body, SandboxState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox daemon at " + initial.controlUrl() + " did not answer " + method + " " + path
                    + ": " + e.getMessage() + "; run `slogate cleanup` if it died", e);
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
