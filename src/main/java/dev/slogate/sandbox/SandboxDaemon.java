package dev.slogate.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slogate.experiment.DatabaseSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.redact.RedactedStream;
import dev.slogate.yaml.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The sandbox as a process of its own, so it outlives a harness killed with SIGKILL and {@code slogate cleanup} can
 * still reach it. Control API on a loopback port: {@code GET /state}, {@code POST /nodes/{node}/down|up},
 * {@code POST /regions/{region}/down|up}, {@code POST /pods/{pod}/latency/{200ms|off}}, {@code POST /stop}. SIGTERM stops everything it started, as does /stop.
 * <p>Args: {@code --state-dir DIR [--regions 2 --nodes-per-region 2 --pods-per-node 2 --service-time 5ms
 * --error-ratio 0 --concurrency 64 --restart-delay 3s --owner-pid PID --scrape host:port ...
 * --autoscaler min=2,max=8,metric=rps,targetPerPod=100,startDelay=5s,period=2s,scaleDownStabilization=30s
 * --database async|sync --db-lag 2s --db-failover-after 3s]}.
 */
public final class SandboxDaemon {
    private SandboxDaemon() {
    }

    /** The arguments that start a daemon for {@code spec}. */
    static List<String> args(SandboxSpec spec, Path stateDir, List<String> extraScrapeTargets, Long ownerPid) {
        List<String> a = new ArrayList<>(List.of("--state-dir", stateDir.toAbsolutePath().toString(),
                "--regions", String.valueOf(spec.regions()),
                "--nodes-per-region", String.valueOf(spec.nodesPerRegion()),
                "--pods-per-node", String.valueOf(spec.podsPerNode()),
                "--service-time", Durations.format(spec.serviceTime()),
                "--error-ratio", String.valueOf(spec.errorRatio()),
                "--concurrency", String.valueOf(spec.concurrency()),
                "--restart-delay", Durations.format(spec.restartDelay())));
        if (spec.autoscaler() != null) {
            a.addAll(List.of("--autoscaler", spec.autoscaler().toArg()));
        }
        if (spec.database() != null) {
            a.addAll(List.of("--database", spec.database().replication().name().toLowerCase(Locale.ROOT),
                    "--db-lag", Durations.format(spec.database().lag()),
                    "--db-failover-after", Durations.format(spec.database().failoverAfter())));
        }
        if (ownerPid != null) {
            a.addAll(List.of("--owner-pid", String.valueOf(ownerPid)));
        }
        for (String t : extraScrapeTargets) {
            a.addAll(List.of("--scrape", t));
        }
        return a;
    }

    public static void main(String[] args) throws IOException {
        RedactedStream.install();
        SandboxSpec d = SandboxSpec.defaults();
        Path dir = null;
        Long owner = null;
        SandboxSpec.Autoscaler autoscaler = null;
        List<String> scrape = new ArrayList<>();
        int regions = d.regions(), nodes = d.nodesPerRegion(), podsPerNode = d.podsPerNode(), concurrency = d.concurrency();
        Duration serviceTime = d.serviceTime(), restartDelay = d.restartDelay();
        double errorRatio = d.errorRatio();
        DatabaseSpec db = null;
        DatabaseSpec dbDefaults = DatabaseSpec.defaults();
        Duration dbLag = dbDefaults.lag(), dbFailoverAfter = dbDefaults.failoverAfter();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--state-dir" -> dir = Path.of(v);
                case "--regions" -> regions = Integer.parseInt(v);
                case "--nodes-per-region" -> nodes = Integer.parseInt(v);
                case "--pods-per-node" -> podsPerNode = Integer.parseInt(v);
                case "--service-time" -> serviceTime = Durations.parse(v);
                case "--error-ratio" -> errorRatio = Double.parseDouble(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--restart-delay" -> restartDelay = Durations.parse(v);
                case "--owner-pid" -> owner = Long.parseLong(v);
                case "--scrape" -> scrape.add(v);
                case "--autoscaler" -> autoscaler = SandboxSpec.Autoscaler.fromArg(v);
                case "--database" -> db = new DatabaseSpec(DatabaseSpec.Replication.valueOf(v.toUpperCase(Locale.ROOT)),
                        dbDefaults.lag(), dbDefaults.failoverAfter());
                case "--db-lag" -> dbLag = Durations.parse(v);
                case "--db-failover-after" -> dbFailoverAfter = Durations.parse(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--state-dir DIR is required");
        }
        SandboxSpec spec = new SandboxSpec(regions, nodes, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, autoscaler,
                db == null ? null : new DatabaseSpec(db.replication(), dbLag, dbFailoverAfter));
        Sandbox sandbox = new Sandbox(spec, dir, owner);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));

        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        control.setExecutor(Executors.newFixedThreadPool(2));
        control.createContext("/", ex -> handle(ex, sandbox));
        control.start();
        try {
            sandbox.start(control.getAddress().getPort(), scrape);
            sandbox.awaitHealthy(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            System.err.println("sandbox failed to start: " + e.getMessage());
            e.printStackTrace();
            System.exit(2); // the shutdown hook stops what did start
        }
        System.out.println("sandbox ready: " + sandbox.liveState().url());
        if (owner != null) {
            stopWhenGone(owner);
        }
    }

    /**
     * A sandbox started by a run belongs to it: when that process is gone (kill -9, OOM kill), the sandbox stops itself
     * within about a second instead of leaving its processes for `slogate cleanup` to find.
     */
    private static void stopWhenGone(long ownerPid) {
        Thread watch = new Thread(() -> {
            while (ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.out.println("the run that started this sandbox (pid " + ownerPid + ") is gone; stopping the sandbox");
            System.exit(0); // the shutdown hook stops every process of the sandbox
        }, "owner-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Who takes a node down or lets it go: {@code ?by=<fault id>}; calls without it share the holder "manual". */
    static String holder(String query) {
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("by=") && kv.length() > 3) {
                    return URLDecoder.decode(kv.substring(3), StandardCharsets.UTF_8);
                }
            }
        }
        return SandboxClient.MANUAL;
    }

    private static void handle(HttpExchange ex, Sandbox sandbox) throws IOException {
        String method = ex.getRequestMethod();
        String[] path = ex.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
        try {
            if (method.equals("GET") && path.length == 1 && path[0].equals("state")) {
                reply(ex, 200, Sandbox.JSON.writeValueAsString(sandbox.liveState()));
            } else if (method.equals("POST") && path.length == 1 && path[0].equals("stop")) {
                reply(ex, 200, "{\"stopping\":true}");
                new Thread(() -> System.exit(0), "stop").start(); // exit runs the shutdown hook
            } else if (method.equals("POST") && path.length == 3 && (path[2].equals("down") || path[2].equals("up"))
                    && (path[0].equals("nodes") || path[0].equals("regions"))) {
                boolean down = path[2].equals("down");
                String holder = holder(ex.getRequestURI().getQuery());
                if (path[0].equals("nodes")) {
                    if (down) {
                        sandbox.nodeDown(path[1], holder);
                    } else {
                        sandbox.nodeUp(path[1], holder);
                    }
                } else if (down) {
                    sandbox.regionDown(path[1], holder);
                } else {
                    sandbox.regionUp(path[1], holder);
                }
                reply(ex, 200, Sandbox.JSON.writeValueAsString(sandbox.liveState()));
            } else if (method.equals("POST") && path.length == 4 && path[0].equals("pods") && path[2].equals("latency")) {
                if (path[3].equals("off")) {
                    sandbox.latencyOff(path[1]);
                } else {
                    sandbox.latencyOn(path[1], Durations.parse(path[3]));
                }
                reply(ex, 200, Sandbox.JSON.writeValueAsString(sandbox.liveState()));
            } else {
                reply(ex, 404, "{\"error\":\"unknown endpoint " + method + " " + ex.getRequestURI().getPath() + "\"}");
            }
        } catch (IllegalArgumentException e) {
            reply(ex, 404, Sandbox.JSON.writeValueAsString(Map.of("error", e.getMessage())));
        } catch (RuntimeException e) {
            reply(ex, 500, Sandbox.JSON.writeValueAsString(Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
