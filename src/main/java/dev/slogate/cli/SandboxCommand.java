package dev.slogate.cli;

import dev.slogate.experiment.DatabaseSpec;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.RunOwner;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxLock;
import dev.slogate.sandbox.SandboxState;
import dev.slogate.yaml.Durations;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Start, stop or show the local sandbox alone, to aim other tools at it:",
                "demo service pods in regions and nodes behind HAProxy, with Prometheus scraping everything every second."},
        footerHeading = "%nExamples:%n", footer = {"  slogate sandbox start --regions 2 --nodes 2 --pods 2", "  slogate sandbox status",
                "  slogate sandbox stop"})
final class SandboxCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "start|stop|status")
    String action;

    @Option(names = "--regions", description = "Regions (default 2).")
    int regions = 2;
    @Option(names = "--nodes", description = "Nodes per region (default 2).")
    int nodes = 2;
    @Option(names = "--pods", description = "Pods per node (default 2).")
    int pods = 2;
    @Option(names = "--service-time", description = "Service time of a request (default 5ms).")
    String serviceTime = "5ms";
    @Option(names = "--error-ratio", description = "Fraction of requests answered 500 (default 0).")
    double errorRatio;
    @Option(names = "--concurrency", description = "Requests one pod serves at once; more queue (default 64).")
    int concurrency = 64;
    @Option(names = "--restart-delay", description = "Delay before a killed pod is restarted (default 3s).")
    String restartDelay = "3s";
    @Option(names = "--autoscaler", description = "An HPA-like autoscaler over the pod slots, e.g. min=2,max=8,metric=rps,targetPerPod=100,startDelay=5s,period=2s (default none).")
    String autoscaler;
    @Option(names = "--database", description = "Start PostgreSQL too (primary in region a, standby in b): async or sync replication.")
    String database;
    @Option(names = "--db-lag", description = "Async replication lag (default 2s).")
    String dbLag = "2s";
    @Option(names = "--db-failover-after", description = "Delay before the standby is promoted once the primary is lost (default 3s).")
    String dbFailoverAfter = "3s";

    @Option(names = "--force", description = "With stop: stop the sandbox even while a run uses it.")
    boolean force;

    @Mixin
    Workspace workspace;

    private void printStatus(SandboxState s) {
        System.out.println("load balancer " + s.url() + "   Prometheus " + s.prometheusUrl() + "   HAProxy stats " + s.haproxyStatsUrl());
        System.out.println("daemon pid " + s.daemonPid() + (s.ownerPid() == null ? "" : ", started for the run of pid " + s.ownerPid())
                + (s.downNodes().isEmpty() ? "" : ", nodes down: " + String.join(", ", s.downNodes())));
        System.out.println(SandboxLock.owner(workspace.sandboxDir()).map(o -> "in use by " + o.describe()).orElse("idle: no run uses it"));
        System.out.printf("%-10s %-7s %-7s %-16s %-8s %-11s %-8s%n", "POD", "REGION", "NODE", "ADDRESS", "PID", "STATE", "HAPROXY");
        for (PodState p : s.pods()) {
            System.out.printf("%-10s %-7s %-7s %-16s %-8s %-11s %-8s%s%n", p.name(), p.region(), p.node(), p.address(),
                    p.pid() == 0 ? "-" : String.valueOf(p.pid()), p.state(), p.lb() == null || p.lb().isEmpty() ? "-" : p.lb(),
                    p.latencyMillis() > 0 ? "  +" + p.latencyMillis() + " ms latency" : "");
        }
    }

    @Override
    public Integer call() {
        Optional<SandboxClient> running = SandboxClient.attach(workspace.sandboxDir());
        switch (action) {
            case "start" -> {
                if (running.isPresent()) {
                    System.out.println("A sandbox is already running: " + running.get().url());
                    return 0;
                }
                SandboxSpec spec = new SandboxSpec(regions, nodes, pods, Durations.parse(serviceTime), errorRatio, concurrency,
                        Durations.parse(restartDelay), autoscaler == null ? null : SandboxSpec.Autoscaler.fromArg(autoscaler), null);
                if (database != null) {
                    if (!database.equals("async") && !database.equals("sync")) {
                        System.out.println("error: --database is async or sync, not '" + database + "'");
                        return 2;
                    }
                    spec = spec.withDatabase(new DatabaseSpec(database.equals("sync") ? DatabaseSpec.Replication.SYNC
                            : DatabaseSpec.Replication.ASYNC, Durations.parse(dbLag), Durations.parse(dbFailoverAfter)));
                }
                SandboxClient s;
                // held while it starts, so a run or another start cannot start a second sandbox in the same directory
                try (SandboxLock lock = SandboxLock.acquire(workspace.sandboxDir(), RunOwner.current("sandbox-start"))) {
                    s = SandboxClient.start(spec, workspace.sandboxDir(), List.of(), null);
                } catch (SandboxLock.BusyException e) {
                    System.out.println("error: " + e.getMessage());
                    return 2;
                }
                if (!s.leftoversStopped().isEmpty()) {
                    System.out.println("Stopped what an earlier sandbox of " + workspace.sandboxDir() + " left running: "
                            + String.join(", ", s.leftoversStopped()));
                }
                System.out.println("Sandbox up: load balancer " + s.url() + ", Prometheus " + s.prometheusUrl()
                        + ", HAProxy stats " + s.haproxyStatsUrl());
                System.out.println("Stop it with: slogate sandbox stop");
                return 0;
            }
            case "stop" -> {
                if (running.isEmpty()) {
                    System.out.println("No sandbox is running.");
                    return 0;
                }
                Optional<RunOwner> user = SandboxLock.owner(workspace.sandboxDir());
                if (user.isPresent() && !force) {
                    System.out.println("error: " + user.get().describe() + " uses this sandbox; stopping it now would ruin that run."
                            + " Wait until the run ends, or stop it anyway with `slogate sandbox stop --force`.");
                    return 2;
                }
                running.get().stop();
                System.out.println("Sandbox stopped.");
                return 0;
            }
            case "status" -> {
                if (running.isEmpty()) {
                    System.out.println("No sandbox is running.");
                    return 0;
                }
                printStatus(running.get().state());
                return 0;
            }
            default -> {
                System.out.println("error: unknown action '" + action + "'; write start, stop or status");
                return 2;
            }
        }
    }
}
