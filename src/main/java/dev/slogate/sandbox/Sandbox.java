package dev.slogate.sandbox;

import static dev.slogate.timeline.Sleep.sleep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.yaml.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox itself, living inside the daemon process: the pods ({@link Pods}) grouped into nodes and regions,
 * HAProxy in front of them, Prometheus scraping everything, the optional {@link Database} and {@link Autoscaler}. A
 * supervisor thread restarts a pod that died after the restart delay, like a ReplicaSet, unless its node is down. One
 * lock, this object's, guards the pods and the state; every change is written to {@code sandbox.json} atomically.
 */
final class Sandbox implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Long ownerPid;
    private final Pods pods;
    private final int frontendPort = FreePorts.next();
    private final int statsPort = FreePorts.next();
    private final HaproxyAdmin admin;
    private Process haproxy;
    private PrometheusServer prometheus;
    private int controlPort;
    private boolean ready;
    private boolean closed;
    private final Thread supervisor;
    /** Null without an autoscaler. */
    private final Autoscaler autoscaler;
    /** Null without a database. */
    private final Database database;

    Sandbox(SandboxSpec spec, Path dir, Long ownerPid) {
        this.dir = dir.toAbsolutePath();
        this.ownerPid = ownerPid;
        this.admin = new HaproxyAdmin(this.dir.resolve("haproxy.sock"));
        database = spec.database() == null ? null : new Database(spec.database(), this.dir, "a", "b", this::writeState);
        pods = new Pods(spec, this.dir, admin, database == null ? null : database.primaryFile());
        supervisor = new Thread(this::supervise, "pod-supervisor");
        supervisor.setDaemon(true);
        autoscaler = spec.autoscaler() == null ? null : new Autoscaler(spec.autoscaler(), pods, admin, this, this::writeState);
    }

    /** Starts pods, HAProxy and Prometheus; {@code extraTargets} ({@code host:port}) are scraped at /metrics too. */
    synchronized void start(int controlPort, List<String> extraTargets) {
        this.controlPort = controlPort;
        try {
            Files.createDirectories(dir.resolve("pods"));
            if (database != null) {
                database.start();
            }
            pods.launchAll();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, new HaproxyConfig(frontendPort, statsPort, dir.resolve("haproxy.sock"),
                    pods.snapshots(Map.of())).render());
            haproxy = new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sandbox in " + dir + ": " + e.getMessage()
                    + "; install HAProxy with: apt-get install -y haproxy", e);
        }
        List<PrometheusServer.ScrapeJob> jobs = new ArrayList<>();
        jobs.add(PrometheusServer.ScrapeJob.labelled("demo", "/metrics", pods.scrapeTargets()));
        jobs.add(new PrometheusServer.ScrapeJob("haproxy", List.of("127.0.0.1:" + statsPort), "/metrics"));
        List<String> extra = extraTargets.stream().map(t -> t.replaceFirst("^https?://", "").replaceFirst("/.*$", "")).toList();
        if (!extra.isEmpty()) {
            jobs.add(new PrometheusServer.ScrapeJob("slogate", extra, "/metrics"));
        }
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), jobs);
        supervisor.start();
        writeState();
    }

    /** Waits until HAProxy sees every pod that should run as UP; then the sandbox is ready. */
    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> status = Map.of();
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + haproxy.exitValue() + "; see " + dir.resolve("haproxy.log"));
            }
            try {
                status = admin.serverStatus(HaproxyConfig.BACKEND);
                if (allExpectedUp(status) && prometheusScrapesAllPods()) {
                    synchronized (this) {
                        ready = true;
                        if (autoscaler != null) {
                            autoscaler.ready();
                        }
                        writeState();
                    }
                    if (autoscaler != null) {
                        autoscaler.start(prometheus);
                    }
                    return;
                }
            } catch (UncheckedIOException e) {
                // HAProxy not listening on its socket yet
            }
            sleep(100);
        }
        throw new IllegalStateException("the sandbox pods were not all UP in HAProxy within " + timeout.toSeconds()
                + " s: " + status + "; see the pod logs in " + dir.resolve("pods"));
    }

    /**
     * True once Prometheus has scraped every pod that should run successfully, so queries over the run start with data.
     * Checked by pod name: an idle autoscaler slot's port may answer for something else.
     */
    private boolean prometheusScrapesAllPods() {
        Set<String> expected;
        synchronized (this) {
            expected = pods.expectedNames();
        }
        Map<String, Double> up = prometheus.valuesBy("pod", "up{job=\"demo\"} == 1");
        return up != null && up.keySet().containsAll(expected);
    }

    private synchronized boolean allExpectedUp(Map<String, String> status) {
        return pods.allExpectedUp(status);
    }

    private void supervise() {
        int tick = 0;
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (pods.supervise()) {
                    writeState();
                }
            }
            if (autoscaler != null && ready && ++tick % 2 == 0) {
                autoscaler.trackReady();
            }
            sleep(100);
        }
    }

    /** SIGKILLs the node's pods and keeps them down until {@code holder} and every other holder let go ({@link #nodeUp}). */
    synchronized void nodeDown(String node, String holder) {
        pods.nodeDown(node, holder);
        writeState();
    }

    /** {@code holder} lets go of the node; the last holder boots its pods again at once (idempotent per holder). */
    synchronized void nodeUp(String node, String holder) {
        if (pods.nodeUp(node, holder)) {
            writeState();
        }
    }

    /** Puts a proxy that delays each request by {@code delay} between HAProxy and the pod (replacing any earlier one). */
    synchronized void latencyOn(String podName, Duration delay) {
        pods.latencyOn(podName, delay);
        writeState();
    }

    /** Points HAProxy straight at the pod again (idempotent). */
    synchronized void latencyOff(String podName) {
        pods.latencyOff(podName);
        writeState();
    }

    synchronized void regionDown(String region, String holder) {
        List<String> nodes = pods.nodesOf(region);
        if (database != null) {
            database.regionDown(region); // first: what the primary acknowledged after this instant is not shipped
        }
        nodes.forEach(n -> nodeDown(n, holder));
    }

    synchronized void regionUp(String region, String holder) {
        pods.nodesOf(region).forEach(n -> nodeUp(n, holder));
        if (database != null) {
            database.regionUp(region);
        }
    }

    /** The state with HAProxy's live view of every pod. */
    SandboxState liveState() {
        Map<String, String> lb;
        try {
            lb = admin.serverStatus(HaproxyConfig.BACKEND);
        } catch (RuntimeException e) {
            lb = Map.of();
        }
        return state(lb);
    }

    private synchronized SandboxState state(Map<String, String> lb) {
        return new SandboxState(ProcessHandle.current().pid(), controlPort, "http://127.0.0.1:" + frontendPort,
                prometheus == null ? null : prometheus.url(), "http://127.0.0.1:" + statsPort,
                dir.resolve("haproxy.sock").toString(), haproxy == null ? 0 : haproxy.pid(),
                prometheus == null ? 0 : prometheus.pid(), ownerPid, ready, pods.downNodes(),
                pods.snapshots(lb), autoscaler == null ? List.of() : autoscaler.events(),
                database == null ? null : database.state());
    }

    private synchronized void writeState() {
        if (closed) {
            return;
        }
        try {
            Path tmp = dir.resolve("sandbox.json.tmp");
            JSON.writeValue(tmp.toFile(), state(Map.of()));
            Files.move(tmp, dir.resolve("sandbox.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("sandbox.json"), e);
        }
    }

    /** Stops every process the sandbox started and removes {@code sandbox.json}; safe to call twice. */
    @Override
    public void close() {
        List<Process> processes;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            supervisor.interrupt();
            if (autoscaler != null) {
                autoscaler.stop();
            }
            processes = new ArrayList<>(pods.release());
            if (haproxy != null) {
                processes.add(haproxy);
            }
        }
        // SIGTERM would wait in a SIGSTOPped pod until it is continued; SIGKILL ends it at once.
        processes.forEach(Process::destroyForcibly);
        if (prometheus != null) {
            prometheus.close();
        }
        if (database != null) {
            database.close();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(dir.resolve("sandbox.json"));
            Files.deleteIfExists(dir.resolve("haproxy.sock"));
        } catch (IOException e) {
            // nothing runs any more; a stale file only makes attach() look and find the daemon dead
        }
    }
}
