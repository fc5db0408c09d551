package dev.slogate.load.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Load;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LoadPlan;
import dev.slogate.load.LoadResult;
import dev.slogate.load.LoadRunner;
import dev.slogate.redact.RedactedStream;
import dev.slogate.redact.Secrets;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One injector process of a fleet: {@code --connect 127.0.0.1:PORT --name injector-1}. In a pod of the fleet's Indexed
 * Job ({@code slogate injector --connect IP:PORT --work-dir /tmp/slogate}) the name comes from the pod's index,
 * {@code injector-$JOB_COMPLETION_INDEX}, and Gatling's files go to the pod's own work dir. It receives its share of the
 * load from the coordinator, boots Gatling, reports ready, waits for the common start time, then streams each closed
 * second of its own {@link ClientTimeline} (plus a heartbeat every second) and finally its {@link LoadResult}.
 * It stops when told to, and on its own when the coordinator goes away.
 */
public final class InjectorMain {
    /** Set by Kubernetes in every pod of an Indexed Job (and by slogate's Job explicitly, from the index annotation). */
    public static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    private final BufferedWriter out;
    private final Path workDir;

    private InjectorMain(BufferedWriter out, Path workDir) {
        this.out = out;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        RedactedStream.install(); // its log is a file of the run's work dir: as clean as the console
        String connect = null;
        String name = null;
        Path workDir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connect" -> connect = args[i + 1];
                case "--name" -> name = args[i + 1];
                case "--work-dir" -> workDir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --connect HOST:PORT [--name NAME] [--work-dir DIR]");
            }
        }
        System.exit(serve(connect, name, workDir));
    }

    /**
     * Connects to the coordinator at {@code connect} (HOST:PORT) and runs the share it is given; returns the exit code.
     * {@code name} null: {@code injector-<index>} from {@value #INDEX_ENV}. {@code workDir} null: the coordinator's.
     */
    public static int serve(String connect, String name, Path workDir) throws IOException {
        if (connect == null || connect.lastIndexOf(':') < 1) {
            throw new IllegalArgumentException("--connect HOST:PORT is required (the fleet coordinator's socket)");
        }
        if (name == null) {
            String index = System.getenv(INDEX_ENV);
            if (index == null || !index.matches("\\d+")) {
                throw new IllegalArgumentException("give --name NAME, or run in a pod of an Indexed Job (" + INDEX_ENV + " is "
                        + (index == null ? "not set" : "'" + index + "'") + ")");
            }
            name = "injector-" + index;
        }
        int colon = connect.lastIndexOf(':');
        try (Socket socket = new Socket(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)))) {
            socket.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            InjectorMain injector = new InjectorMain(new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(),
                    StandardCharsets.UTF_8)), workDir);
            injector.send(Wire.message("hello").put("name", name).put("pid", ProcessHandle.current().pid()));
            String planLine = in.readLine();
            if (planLine == null) {
                System.err.println("slogate injector: the coordinator closed the connection before sending a plan (" + name
                        + " is not one of its injectors, or it stopped)");
                return 3;
            }
            return injector.run(Wire.parse(planLine), in);
        }
    }

    private int run(JsonNode plan, BufferedReader in) throws IOException {
        Load load = Wire.load(plan.get("load"));
        Path dir = workDir != null ? workDir : Path.of(plan.get("workDir").asText());
        if (plan.has("files")) {
            // a user's own simulation runs from the copies the coordinator sent, never from its paths
            List<Path> local = SimulationShipment.receive(plan.get("files"), in, dir.resolve("simulation"));
            load = new Load(load.stages(), load.requests(), load.simulation(), load.requestTimeout(), load.journeys(),
                    load.feeders(), local);
        }
        LoadPlan loadPlan = new LoadPlan(plan.get("baseUrl").asText(), load, dir,
                Duration.ofMillis(plan.get("warmUpMillis").asLong()));
        // the plan carries the scenario's credentials (base URL, headers): masked in this process's output too
        Secrets.process().rememberUrl(loadPlan.baseUrl());
        load.requests().forEach(r -> {
            Secrets.process().rememberUrl(r.path());
            Secrets.process().rememberHeaders(r.headers());
            Secrets.process().rememberBody(r.body());
        });
        load.journeys().forEach(j -> j.steps().forEach(st -> {
            Secrets.process().rememberUrl(st.path());
            Secrets.process().rememberHeaders(st.headers());
            Secrets.process().rememberBody(st.body());
        }));
        LoadRunner runner = new LoadRunner();
        CompletableFuture<Long> startAt = new CompletableFuture<>();
        Thread reader = new Thread(() -> listen(in, runner, startAt), "slogate-injector-commands");
        reader.setDaemon(true);
        reader.start();
        runner.startGate(() -> {
            send(Wire.message("ready"));
            long at = startAt.join();
            if (at < 0) {
                return; // stopped before the start: the users see the stop flag and end at once
            }
            sleepUntil(at);
            send(Wire.message("released").put("atMillis", System.currentTimeMillis()));
        });
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-injector-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> send(Wire.message("alive")), 1, 1, TimeUnit.SECONDS);
        ClientTimeline timeline = ClientTimeline.forLoad(load);
        timeline.onSecond(s -> send(Wire.second(s)));
        LoadResult result;
        try {
            result = runner.run(loadPlan, timeline);
        } finally {
            timeline.close(); // sends the last partial second
            heartbeat.shutdownNow();
        }
        List<String> shortages = timeline.journeys().shortages();
        if (!shortages.isEmpty()) {
            // the coordinator's timeline is fed whole seconds and never sees this injector's users: tell it here
            result = new LoadResult(result.gatlingExitCode(), result.stages(), true, String.join("; ", shortages));
        }
        ObjectNode done = Wire.done(result);
        done.set("journeys", Wire.journeyParts(timeline.journeys().parts()));
        send(done);
        return 0;
    }

    private static void listen(BufferedReader in, LoadRunner runner, CompletableFuture<Long> startAt) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode m = Wire.parse(line);
                switch (m.get("type").asText()) {
                    case "start" -> startAt.complete(m.get("atMillis").asLong());
                    case "stop" -> {
                        runner.stop(m.path("reason").asText("stopped by the coordinator"));
                        startAt.complete(-1L);
                    }
                    default -> System.err.println("slogate injector: ignoring " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("slogate injector: coordinator connection failed: " + e);
        }
        // the coordinator is gone: nobody reads our seconds, so stop, and make sure this JVM does not linger
        runner.stop("the coordinator went away");
        startAt.complete(-1L);
        Thread halt = new Thread(() -> {
            sleepUntil(System.currentTimeMillis() + 15_000);
            Runtime.getRuntime().halt(3);
        }, "slogate-injector-orphan");
        halt.setDaemon(true);
        halt.start();
    }

    private synchronized void send(ObjectNode message) {
        try {
            out.write(Wire.line(message));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // the coordinator is gone; the reader thread sees it too and stops the load
        }
    }

    private static void sleepUntil(long epochMillis) {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
