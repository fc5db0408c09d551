package dev.slogate.sandbox;

import dev.slogate.yaml.Durations;
import dev.slogate.experiment.SandboxSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The sandbox's pods (demo service JVMs) grouped into nodes and regions, and what happens to them: launching a pod,
 * the supervisor's step (a pod that died restarts after the restart delay, like a ReplicaSet, unless its node is down;
 * a started pod is enabled in HAProxy, a drained one stopped), nodes held down by faults, latency proxies. Not
 * thread-safe: the sandbox calls every method under its own lock.
 */
final class Pods {
    private final SandboxSpec spec;
    private final Path dir;
    private final HaproxyAdmin admin;
    private final Path primaryFile; // the database's service record the pods read; null without a database
    private final List<Pod> pods = new ArrayList<>();
    /** Down nodes, each with who holds it down (fault ids): overlapping faults bring a node up only when the last one ends. */
    private final Map<String, Set<String>> downNodes = new TreeMap<>();

    Pods(SandboxSpec spec, Path dir, HaproxyAdmin admin, Path primaryFile) {
        this.spec = spec;
        this.dir = dir;
        this.admin = admin;
        this.primaryFile = primaryFile;
        for (int r = 0; r < spec.regions(); r++) {
            String region = String.valueOf((char) ('a' + r));
            for (int n = 1; n <= spec.nodesPerRegion(); n++) {
                String node = region + "-" + n;
                for (int p = 1; p <= spec.podsPerNode(); p++) {
                    pods.add(new Pod(node + "-" + p, region, node, FreePorts.next()));
                }
            }
        }
        if (spec.autoscaler() != null) {
            // the autoscaler fills slots spread over regions and nodes: a-1-1, b-1-1, a-2-1, b-2-1, a-1-2, ...
            pods.sort(Comparator.comparing((Pod p) -> p.name.substring(p.name.lastIndexOf('-') + 1).length())
                    .thenComparing(p -> p.name.substring(p.name.lastIndexOf('-') + 1))
                    .thenComparing(p -> p.node.substring(p.node.indexOf('-') + 1).length())
                    .thenComparing(p -> p.node.substring(p.node.indexOf('-') + 1))
                    .thenComparing(p -> p.region));
            for (int i = spec.autoscaler().min(); i < pods.size(); i++) {
                pods.get(i).state = PodState.IDLE;
                pods.get(i).enabled = false;
                pods.get(i).holdPort();
            }
        }
    }

    /** Every pod slot, in the autoscaler's fill order. */
    List<Pod> all() {
        return pods;
    }

    /** Launches every pod that is not an idle autoscaler slot. */
    void launchAll() throws IOException {
        for (Pod p : pods) {
            if (!p.state.equals(PodState.IDLE)) {
                launch(p);
            }
        }
    }

    void launch(Pod p) throws IOException {
        p.releasePort();
        List<String> cmd = JavaCommand.of(DemoService.class.getName(), JavaCommand.LIGHT, List.of(
                "--port", String.valueOf(p.port), "--name", p.name,
                "--service-time", Durations.format(spec.serviceTime()),
                "--error-ratio", String.valueOf(spec.errorRatio()),
                "--concurrency", String.valueOf(spec.concurrency()),
                "--watch-pid", String.valueOf(ProcessHandle.current().pid()),
                "--sandbox", dir.toString(), // names the sandbox on its command line, for cleanup after a crash
                "--db-primary-file", primaryFile == null ? "" : primaryFile.toString()));
        p.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pods").resolve(p.name + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        p.state = p.enabled ? PodState.RUNNING : PodState.STARTING;
    }

    /** One step of the supervisor over every pod; true when a pod changed. */
    boolean supervise() {
        boolean changed = false;
        for (Pod p : pods) {
            changed |= superviseOne(p) | startOrDrain(p);
        }
        return changed;
    }

    private boolean superviseOne(Pod p) {
        if (downNodes.containsKey(p.node)) {
            return false;
        }
        if (p.state.equals(PodState.RUNNING) && !p.process.isAlive()) {
            p.state = PodState.RESTARTING;
            p.diedAtNanos = System.nanoTime();
            return true;
        }
        if (p.state.equals(PodState.RESTARTING) && System.nanoTime() - p.diedAtNanos >= spec.restartDelay().toNanos()) {
            try {
                launch(p);
            } catch (IOException e) {
                p.diedAtNanos = System.nanoTime(); // try again after another delay
            }
            return true;
        }
        return false;
    }

    /** Enables a starting pod in HAProxy once its start delay is over; stops a drained pod's process. */
    private boolean startOrDrain(Pod p) {
        long now = System.nanoTime();
        if (p.state.equals(PodState.STARTING) && now >= p.readyAtNanos) {
            if (!p.answersHealth()) { // a start delay shorter than the JVM's boot: wait for the pod like a readiness probe
                p.readyAtNanos = now + 200_000_000L;
                return false;
            }
            try {
                admin.command("set server " + HaproxyConfig.BACKEND + "/" + p.name + " state ready");
                p.enabled = true;
                p.state = PodState.RUNNING;
            } catch (RuntimeException e) {
                p.readyAtNanos = now + 500_000_000L; // HAProxy busy: try again shortly
            }
            return true;
        }
        if (p.state.equals(PodState.IDLE) && p.process != null && now >= p.drainedAtNanos) {
            try {
                p.process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.process = null;
            p.holdPort();
            return true;
        }
        return false;
    }

    boolean nodeIsDown(String node) {
        return downNodes.containsKey(node);
    }

    List<String> downNodes() {
        return List.copyOf(downNodes.keySet());
    }

    /** SIGKILLs the node's pods and keeps them down until {@code holder} and every other holder let go ({@link #nodeUp}). */
    void nodeDown(String node, String holder) {
        requireNode(node);
        Set<String> holders = downNodes.computeIfAbsent(node, n -> new TreeSet<>());
        boolean wasUp = holders.isEmpty();
        holders.add(holder);
        if (!wasUp) {
            return;
        }
        List<Process> killed = new ArrayList<>();
        for (Pod p : pods) {
            if (p.node.equals(node)) {
                if (p.process != null) {
                    killed.add(p.process.destroyForcibly());
                }
                if (p.state.equals(PodState.IDLE)) {
                    p.process = null;
                } else {
                    p.state = PodState.DOWN;
                }
            }
        }
        for (Process k : killed) { // when this returns the node's pods are really gone
            try {
                k.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code holder} lets go of the node; the last holder boots its pods again at once (idempotent per holder). False
     * when the node was not down.
     */
    boolean nodeUp(String node, String holder) {
        requireNode(node);
        Set<String> holders = downNodes.get(node);
        if (holders == null) {
            return false;
        }
        holders.remove(holder);
        if (!holders.isEmpty()) {
            return true;
        }
        downNodes.remove(node);
        for (Pod p : pods) {
            if (p.node.equals(node) && p.state.equals(PodState.DOWN)) {
                p.readyAtNanos = System.nanoTime() + (spec.autoscaler() == null ? 0 : spec.autoscaler().startDelay().toNanos());
                try {
                    launch(p);
                } catch (IOException e) {
                    p.state = PodState.RESTARTING;
                    p.diedAtNanos = System.nanoTime();
                }
            }
        }
        return true;
    }

    /** Puts a proxy that delays each request by {@code delay} between HAProxy and the pod (replacing any earlier one). */
    void latencyOn(String podName, Duration delay) {
        Pod p = pod(podName);
        DelayProxy old = p.proxy;
        try {
            p.proxy = new DelayProxy(p.port, delay);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a delay proxy for " + podName + ": " + e.getMessage(), e);
        }
        admin.setServerAddress(HaproxyConfig.BACKEND, p.name, "127.0.0.1", p.proxy.port());
        if (old != null) {
            old.close();
        }
    }

    /** Points HAProxy straight at the pod again (idempotent). */
    void latencyOff(String podName) {
        Pod p = pod(podName);
        admin.setServerAddress(HaproxyConfig.BACKEND, p.name, "127.0.0.1", p.port);
        if (p.proxy != null) {
            p.proxy.close();
            p.proxy = null;
        }
    }

    Pod pod(String name) {
        return pods.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no pod '" + name + "'; pods are " + pods.stream().map(p -> p.name).toList()));
    }

    List<String> nodesOf(String region) {
        List<String> nodes = pods.stream().filter(p -> p.region.equals(region)).map(p -> p.node).distinct().toList();
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no region '" + region + "'; regions are "
                    + pods.stream().map(p -> p.region).distinct().toList());
        }
        return nodes;
    }

    private void requireNode(String node) {
        if (pods.stream().noneMatch(p -> p.node.equals(node))) {
            throw new IllegalArgumentException("no node '" + node + "'; nodes are "
                    + pods.stream().map(p -> p.node).distinct().toList());
        }
    }

    /** Whether HAProxy's {@code status} shows every pod that should run (not idle, node up) as UP. */
    boolean allExpectedUp(Map<String, String> status) {
        return pods.stream().filter(p -> !downNodes.containsKey(p.node) && !p.state.equals(PodState.IDLE))
                .allMatch(p -> "UP".equals(status.get(p.name)));
    }

    /** The names of the pods that should run (idle autoscaler slots aside). */
    Set<String> expectedNames() {
        return pods.stream().filter(p -> !p.state.equals(PodState.IDLE)).map(p -> p.name).collect(Collectors.toSet());
    }

    /** Every pod slot's address with its labels, for Prometheus. */
    Map<String, Map<String, String>> scrapeTargets() {
        Map<String, Map<String, String>> targets = new LinkedHashMap<>();
        pods.forEach(p -> targets.put(p.address(), p.labels()));
        return targets;
    }

    /** Every pod's state, with HAProxy's view {@code lb} of it where known. */
    List<PodState> snapshots(Map<String, String> lb) {
        return pods.stream().map(p -> p.snapshot(lb.getOrDefault(p.name, ""))).toList();
    }

    /** Closes the latency proxies and held ports and returns the pods' processes, for the caller to kill. */
    List<Process> release() {
        List<Process> processes = new ArrayList<>();
        for (Pod p : pods) {
            if (p.process != null) {
                processes.add(p.process);
            }
        }
        pods.stream().filter(p -> p.proxy != null).forEach(p -> p.proxy.close());
        pods.forEach(Pod::releasePort);
        return processes;
    }
}
