package dev.slogate.run;

import dev.slogate.experiment.Backend;
import dev.slogate.experiment.SandboxSpec;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.Target;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.FaultRouter;
import dev.slogate.fault.Journal;
import dev.slogate.fault.JournaledInjector;
import dev.slogate.fault.LocalFaultInjector;
import dev.slogate.fault.backends.ClusterBackends;
import dev.slogate.sandbox.RunOwner;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxLock;
import dev.slogate.sandbox.SandboxShape;
import dev.slogate.timeline.Event;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The target a command works on, set up the one way {@code run}, {@code capacity} and {@code plan} share: the sandbox
 * (locked first, one run per sandbox; the running one attached if its shape is the scenario's, else a new one started)
 * or the scenario's url; its base and Prometheus URLs; the fault back ends on one {@link FaultRouter} (the sandbox's,
 * journaled, and the cluster's when a fault goes there). {@link #close()} undoes what it set up: the cluster client, a
 * sandbox it started, the lock. {@link #stopOwnSandbox()} is safe from a shutdown hook at any moment.
 */
public final class TargetSetup implements AutoCloseable {
    /** The running sandbox has another shape than the scenario's and the command did not accept it. */
    public static final class ShapeRefused extends RuntimeException {
        ShapeRefused(String message) {
            super(message);
        }
    }

    private final Scenario scenario;
    private final Path sandboxDir;
    private final Path journalDir;
    private final String runId;
    private final PrintStream out;
    private final FaultRouter faults = new FaultRouter();
    private final List<String> notes = new ArrayList<>();
    private boolean acceptSandboxShape;
    private List<String> scrapeTargets = List.of();
    private Journal journal;
    private SandboxLock lock;
    private volatile SandboxClient sandbox;
    private volatile boolean ownSandbox;
    private ClusterBackends cluster;
    private String baseUrl;
    private String prometheusUrl;

    /** For the scenario's target, with the state (sandbox, journal) under {@code stateDir}; sets up nothing yet. */
    public TargetSetup(Scenario scenario, Path stateDir, String runId, PrintStream out) {
        this.scenario = scenario;
        this.sandboxDir = stateDir.resolve("sandbox");
        this.journalDir = Journal.dir(stateDir);
        this.runId = runId;
        this.out = out;
    }

    /** Uses a running sandbox of another shape than the scenario's instead of refusing it; {@link #notes()} says so. */
    public TargetSetup acceptSandboxShape(boolean accept) {
        this.acceptSandboxShape = accept;
        return this;
    }

    /** What a sandbox started here has its Prometheus scrape besides its own processes ({@code host:port}). */
    public TargetSetup scrape(List<String> targets) {
        this.scrapeTargets = List.copyOf(targets);
        return this;
    }

    /**
     * Takes the target for a run: on the sandbox, its lock first (so a second run stops here, before it attaches,
     * starts or touches anything), then the running sandbox or a new one, and the sandbox's fault back end.
     *
     * @throws SandboxLock.BusyException when another run holds the sandbox
     * @throws ShapeRefused              when the running sandbox has another shape and that was not accepted
     */
    public TargetSetup open() {
        if (scenario.target().kind() != Target.Kind.SANDBOX) {
            baseUrl = scenario.target().url();
            prometheusUrl = scenario.target().prometheus();
            return this;
        }
        lock = SandboxLock.acquire(sandboxDir, RunOwner.current(runId));
        Optional<SandboxClient> running = SandboxClient.attach(sandboxDir);
        if (running.isPresent()) {
            sandbox = running.get();
            SandboxShape wanted = SandboxShape.of(scenario.target().sandbox());
            SandboxShape found = SandboxShape.of(sandbox.state());
            if (!found.equals(wanted) && !acceptSandboxShape) {
                throw new ShapeRefused("the running sandbox in " + sandboxDir + " is " + found + "; the scenario asks for "
                        + wanted + ". Stop it (`slogate sandbox stop`) so the run starts its own, or run on it anyway"
                        + " with --accept-sandbox-shape (the report then records the shape used)");
            }
            if (!found.equals(wanted)) {
                notes.add("sandbox shape used: " + found + ", not the scenario's " + wanted + " (--accept-sandbox-shape)");
            }
            out.println("Using the running sandbox at " + sandbox.url() + (found.equals(wanted) ? "" : " (" + found
                    + ", not the scenario's " + wanted + ")"));
        } else {
            SandboxSpec spec = scenario.target().sandbox();
            out.printf("Starting the sandbox: %d regions x %d nodes x %d pods, HAProxy, Prometheus...%n",
                    spec.regions(), spec.nodesPerRegion(), spec.podsPerNode());
            ownSandbox = true; // before the start: a Ctrl-C during it stops the daemon too
            sandbox = SandboxClient.start(spec, sandboxDir, scrapeTargets, ProcessHandle.current().pid());
            if (!sandbox.leftoversStopped().isEmpty()) {
                out.println("Stopped what an earlier sandbox left running: " + String.join(", ", sandbox.leftoversStopped()));
            }
            out.println("Sandbox up: load balancer " + sandbox.url() + ", Prometheus " + sandbox.prometheusUrl());
        }
        useSandbox();
        return this;
    }

    /**
     * Looks at the target without taking it ({@code plan}): the running sandbox, if any, and its fault back end;
     * nothing is locked or started.
     */
    public TargetSetup look() {
        if (scenario.target().kind() == Target.Kind.SANDBOX) {
            SandboxClient.attach(sandboxDir).ifPresent(s -> {
                sandbox = s;
                useSandbox();
            });
        } else {
            baseUrl = scenario.target().url();
        }
        if (sandbox == null) {
            prometheusUrl = scenario.target().prometheus();
        }
        return this;
    }

    private void useSandbox() {
        baseUrl = sandbox.url();
        prometheusUrl = sandbox.prometheusUrl();
        faults.add(Backend.LOCAL, LocalFaultInjector.NAME,
                new JournaledInjector(new LocalFaultInjector(sandbox, runId, new Random()), journal()));
    }

    /** Whether a fault of the scenario goes to the cluster. */
    public boolean needsCluster() {
        return ClusterBackends.needed(scenario);
    }

    /**
     * Connects the cluster's fault back ends (Kubernetes, Chaos Mesh) when {@link #needsCluster()}; their injectors
     * put what they see (evictions, recoveries) on {@code timeline}.
     *
     * @throws FaultException when the cluster cannot be reached
     */
    public TargetSetup connectCluster(Consumer<Event> timeline) {
        if (needsCluster() && cluster == null) {
            cluster = ClusterBackends.connect(scenario.kubernetes(), journal(), runId, timeline);
            cluster.addTo(faults);
        }
        return this;
    }

    /** The run's fault journal, shared by its injectors: it tells the run when someone else reverted one of its faults. */
    public Journal journal() {
        if (journal == null) {
            journal = new Journal(journalDir, runId);
        }
        return journal;
    }

    /** Where the load goes. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The target's Prometheus, or null (a url target that names none, or no sandbox running for {@link #look()}). */
    public String prometheusUrl() {
        return prometheusUrl;
    }

    /** The sandbox in use, or null (a url target, or none running for {@link #look()}). */
    public SandboxClient sandbox() {
        return sandbox;
    }

    /** Every fault back end set up: each fault goes to its own. */
    public FaultRouter faults() {
        return faults;
    }

    /** What the report should say about the target (the sandbox shape used instead of the scenario's). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Stops the sandbox this set-up started, also one still starting up (its daemon stops what it started on SIGTERM). */
    public synchronized void stopOwnSandbox() {
        if (!ownSandbox) {
            return;
        }
        ownSandbox = false;
        if (sandbox != null) {
            sandbox.stop();
        } else {
            SandboxClient.readStateFile(sandboxDir)
                    .flatMap(s -> ProcessHandle.of(s.daemonPid()))
                    .ifPresent(ProcessHandle::destroy);
        }
    }

    /** Closes the cluster client, stops a sandbox started here and releases the sandbox. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        stopOwnSandbox();
        if (lock != null) {
            lock.close();
        }
    }
}
