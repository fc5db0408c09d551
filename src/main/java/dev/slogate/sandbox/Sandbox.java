package dev.slogate.sandbox;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox itself, living inside the daemon process: the pods (demo service JVMs) grouped into nodes and regions,
 * HAProxy in front of them and Prometheus scraping everything. A supervisor restarts a pod that died after the restart
 * delay, like a ReplicaSet, unless its node is down. Every change is written to {@code sandbox.json} atomically.
 */
final class Sandbox implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SandboxSpec spec;
    private final Path dir;
    private final Long ownerPid;
    private final List<Pod> pods = new ArrayList<>();
    /** Down nodes, each with who holds it down (fault ids): overlapping faults bring a node up only when the last one ends. */
    private final Map<String, Set<String>> downNodes = new TreeMap<>();
    private final int frontendPort = FreePorts.next();
    private final int statsPort = FreePorts.next();
    private final HaproxyAdmin admin;
    private Process haproxy;
    private PrometheusServer prometheus;
    private int controlPort;
    private boolean ready;
    private boolean closed;
    private final Thread supervisor;
    /** With an autoscaler: its decision, its thread, what it wants, what it did. Null/empty without one. */
    private final ScalingDecision rule;
    private Thread autoscalerThread;
    private int desired;
    private int lastReady = -1;
    private final List<ScaleEvent> scaleEvents = new ArrayList<>();
    private final Database database;

    /** A pod's fixed identity and its current process. */
    private static final class Pod {
        final String name;
        final String region;
        final String node;
        final int port;
        Process process;
        DelayProxy proxy;
        long diedAtNanos;
        long readyAtNanos;      // starting: when HAProxy enables it
        long drainedAtNanos;    // idle with a live process: when it is stopped
        boolean enabled = true; // false while HAProxy keeps it in maintenance
        java.net.ServerSocket hold; // an idle slot keeps its port, so nothing else takes it before the pod starts

        void holdPort() {
            if (hold == null) {
                try {
                    hold = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
                } catch (IOException e) {
                    hold = null; // taken meanwhile; the pod will report it when it starts
                }
            }
        }

        void releasePort() {
            if (hold != null) {
                try {
                    hold.close();
                } catch (IOException e) {
                    // closed anyway
                }
                hold = null;
            }
        }
        String state = PodState.DOWN;

        Pod(String name, String region, String node, int port) {
            this.name = name;
            this.region = region;
            this.node = node;
            this.port = port;
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        Map<String, String> labels() {
            return snapshot("").labels();
        }

        PodState snapshot(String lb) {
            long pid = process != null && process.isAlive() ? process.pid() : 0;
            // a SIGSTOPped process is alive to the supervisor, but to a user it is paused, not running
            String shown = pid > 0 && state.equals(PodState.RUNNING) && SandboxProcesses.state(pid) == 'T' ? PodState.PAUSED : state;
            return new PodState(name, region, node, port, pid, shown, lb, proxy == null ? 0 : proxy.delay().toMillis());
        }
    }

    Sandbox(SandboxSpec spec, Path dir, Long ownerPid) {
        this.spec = spec;
        this.dir = dir.toAbsolutePath();
        this.ownerPid = ownerPid;
        this.admin = new HaproxyAdmin(this.dir.resolve("haproxy.sock"));
        for (int r = 0; r < spec.regions(); r++) {
            String region = String.valueOf((char) ('a' + r));
            for (int n = 1; n <= spec.nodesPerRegion(); n++) {
                String node = region + "-" + n;
                for (int p = 1; p <= spec.podsPerNode(); p++) {
                    pods.add(new Pod(node + "-" + p, region, node, FreePorts.next()));
                }
            }
        }
        database = spec.database() == null ? null : new Database(spec.database(), this.dir, "a", "b", this::writeState);
        supervisor = new Thread(this::supervise, "pod-supervisor");
        supervisor.setDaemon(true);
        rule = spec.autoscaler() == null ? null : new ScalingDecision(spec.autoscaler());
        if (rule != null) {
            // the autoscaler fills slots spread over regions and nodes: a-1-1, b-1-1, a-2-1, b-2-1, a-1-2, ...
            pods.sort(java.util.Comparator.comparing((Pod p) -> p.name.substring(p.name.lastIndexOf('-') + 1).length())
                    .thenComparing(p -> p.name.substring(p.name.lastIndexOf('-') + 1))
                    .thenComparing(p -> p.node.substring(p.node.indexOf('-') + 1).length())
                    .thenComparing(p -> p.node.substring(p.node.indexOf('-') + 1))
                    .thenComparing(p -> p.region));
            desired = spec.autoscaler().min();
            for (int i = desired; i < pods.size(); i++) {
                pods.get(i).state = PodState.IDLE;
                pods.get(i).enabled = false;
                pods.get(i).holdPort();
            }
        }
    }

    /** Starts pods, HAProxy and Prometheus; {@code extraTargets} ({@code host:port}) are scraped at /metrics too. */
    synchronized void start(int controlPort, List<String> extraTargets) {
        this.controlPort = controlPort;
        try {
            Files.createDirectories(dir.resolve("pods"));
            if (database != null) {
                database.start();
            }
            for (Pod p : pods) {
                if (!p.state.equals(PodState.IDLE)) {
                    launch(p);
                }
            }
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, new HaproxyConfig(frontendPort, statsPort, dir.resolve("haproxy.sock"),
                    pods.stream().map(p -> p.snapshot("")).toList()).render());
            haproxy = new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the sandbox in " + dir + ": " + e.getMessage()
                    + "; install HAProxy with: apt-get install -y haproxy", e);
        }
        Map<String, Map<String, String>> podTargets = new LinkedHashMap<>();
        pods.forEach(p -> podTargets.put(p.address(), p.labels()));
        List<PrometheusServer.ScrapeJob> jobs = new ArrayList<>();
        jobs.add(PrometheusServer.ScrapeJob.labelled("demo", "/metrics", podTargets));
        jobs.add(new PrometheusServer.ScrapeJob("haproxy", List.of("127.0.0.1:" + statsPort), "/metrics"));
        List<String> extra = extraTargets.stream().map(t -> t.replaceFirst("^https?://", "").replaceFirst("/.*$", "")).toList();
        if (!extra.isEmpty()) {
            jobs.add(new PrometheusServer.ScrapeJob("slogate", extra, "/metrics"));
        }
        prometheus = PrometheusServer.start(dir.resolve("prometheus"), jobs);
        supervisor.start();
        writeState();
    }

    /** Starts the autoscaler's loop; call once the sandbox is healthy. */
    private void startAutoscaler() {
        if (rule == null) {
            return;
        }
        autoscalerThread = new Thread(this::autoscale, "autoscaler");
        autoscalerThread.setDaemon(true);
        autoscalerThread.start();
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
                        if (rule != null) {
                            lastReady = desired;
                            scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), desired, desired, Double.NaN,
                                    "autoscaler on: " + desired + " pods ready (min " + spec.autoscaler().min() + ", max " + spec.autoscaler().max() + ")"));
                        }
                        writeState();
                    }
                    startAutoscaler();
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
        java.util.Set<String> expected;
        synchronized (this) {
            expected = pods.stream().filter(p -> !p.state.equals(PodState.IDLE)).map(p -> p.name).collect(java.util.stream.Collectors.toSet());
        }
        try {
            String q = java.net.URLEncoder.encode("up{job=\"demo\"} == 1", java.nio.charset.StandardCharsets.UTF_8);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(prometheus.url() + "/api/v1/query?query=" + q))
                            .timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            java.util.Set<String> up = new java.util.HashSet<>();
            JSON.readTree(r.body()).path("data").path("result").forEach(n -> up.add(n.path("metric").path("pod").asText()));
            return up.containsAll(expected);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized boolean allExpectedUp(Map<String, String> status) {
        return pods.stream().filter(p -> !downNodes.containsKey(p.node) && !p.state.equals(PodState.IDLE))
                .allMatch(p -> "UP".equals(status.get(p.name)));
    }

    private void launch(Pod p) throws IOException {
        p.releasePort();
        List<String> cmd = JavaCommand.of(DemoService.class.getName(), JavaCommand.LIGHT, List.of(
                "--port", String.valueOf(p.port), "--name", p.name,
                "--service-time", Durations.format(spec.serviceTime()),
                "--error-ratio", String.valueOf(spec.errorRatio()),
                "--concurrency", String.valueOf(spec.concurrency()),
                "--watch-pid", String.valueOf(ProcessHandle.current().pid()),
                "--sandbox", dir.toString(), // names the sandbox on its command line, for cleanup after a crash
                "--db-primary-file", database == null ? "" : database.primaryFile().toString()));
        p.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pods").resolve(p.name + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        p.state = p.enabled ? PodState.RUNNING : PodState.STARTING;
    }

    private void supervise() {
        int tick = 0;
        while (!Thread.currentThread().isInterrupted()) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                boolean changed = false;
                for (Pod p : pods) {
                    changed |= superviseOne(p) | startOrDrain(p);
                }
                if (changed) {
                    writeState();
                }
            }
            if (rule != null && ready && ++tick % 2 == 0) {
                trackReady();
            }
            sleep(100);
        }
    }

    /** Enables a starting pod in HAProxy once its start delay is over; stops a drained pod's process. */
    private boolean startOrDrain(Pod p) {
        long now = System.nanoTime();
        if (p.state.equals(PodState.STARTING) && now >= p.readyAtNanos) {
            if (!answersHealth(p)) { // a start delay shorter than the JVM's boot: wait for the pod like a readiness probe
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

    private static boolean answersHealth(Pod p) {
        try {
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + p.address() + "/health")).timeout(Duration.ofMillis(300)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records a change of the pods HAProxy sees UP, so the capacity time can be read from the scale events. */
    private void trackReady() {
        Map<String, String> status;
        try {
            status = admin.serverStatus(HaproxyConfig.BACKEND);
        } catch (RuntimeException e) {
            return;
        }
        synchronized (this) {
            int up = (int) pods.stream().filter(p -> p.enabled && status.getOrDefault(p.name, "").startsWith("UP")).count();
            if (up != lastReady && !closed) {
                lastReady = up;
                scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), desired, up, Double.NaN, up + " of " + desired + " pods ready"));
                writeState();
            }
        }
    }

    /** Every period: read each pod's load from Prometheus, decide like an HPA ({@link ScalingDecision}), start or drain pods. */
    private void autoscale() {
        SandboxSpec.Autoscaler a = spec.autoscaler();
        String query = a.metric() == SandboxSpec.Metric.RPS
                ? "sum by (pod) (rate(demo_requests_received_total{job=\"demo\"}[5s]))"
                : "sum by (pod) (demo_requests_in_flight{job=\"demo\"})";
        String unit = a.metric() == SandboxSpec.Metric.RPS ? "rps" : "in flight";
        while (!Thread.currentThread().isInterrupted()) {
            sleep(a.period().toMillis());
            Map<String, Double> samples = readPerPod(query);
            if (samples == null) {
                continue;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                List<ScalingDecision.PodLoad> loads = pods.stream()
                        .map(p -> new ScalingDecision.PodLoad(p.name, p.state, samples.getOrDefault(p.name, Double.NaN))).toList();
                ScalingDecision.Decision d = rule.decide(loads, System.currentTimeMillis());
                if (d.desired() != desired) {
                    scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), d.desired(), Math.max(lastReady, 0), d.total(), String.format(java.util.Locale.ROOT,
                            "scale %d -> %d pods: %.0f %s, %.1f per pod, target %s", desired, d.desired(), d.total(), unit, d.perPod(),
                            trim(a.targetPerPod()))));
                    desired = d.desired();
                }
                if (reconcile(d.current(), d.drain())) {
                    writeState();
                }
            }
        }
    }

    /** Assigned to a slot and not on a down node: running, starting, or restarting after a kill. */
    private static boolean serving(Pod p) {
        return ScalingDecision.counts(p.state);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Starts idle slots on nodes that are up until {@code desired} pods are assigned, or drains the pods decided. */
    private boolean reconcile(int current, List<String> drain) {
        boolean changed = false;
        long now = System.nanoTime();
        for (int i = 0; i < pods.size() && current < desired; i++) {
            Pod p = pods.get(i);
            if (p.state.equals(PodState.IDLE) && !downNodes.containsKey(p.node)) {
                if (p.process != null) {
                    p.process.destroyForcibly(); // still draining: replace it
                }
                p.enabled = false;
                p.readyAtNanos = now + spec.autoscaler().startDelay().toNanos();
                try {
                    launch(p);
                } catch (IOException e) {
                    continue;
                }
                current++;
                changed = true;
            }
        }
        for (String name : drain) {
            Pod p = pod(name);
            if (serving(p)) {
                try {
                    admin.command("set server " + HaproxyConfig.BACKEND + "/" + p.name + " state maint");
                } catch (RuntimeException e) {
                    return changed; // HAProxy did not answer; try again next period
                }
                p.enabled = false;
                p.state = PodState.IDLE;
                p.drainedAtNanos = now + 1_000_000_000L; // requests in flight finish before the process stops
                current--;
                changed = true;
            }
        }
        return changed;
    }

    /** Each pod's value of a {@code sum by (pod)} query; null when Prometheus did not answer (skip this period). */
    private Map<String, Double> readPerPod(String query) {
        try {
            String q = java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(prometheus.url() + "/api/v1/query?query=" + q))
                            .timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            if (r.statusCode() != 200) {
                return null;
            }
            Map<String, Double> out = new java.util.HashMap<>();
            result.forEach(x -> out.put(x.path("metric").path("pod").asText(), Double.parseDouble(x.path("value").get(1).asText())));
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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

    /** SIGKILLs the node's pods and keeps them down until {@code holder} and every other holder let go ({@link #nodeUp}). */
    synchronized void nodeDown(String node, String holder) {
        requireNode(node);
        Set<String> holders = downNodes.computeIfAbsent(node, n -> new TreeSet<>());
        boolean wasUp = holders.isEmpty();
        holders.add(holder);
        if (!wasUp) {
            writeState();
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
        writeState();
    }

    /** {@code holder} lets go of the node; the last holder boots its pods again at once (idempotent per holder). */
    synchronized void nodeUp(String node, String holder) {
        requireNode(node);
        Set<String> holders = downNodes.get(node);
        if (holders == null) {
            return;
        }
        holders.remove(holder);
        if (!holders.isEmpty()) {
            writeState();
            return;
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
        writeState();
    }

    /** Puts a proxy that delays each request by {@code delay} between HAProxy and the pod (replacing any earlier one). */
    synchronized void latencyOn(String podName, Duration delay) {
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
        writeState();
    }

    /** Points HAProxy straight at the pod again (idempotent). */
    synchronized void latencyOff(String podName) {
        Pod p = pod(podName);
        admin.setServerAddress(HaproxyConfig.BACKEND, p.name, "127.0.0.1", p.port);
        if (p.proxy != null) {
            p.proxy.close();
            p.proxy = null;
        }
        writeState();
    }

    private Pod pod(String name) {
        return pods.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no pod '" + name + "'; pods are " + pods.stream().map(p -> p.name).toList()));
    }

    synchronized void regionDown(String region, String holder) {
        List<String> nodes = nodesOf(region);
        if (database != null) {
            database.regionDown(region); // first: what the primary acknowledged after this instant is not shipped
        }
        nodes.forEach(n -> nodeDown(n, holder));
    }

    synchronized void regionUp(String region, String holder) {
        nodesOf(region).forEach(n -> nodeUp(n, holder));
        if (database != null) {
            database.regionUp(region);
        }
    }

    private List<String> nodesOf(String region) {
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
                prometheus == null ? 0 : prometheus.pid(), ownerPid, ready, List.copyOf(downNodes.keySet()),
                pods.stream().map(p -> p.snapshot(lb.getOrDefault(p.name, ""))).toList(), List.copyOf(scaleEvents),
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
        List<Process> processes = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            supervisor.interrupt();
            if (autoscalerThread != null) {
                autoscalerThread.interrupt();
            }
            for (Pod p : pods) {
                if (p.process != null) {
                    processes.add(p.process);
                }
            }
            if (haproxy != null) {
                processes.add(haproxy);
            }
            pods.stream().filter(p -> p.proxy != null).forEach(p -> p.proxy.close());
            pods.forEach(Pod::releasePort);
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
