package dev.slogate.load.fleet;

import static dev.slogate.timeline.Sleep.sleep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadDriver;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import dev.slogate.load.LoadRunner;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fleet of injector processes on this machine ({@link InjectorMain}), driven as one load: each gets 1/N of every
 * stage's rate, all are released at one common start time (a barrier: each reports ready once Gatling has booted),
 * and their per-second histograms are merged exactly into the run's {@link ClientTimeline#fed fed} timeline as they
 * arrive, so stop conditions, faults and SLOs work on the fleet's seconds as they would on one injector's.
 *
 * <p>An injector that sends nothing for {@value #SILENCE_MILLIS} ms, dies, or holds less than 95 % of its share makes
 * the load {@link LoadResult#saturated() saturated} (the run is inconclusive) with its name and why; the others are
 * stopped. Notes for the report say what each injector achieved and how far apart they started ({@link FleetAccount}).
 * Each injector's connection and state is a {@link FleetMember}; their seconds meet in {@link FleetSeconds}.
 */
public final class Fleet implements LoadDriver {
    static final long SILENCE_MILLIS = 3_000;
    /** After every injector has connected: time to boot Gatling. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** Released injectors mark their start this far into a second, so a few hundred ms of skew keep one start second. */
    private static final long START_OFFSET_IN_SECOND = 300;

    private final int size;
    private final InjectorLauncher launcher;
    private final List<FleetMember> members = new CopyOnWriteArrayList<>();
    private final FleetSeconds seconds = new FleetSeconds();
    private final List<String> notes = new ArrayList<>();
    private volatile String stopReason;
    private volatile long stoppedAtMillis = -1;

    /** {@code size} injector processes with the default JVM flags plus {@code SLOGATE_INJECTOR_JAVA_OPTS}. */
    public Fleet(int size) {
        this(size, defaultFlags());
    }

    public Fleet(int size, List<String> jvmFlags) {
        this(size, new LocalInjectors(jvmFlags));
    }

    /** {@code size} injectors started by {@code launcher} (processes here, or the pods of a Kubernetes Job). */
    public Fleet(int size, InjectorLauncher launcher) {
        if (size < 1) {
            throw new IllegalArgumentException("--injectors must be at least 1, was " + size);
        }
        this.size = size;
        this.launcher = launcher;
    }

    static List<String> defaultFlags() {
        List<String> flags = new ArrayList<>(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-XX:+UseParallelGC", "-Xss512k", "-Xmx512m"));
        String extra = System.getenv("SLOGATE_INJECTOR_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            flags.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        return flags;
    }

    /** The injector processes on this machine (for tests and tools that want to watch or kill one). */
    public List<ProcessHandle> processes() {
        return members.stream().flatMap(m -> m.injector.process().stream()).toList();
    }

    @Override
    public List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }

    @Override
    public void stop(String reason) {
        String r = reason == null || reason.isBlank() ? "stopped" : reason;
        if (stopReason == null) {
            stopReason = r;
            stoppedAtMillis = System.currentTimeMillis();
        }
        members.forEach(m -> m.send(Wire.message("stop").put("reason", r)));
    }

    @Override
    public LoadResult run(LoadPlan plan, ClientTimeline timeline) {
        if (!timeline.isFed()) {
            throw new IllegalArgumentException("a fleet feeds merged seconds: pass ClientTimeline.fed(load)");
        }
        InetSocketAddress listen = launcher.listenOn();
        try (ServerSocket server = new ServerSocket(listen.getPort(), Math.max(50, size), listen.getAddress())) {
            Files.createDirectories(plan.workDir());
            // built before any injector starts: a classpath too large to ship fails the run here, not in a pod
            SimulationShipment shipment = plan.load().isOwnSimulation()
                    ? SimulationShipment.of(plan.load().simulationClasspath(), plan.workDir().resolve("simulation-shipment"))
                    : null;
            launch(plan, server.getLocalPort());
            try {
                connect(server, plan, shipment);
            } catch (NotStarted e) {
                synchronized (notes) {
                    notes.add("fleet: " + launcher.describe(size) + "; " + e.getMessage());
                }
                return new LoadResult(0, List.of(), true, "the injector fleet never started: " + e.getMessage());
            }
            long start = release(plan, timeline);
            if (start >= 0) {
                monitor(plan, timeline);
            }
            return result(plan, timeline, start);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the injector fleet: " + e.getMessage(), e);
        } finally {
            shutDown();
        }
    }

    private void launch(LoadPlan plan, int port) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            names.add(launcher.name(i));
        }
        launcher.launch(names, port, plan).forEach(i -> members.add(new FleetMember(i)));
    }

    /** Injectors that did not connect in time, or a stop before they did: the load never started. */
    private static final class NotStarted extends Exception {
        NotStarted(String message) {
            super(message);
        }
    }

    /**
     * Accepts every injector's connection, sends each its plan (and the files of a user's own simulation,
     * {@code shipment}, when there is one), and waits until all have booted Gatling.
     */
    private void connect(ServerSocket server, LoadPlan plan, SimulationShipment shipment) throws IOException, NotStarted {
        long deadline = System.currentTimeMillis() + launcher.connectTimeout().toMillis();
        server.setSoTimeout(250);
        int connected = 0;
        while (connected < size) {
            if (stopReason != null) {
                throw new NotStarted("stopped while waiting for the injectors to connect: " + stopReason);
            }
            if (System.currentTimeMillis() > deadline) {
                List<String> missing = members.stream().filter(m -> m.out == null).map(FleetMember::label).toList();
                throw new NotStarted(String.join(", ", missing) + " did not connect within "
                        + launcher.connectTimeout().toSeconds() + " s"
                        + launcher.whyNotConnected(members.stream().filter(m -> m.out == null).map(m -> m.name).toList())
                                .map(w -> " (" + w + ")").orElse(""));
            }
            checkBooting(deadline, "connect");
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException again) {
                continue;
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000); // a connection that never says hello must not hang the run
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String name;
            try {
                name = Wire.parse(Objects.requireNonNull(in.readLine(), "hung up")).get("name").asText();
                s.setSoTimeout(0);
            } catch (IOException | RuntimeException notAnInjector) {
                s.close(); // a connection that does not say hello (a probe, a scanner) is not one of ours
                continue;
            }
            FleetMember m = members.stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
            if (m == null || m.out != null) {
                s.close(); // not ours (another run's pod?) or a second connection under one name: not counted
                continue;
            }
            m.out = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
            ObjectNode planMessage = Wire.message("plan").put("baseUrl", plan.baseUrl())
                    .put("workDir", plan.workDir().resolve(name).toAbsolutePath().toString())
                    .put("warmUpMillis", plan.warmUp().toMillis());
            // each injector its own rows of a feeder that hands rows out once: no row goes to two injectors
            planMessage.set("load", Wire.load(FleetMath.share(plan.load(), size).forInjector(members.indexOf(m), size)));
            if (shipment != null) {
                planMessage.set("files", shipment.manifest());
            }
            m.send(planMessage);
            if (shipment != null) {
                long sending = System.currentTimeMillis();
                shipment.send(m::send);
                deadline += System.currentTimeMillis() - sending; // the others wait in the backlog meanwhile
            }
            if (stopReason != null) {
                m.send(Wire.message("stop").put("reason", stopReason));
            }
            Thread t = new Thread(() -> m.read(in, seconds, this::fail), "slogate-fleet-" + name);
            t.setDaemon(true);
            m.reader = t;
            t.start();
            connected++;
        }
        deadline = System.currentTimeMillis() + BOOT_TIMEOUT.toMillis();
        while (!members.stream().allMatch(m -> m.ready || m.finished())) {
            checkBooting(deadline, "boot Gatling");
            sleep(50);
        }
    }

    private void checkBooting(long deadline, String what) throws IOException, NotStarted {
        for (FleetMember m : members) {
            Optional<String> ended = m.injector.ended();
            if (ended.isPresent() && !m.finished()) {
                // the load never started because of the injector, not the system under test: inconclusive
                throw new NotStarted(m.label() + " " + ended.get() + " before the start" + m.injector.evidence());
            }
        }
        if (System.currentTimeMillis() > deadline) {
            List<String> late = members.stream().filter(m -> !m.ready).map(FleetMember::label).toList();
            throw new IOException(String.join(", ", late) + " did not " + what + " within " + BOOT_TIMEOUT.toSeconds()
                    + " s; the machine may be short of CPU or memory for " + size + " injector JVMs");
        }
    }

    /** Gives every injector one start time; returns it (epoch ms), or -1 when the fleet was stopped before it. */
    private long release(LoadPlan plan, ClientTimeline timeline) {
        if (stopReason != null) {
            return -1;
        }
        long warmUp = plan.warmUp().toMillis();
        long earliest = System.currentTimeMillis() + 300 + warmUp;
        long measuredStart = Math.floorDiv(earliest - START_OFFSET_IN_SECOND + 999, 1000) * 1000 + START_OFFSET_IN_SECOND;
        long startAt = measuredStart - warmUp;
        timeline.markStart(Instant.ofEpochMilli(measuredStart));
        members.forEach(m -> {
            m.lastHeard = Math.max(m.lastHeard, startAt);
            m.send(Wire.message("start").put("atMillis", startAt));
        });
        return startAt;
    }

    private void monitor(LoadPlan plan, ClientTimeline timeline) {
        Duration timeout = plan.load().requestTimeout() == null ? Duration.ofSeconds(60) : plan.load().requestTimeout();
        long hardDeadline = System.currentTimeMillis() + plan.warmUp().plus(plan.load().duration()).plus(timeout)
                .plusSeconds(30).toMillis();
        while (true) {
            long now = System.currentTimeMillis();
            for (FleetMember m : members) {
                if (m.finished()) {
                    continue;
                }
                Optional<String> ended = m.injector.ended();
                if (ended.isPresent()) {
                    joinQuietly(m.reader); // it may have sent its result just before exiting
                    if (m.done == null) {
                        m.explained = true;
                        fail(m, ended.get() + " before reporting its result" + m.injector.evidence());
                    }
                } else if (now - m.lastHeard > SILENCE_MILLIS) {
                    fail(m, String.format(Locale.ROOT, "sent no report for %.1f s", (now - m.lastHeard) / 1000.0));
                }
            }
            seconds.emitReady(timeline, members, now, ClientTimeline.finalAfter(plan.load()).toMillis(), this::fail);
            if (members.stream().allMatch(FleetMember::finished)) {
                break;
            }
            if (now > hardDeadline) {
                members.stream().filter(m -> !m.finished())
                        .forEach(m -> fail(m, "did not finish within 30 s after the load's planned end"));
                break;
            }
            sleep(100);
        }
        seconds.emitAll(timeline);
    }

    private void fail(FleetMember m, String why) {
        synchronized (m) {
            if (m.finished()) {
                return;
            }
            m.failure = why;
        }
        stop(m.name + " failed: " + why);
    }

    private LoadResult result(LoadPlan plan, ClientTimeline timeline, long startAt) {
        members.forEach(m -> m.journeys.forEach(timeline.journeys()::add));
        FleetAccount account = FleetAccount.of(launcher.describe(size), size, startAt, members);
        List<String> problems = account.problems();
        synchronized (notes) {
            notes.addAll(account.notes());
        }
        if (startAt < 0 || timeline.start().isEmpty()) {
            String why = problems.isEmpty() ? "stopped before the start: " + stopReason : String.join("; ", problems);
            return new LoadResult(0, List.of(), true, "the injector fleet never started: " + why);
        }
        long start = timeline.start().get().toEpochMilli();
        long end = stoppedAtMillis >= 0 ? stoppedAtMillis : System.currentTimeMillis();
        // a failed injector stopped the others: that stop is the fleet's own, not the run's
        String externalStop = problems.isEmpty() ? stopReason : null;
        LoadResult merged = LoadRunner.summarize(plan.load(), start, end, timeline.seconds(), 0, externalStop);
        if (problems.isEmpty()) {
            return merged;
        }
        return new LoadResult(0, merged.stages(), true, "the injector fleet could not hold the requested rate: "
                + String.join("; ", problems) + ". The other injectors were stopped. The results describe the fleet,"
                + " not the system under test: see each injector's log in " + plan.workDir() + ".");
    }

    private void shutDown() {
        for (FleetMember m : members) {
            BufferedWriter w = m.out;
            try {
                if (w != null) {
                    w.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        launcher.close();
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
