package dev.slogate.load.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadDriver;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import dev.slogate.load.LoadRunner;
import dev.slogate.load.StageResult;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fleet of injector processes on this machine ({@link InjectorMain}), driven as one load: each gets 1/N of every
 * stage's rate, all are released at one common start time (a barrier: each reports ready once Gatling has booted),
 * and their per-second histograms are merged exactly into the run's {@link ClientTimeline#fed fed} timeline as they
 * arrive, so stop conditions, faults and SLOs work on the fleet's seconds as they would on one injector's.
 *
 * <p>An injector that sends nothing for {@value #SILENCE_MILLIS} ms, dies, or holds less than 95 % of its share makes
 * the load {@link LoadResult#saturated() saturated} (the run is inconclusive) with its name and why; the others are
 * stopped. Notes for the report say what each injector achieved and how far apart they started.
 */
public final class Fleet implements LoadDriver {
    static final long SILENCE_MILLIS = 3_000;
    /** After every injector has connected: time to boot Gatling. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** Released injectors mark their start this far into a second, so a few hundred ms of skew keep one start second. */
    private static final long START_OFFSET_IN_SECOND = 300;

    private final int size;
    private final InjectorLauncher launcher;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final TreeMap<Long, List<ClientSecond>> pending = new TreeMap<>();
    private long lastEmitted = Long.MIN_VALUE; // guarded by pending
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

    /** One injector and what the coordinator knows of it. */
    private final class Member {
        final String name;
        final InjectorLauncher.Injector injector;
        volatile BufferedWriter out;
        volatile Thread reader;
        volatile long lastHeard = System.currentTimeMillis();
        volatile long lastSecond = Long.MIN_VALUE;
        volatile boolean ready;
        volatile long releasedAt = -1;
        volatile LoadResult done;
        volatile String failure;
        /** The failure already says what the injector's site knows (its exit, its pod): no post-mortem needed. */
        volatile boolean explained;

        Member(InjectorLauncher.Injector injector) {
            this.name = injector.name();
            this.injector = injector;
        }

        String label() {
            return injector.label();
        }

        boolean finished() {
            return done != null || failure != null;
        }

        synchronized void send(ObjectNode message) {
            BufferedWriter w = out;
            if (w == null) {
                return;
            }
            try {
                w.write(Wire.line(message));
                w.write('\n');
                w.flush();
            } catch (IOException gone) {
                // the reader sees the closed connection; the monitor names the injector
            }
        }

        void read(BufferedReader in) {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    lastHeard = System.currentTimeMillis();
                    JsonNode m = Wire.parse(line);
                    switch (m.get("type").asText()) {
                        case "ready" -> ready = true;
                        case "released" -> releasedAt = m.get("atMillis").asLong();
                        case "second" -> {
                            ClientSecond s = Wire.second(m);
                            boolean late;
                            synchronized (pending) {
                                // the fleet's seconds go out in order: one already merged without this part stays so
                                late = s.epochSecond() <= lastEmitted;
                                if (!late && failure == null) {
                                    pending.computeIfAbsent(s.epochSecond(), k -> new ArrayList<>()).add(s);
                                }
                                lastSecond = Math.max(lastSecond, s.epochSecond());
                            }
                            if (late) {
                                fail(this, "reported a second after the fleet had merged it without it (over the"
                                        + " request timeout + " + SILENCE_MILLIS / 1000 + " s late)");
                            }
                        }
                        case "done" -> done = Wire.done(m);
                        default -> { } // alive
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (done == null) {
                    fail(this, "lost its connection (" + e.getMessage() + ")");
                }
            }
        }
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
            launch(plan, server.getLocalPort());
            try {
                connect(server, plan);
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
        launcher.launch(names, port, plan).forEach(i -> members.add(new Member(i)));
    }

    /** Injectors that did not connect in time, or a stop before they did: the load never started. */
    private static final class NotStarted extends Exception {
        NotStarted(String message) {
            super(message);
        }
    }

    /** Accepts every injector's connection, sends each its plan, and waits until all have booted Gatling. */
    private void connect(ServerSocket server, LoadPlan plan) throws IOException, NotStarted {
        long deadline = System.currentTimeMillis() + launcher.connectTimeout().toMillis();
        server.setSoTimeout(250);
        int connected = 0;
        while (connected < size) {
            if (stopReason != null) {
                throw new NotStarted("stopped while waiting for the injectors to connect: " + stopReason);
            }
            if (System.currentTimeMillis() > deadline) {
                List<String> missing = members.stream().filter(m -> m.out == null).map(Member::label).toList();
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
            Member m = members.stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
            if (m == null || m.out != null) {
                s.close(); // not ours (another run's pod?) or a second connection under one name: not counted
                continue;
            }
            m.out = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
            ObjectNode planMessage = Wire.message("plan").put("baseUrl", plan.baseUrl())
                    .put("workDir", plan.workDir().resolve(name).toAbsolutePath().toString())
                    .put("warmUpMillis", plan.warmUp().toMillis());
            planMessage.set("load", Wire.load(FleetMath.share(plan.load(), size)));
            m.send(planMessage);
            if (stopReason != null) {
                m.send(Wire.message("stop").put("reason", stopReason));
            }
            Thread t = new Thread(() -> m.read(in), "slogate-fleet-" + name);
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
        for (Member m : members) {
            Optional<String> ended = m.injector.ended();
            if (ended.isPresent() && !m.finished()) {
                // the load never started because of the injector, not the system under test: inconclusive
                throw new NotStarted(m.label() + " " + ended.get() + " before the start" + m.injector.evidence());
            }
        }
        if (System.currentTimeMillis() > deadline) {
            List<String> late = members.stream().filter(m -> !m.ready).map(Member::label).toList();
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
            for (Member m : members) {
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
            emitReady(timeline, now, ClientTimeline.finalAfter(plan.load()).toMillis());
            if (members.stream().allMatch(Member::finished)) {
                break;
            }
            if (now > hardDeadline) {
                members.stream().filter(m -> !m.finished())
                        .forEach(m -> fail(m, "did not finish within 30 s after the load's planned end"));
                break;
            }
            sleep(100);
        }
        emitAll(timeline);
    }

    /** Merges and emits, oldest first, each second every live injector has reported (or waited on for too long). */
    private void emitReady(ClientTimeline timeline, long now, long finalAfterMillis) {
        while (true) {
            Map.Entry<Long, List<ClientSecond>> first;
            List<Member> missing;
            synchronized (pending) {
                first = pending.firstEntry();
                if (first == null) {
                    return;
                }
                long s = first.getKey();
                missing = members.stream().filter(m -> !m.finished() && m.lastSecond < s).toList();
                // an injector's second turns final only once its requests have outcomes (up to the timeout + grace)
                if (!missing.isEmpty() && now <= (s + 1) * 1000 + finalAfterMillis + SILENCE_MILLIS) {
                    return;
                }
                pending.pollFirstEntry();
                lastEmitted = s;
            }
            missing.forEach(m -> fail(m, "sent no report of second " + first.getKey() % 1000 + " (of the minute "
                    + Instant.ofEpochSecond(first.getKey()) + ") within " + (finalAfterMillis + SILENCE_MILLIS) / 1000
                    + " s"));
            timeline.add(FleetMath.merge(first.getKey(), first.getValue()));
        }
    }

    private void emitAll(ClientTimeline timeline) {
        synchronized (pending) {
            pending.forEach((s, parts) -> timeline.add(FleetMath.merge(s, parts)));
            pending.keySet().stream().reduce((a, b) -> b).ifPresent(s -> lastEmitted = s);
            pending.clear();
        }
    }

    private void fail(Member m, String why) {
        synchronized (m) {
            if (m.finished()) {
                return;
            }
            m.failure = why;
        }
        stop(m.name + " failed: " + why);
    }

    private LoadResult result(LoadPlan plan, ClientTimeline timeline, long startAt) {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "fleet: %s, each sending 1/%d of every stage's rate", launcher.describe(size), size));
        long[] released = members.stream().mapToLong(m -> m.releasedAt).filter(t -> t >= 0).sorted().toArray();
        if (released.length > 0) {
            lines.add(String.format(Locale.ROOT, "fleet: start skew %d ms (injectors released %d to %d ms after the common start time)",
                    released[released.length - 1] - released[0], released[0] - startAt, released[released.length - 1] - startAt));
        }
        for (Member m : members) {
            if (m.failure != null) {
                String why = m.explained ? m.failure : m.failure + m.injector.postMortem();
                problems.add(m.label() + " " + why);
                lines.add(m.label() + ": FAILED, " + why);
            } else if (m.done != null) {
                if (m.done.saturated()) {
                    problems.add(m.label() + " fell below 95 % of its share: " + m.done.message());
                }
                for (StageResult s : m.done.stages()) {
                    lines.add(String.format(Locale.ROOT, "%s: stage %d (%s): share %.1f rps, achieved %.1f rps", m.label(),
                            s.index() + 1, s.kind(), s.targetRps(), s.achievedRps()));
                }
            }
        }
        synchronized (notes) {
            notes.addAll(lines);
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
        for (Member m : members) {
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
