package dev.slogate.load.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientTimeline;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

/**
 * The fleet coordinator's CPU per fleet-second: for N injectors, what the coordinator does with one second of the
 * fleet, through its own classes. Per injector: {@link FleetMember#read} of one {@code second} line (UTF-8 decoding,
 * {@link Wire#parse}, {@link Wire#second} decoding its histograms, {@link FleetSeconds#offer}); then once for the
 * second: {@link FleetSeconds#emitReady} ({@link FleetMath#merge}, exact HdrHistogram addition, and
 * {@link ClientTimeline#add} to a fed timeline without listeners). In a run the reads happen on one thread per injector
 * and the merge on the monitor thread; here all run on one thread, so its CPU time is the sum.
 *
 * <p>Not included: the socket's kernel work, and the listeners of the run's timeline (stop conditions, SLOs, dashboard),
 * which see one merged second whatever N is. Each part is read through a fresh reader (a real connection keeps one),
 * a few µs per part more than a run pays.
 *
 * <p>The parts are synthetic injector-seconds, encoded with {@link Wire} as an injector sends them: each injector
 * sends between {@code bench.rps} ({@code min-max}) requests a second, latencies log-normal (a body around 15 ms and a
 * tail around 300 ms, clamped to 0.2 ms..5 s), 2 request names OK plus small HTTP-error series and sometimes a few
 * timeouts: 4-5 histograms a part. System properties: {@code bench.injectors} ("1 10 50 100"; 1 is the peer the
 * ratios are against), {@code bench.seconds} (60 fleet-seconds per pass), {@code bench.repeats} (3 measured passes,
 * after two warm-up passes), {@code bench.rps} ("1000-2500").
 */
public final class MergeCostBench {
    private static final ClientSecond.SeriesKey HOME_OK = new ClientSecond.SeriesKey("home", StatusClass.OK);
    private static final ClientSecond.SeriesKey SEARCH_OK = new ClientSecond.SeriesKey("search", StatusClass.OK);
    private static final ClientSecond.SeriesKey HOME_ERROR = new ClientSecond.SeriesKey("home", StatusClass.HTTP_ERROR);
    private static final ClientSecond.SeriesKey SEARCH_ERROR = new ClientSecond.SeriesKey("search", StatusClass.HTTP_ERROR);
    private static final ClientSecond.SeriesKey SEARCH_TIMEOUT = new ClientSecond.SeriesKey("search", StatusClass.TIMEOUT);
    private static final long TIMEOUT_MICROS = 5_000_000;
    /** Distinct synthetic injector-seconds; each (second, injector) takes one, stamped with its own second. */
    private static final int SHAPES = 200;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private MergeCostBench() {
    }

    public static void main(String[] args) {
        int[] sizes = Arrays.stream(System.getProperty("bench.injectors", "1 10 50 100").trim().split("[\\s,]+"))
                .mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.seconds", 60);
        int repeats = Integer.getInteger("bench.repeats", 3);
        String[] rps = System.getProperty("bench.rps", "1000-2500").split("-");
        int minRps = Integer.parseInt(rps[0].trim());
        int maxRps = Integer.parseInt(rps[rps.length - 1].trim());
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);

        long t0 = System.nanoTime();
        List<ClientSecond> shapes = shapes(new Random(42), minRps, maxRps);
        Map<Integer, Traffic> fleets = new LinkedHashMap<>();
        long base = System.currentTimeMillis() / 1000 - 10 * seconds;
        for (int n : sizes) {
            fleets.put(n, new Traffic(n, seconds, base, shapes));
        }
        System.err.printf(Locale.ROOT, "parts built and encoded in %.1f s; warming up...%n", (System.nanoTime() - t0) / 1e9);

        fleets.values().forEach(f -> f.pass(null)); // JIT: a fresh JVM compiles the decode and merge paths first
        fleets.values().forEach(f -> f.pass(null));
        Map<Integer, Samples> results = new LinkedHashMap<>();
        fleets.keySet().forEach(n -> results.put(n, new Samples()));
        for (int r = 0; r < repeats; r++) {
            // sizes interleaved, so a change of the machine's load touches every size alike
            fleets.forEach((n, f) -> f.pass(results.get(n)));
        }
        System.err.printf(Locale.ROOT, "measured in %.1f s in all%n", (System.nanoTime() - t0) / 1e9);
        print(fleets, results, seconds, repeats);
    }

    /** Synthetic injector-seconds (epoch second 0): the histograms an injector would have recorded. */
    private static List<ClientSecond> shapes(Random random, int minRps, int maxRps) {
        List<ClientSecond> out = new ArrayList<>();
        for (int k = 0; k < SHAPES; k++) {
            int requests = minRps + random.nextInt(maxRps - minRps + 1);
            Map<ClientSecond.SeriesKey, Histogram> latency = new HashMap<>();
            int timeouts = random.nextBoolean() ? 1 + random.nextInt(4) : 0;
            int errors = Math.max(1, Math.round(requests * 0.02f * random.nextFloat()));
            for (int i = 0; i < requests - timeouts - errors; i++) {
                ClientSecond.SeriesKey key = random.nextInt(100) < 62 ? HOME_OK : SEARCH_OK;
                latency.computeIfAbsent(key, x -> LatencyHistograms.create()).recordValue(latency(random));
            }
            for (int i = 0; i < errors; i++) {
                ClientSecond.SeriesKey key = random.nextInt(100) < 75 ? HOME_ERROR : SEARCH_ERROR;
                long micros = Math.round(5_000 * Math.exp(0.8 * random.nextGaussian())); // fast refusals, ~5 ms
                latency.computeIfAbsent(key, x -> LatencyHistograms.create()).recordValue(clamp(micros));
            }
            if (timeouts > 0) {
                latency.computeIfAbsent(SEARCH_TIMEOUT, x -> LatencyHistograms.create()).recordValueWithCount(TIMEOUT_MICROS, timeouts);
            }
            out.add(new ClientSecond(0, requests, requests, latency));
        }
        return out;
    }

    /** Log-normal-ish: 90 % a body around 15 ms, 10 % a tail around 300 ms; 0.2 ms..5 s. */
    private static long latency(Random random) {
        boolean tail = random.nextInt(10) == 0;
        double median = tail ? 300_000 : 15_000;
        double sigma = tail ? 1.2 : 0.9;
        return clamp(Math.round(median * Math.exp(sigma * random.nextGaussian())));
    }

    private static long clamp(long micros) {
        return Math.max(200, Math.min(micros, TIMEOUT_MICROS));
    }

    /** One injector as the coordinator knows it before its connection: nothing ends it here. */
    private record StubInjector(String name) implements InjectorLauncher.Injector {
        @Override
        public String label() {
            return name;
        }

        @Override
        public Optional<String> ended() {
            return Optional.empty();
        }
    }

    /** What one size of fleet sends: {@code lines[second][injector]}, the bytes of each {@code second} message. */
    private static final class Traffic {
        final int size;
        final byte[][][] lines;
        final long[] sentPerSecond;
        final long base;
        final long bytesMedian;
        final double fleetRps;
        final Load load;

        Traffic(int size, int seconds, long base, List<ClientSecond> shapes) {
            this.size = size;
            this.base = base;
            this.lines = new byte[seconds][size][];
            this.sentPerSecond = new long[seconds];
            long[] bytes = new long[seconds * size];
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < size; i++) {
                    ClientSecond shape = shapes.get((s * size + i * 7) % shapes.size());
                    // as an injector sends it: its second, encoded by Wire, one line
                    ObjectNode m = Wire.second(new ClientSecond(base + s, shape.targetRps(), shape.sent(), shape.latency()));
                    lines[s][i] = (Wire.line(m) + "\n").getBytes(StandardCharsets.UTF_8);
                    bytes[s * size + i] = lines[s][i].length;
                    sentPerSecond[s] += shape.sent();
                }
            }
            this.bytesMedian = median(bytes);
            this.fleetRps = Arrays.stream(sentPerSecond).average().orElse(0);
            this.load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(fleetRps), new Rate(fleetRps),
                    Duration.ofSeconds(seconds))), List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 62),
                    new RequestSpec("search", "GET", "/search", Map.of(), null, 200, 38)), null, Duration.ofSeconds(5));
        }

        /** One pass over every second: a new coordinator state, the seconds read and merged as they arrive. */
        void pass(Samples into) {
            FleetSeconds fleetSeconds = new FleetSeconds();
            List<FleetMember> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                members.add(new FleetMember(new StubInjector("injector-" + (i + 1))));
            }
            ClientTimeline timeline = ClientTimeline.fed(load);
            long finalAfter = ClientTimeline.finalAfter(load).toMillis();
            BiConsumer<FleetMember, String> fail = (m, why) -> {
                throw new IllegalStateException(m.name + " failed: " + why);
            };
            long gc0 = gcMillis();
            long process0 = OS.getProcessCpuTime();
            for (int s = 0; s < lines.length; s++) {
                long wall0 = System.nanoTime();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < size; i++) {
                    // the member's reader thread: a line from its connection, decoded and offered
                    members.get(i).read(new BufferedReader(new InputStreamReader(new ByteArrayInputStream(lines[s][i]),
                            StandardCharsets.UTF_8)), fleetSeconds, fail);
                }
                long cpu1 = THREADS.getCurrentThreadCpuTime();
                // the monitor thread: every member reported, so the second is merged and added to the timeline
                fleetSeconds.emitReady(timeline, members, System.currentTimeMillis(), finalAfter, fail);
                long cpu2 = THREADS.getCurrentThreadCpuTime();
                long wall2 = System.nanoTime();
                long alloc2 = THREADS.getCurrentThreadAllocatedBytes();
                if (into != null) {
                    into.add(cpu1 - cpu0, cpu2 - cpu1, wall2 - wall0, alloc2 - alloc0);
                }
            }
            long processNanos = OS.getProcessCpuTime() - process0;
            long gc = gcMillis() - gc0;
            check(timeline);
            if (into != null) {
                into.processNanos += processNanos;
                into.gcMillis += gc;
                into.passes++;
            }
        }

        /** The bench measures nothing if the seconds did not arrive whole: every second merged, every request in it. */
        private void check(ClientTimeline timeline) {
            List<ClientSecond> merged = timeline.seconds();
            if (merged.size() != lines.length) {
                throw new IllegalStateException(merged.size() + " seconds merged of " + lines.length);
            }
            for (int s = 0; s < lines.length; s++) {
                ClientSecond m = merged.get(s);
                if (m.epochSecond() != base + s || m.sent() != sentPerSecond[s] || m.completed() != sentPerSecond[s]) {
                    throw new IllegalStateException("second " + s + ": merged " + m.sent() + " sent, " + m.completed()
                            + " completed; the parts sent " + sentPerSecond[s]);
                }
            }
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Per fleet-second: nanoseconds of this thread's CPU reading and merging, wall time, bytes allocated. */
    private static final class Samples {
        final List<long[]> rows = new ArrayList<>();
        long processNanos;
        long gcMillis;
        int passes;

        void add(long readCpu, long mergeCpu, long wall, long alloc) {
            rows.add(new long[] {readCpu, mergeCpu, readCpu + mergeCpu, wall, alloc});
        }

        long[] column(int c) {
            return rows.stream().mapToLong(r -> r[c]).toArray();
        }
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static void print(Map<Integer, Traffic> fleets, Map<Integer, Samples> results, int seconds, int repeats) {
        Integer peer = fleets.containsKey(1) ? 1 : fleets.keySet().iterator().next();
        double peerCpu = median(results.get(peer).column(2));
        System.out.printf(Locale.ROOT, "coordinator work per fleet-second (decode N parts + merge + add), one thread;"
                + " %d fleet-seconds per N (%d passes x %d)%n", results.get(peer).rows.size(), repeats, seconds);
        System.out.printf(Locale.ROOT, "%4s %8s %7s | %8s %8s | %9s %9s | %9s %9s | %6s %6s | %7s %6s | %8s %5s %7s%n",
                "N", "fleet", "B/part", "decode", "merge", "CPU µs", "CPU µs", "wall µs", "wall µs", "core", "core",
                "µs per", "x N=1", "JVM CPU", "GC", "alloc");
        System.out.printf(Locale.ROOT, "%4s %8s %7s | %8s %8s | %9s %9s | %9s %9s | %6s %6s | %7s %6s | %8s %5s %7s%n",
                "", "rps", "median", "µs med", "µs med", "median", "max", "median", "max", "median", "max",
                "inject.", "(CPU)", "µs/s", "ms/s", "MB/s");
        results.forEach((n, r) -> {
            Traffic f = fleets.get(n);
            long cpu = median(r.column(2));
            long cpuMax = max(r.column(2));
            int count = r.rows.size();
            System.out.printf(Locale.ROOT, "%4d %8.0f %7d | %8.0f %8.0f | %9.0f %9.0f | %9.0f %9.0f | %5.2f%% %5.2f%% | %7.1f %6.1f"
                            + " | %8s %5.2f %7.1f%n",
                    n, f.fleetRps, f.bytesMedian, median(r.column(0)) / 1e3, median(r.column(1)) / 1e3, cpu / 1e3,
                    cpuMax / 1e3, median(r.column(3)) / 1e3, max(r.column(3)) / 1e3, cpu / 1e7, cpuMax / 1e7,
                    cpu / 1e3 / n, cpu / peerCpu,
                    // the process's CPU clock ticks in 10 ms: below 0.2 s in all it says nothing
                    r.processNanos < 200_000_000 ? "-" : String.format(Locale.ROOT, "%.0f", r.processNanos / 1e3 / count),
                    (double) r.gcMillis / count,
                    median(r.column(4)) / 1e6);
        });
        System.out.println("core = CPU µs / 1e6: the share of one core when a fleet-second arrives every second;"
                + " JVM CPU = the whole process's CPU (GC, JIT,\n  this thread) over the passes per fleet-second (- when too"
                + " short to read); GC = collector time per fleet-second; alloc = this thread's allocation per fleet-second");
    }
}
