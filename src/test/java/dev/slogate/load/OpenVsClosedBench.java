package dev.slogate.load;

import com.sun.management.OperatingSystemMXBean;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Injector CPU per request, one run per JVM: {@code open|closed <rps> <measuredSeconds> <warmUpSeconds> <baseUrl>}.
 * CPU is this process's CPU time over the measured whole seconds; requests are those completed in the same seconds.
 * A fresh JVM compiles for its first ~10 s, so those are not measured: the open model uses slogate's own unrecorded
 * warm-up ({@link LoadPlan#warmUp()}), or with {@code -Dslogate.bench.openWarmUp=false} starts cold at full rate like
 * the closed model and skips the warm-up seconds in the measurement. Totals (errors, sockets) cover the whole run.
 */
public final class OpenVsClosedBench {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        double rps = Double.parseDouble(args[1]);
        int measured = Integer.parseInt(args[2]);
        int warmUpSeconds = Integer.parseInt(args[3]);
        String baseUrl = args[4];
        boolean builtInWarmUp = mode.equals("open") && !"false".equals(System.getProperty("slogate.bench.openWarmUp"));
        int skip = builtInWarmUp ? 0 : warmUpSeconds;
        Duration duration = Duration.ofSeconds(skip + measured + 1);
        Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(rps), new Rate(rps), duration)),
                List.of(new RequestSpec("home", "GET", "/", Map.of(), null, 200, 1)),
                mode.equals("closed") ? ClosedThrottledSimulation.class.getName() : null, Duration.ofSeconds(5));

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<Long, Long> cpuAtEndOf = new ConcurrentHashMap<>();
        Map<Long, Long> gcMsAtEndOf = new ConcurrentHashMap<>();
        AtomicInteger maxSockets = new AtomicInteger();
        ClientTimeline timeline = ClientTimeline.forLoad(load);
        timeline.onSecond(s -> {
            cpuAtEndOf.put(s.epochSecond(), os.getProcessCpuTime());
            gcMsAtEndOf.put(s.epochSecond(), ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum());
            maxSockets.accumulateAndGet(openSockets(), Math::max);
        });
        Path work = Files.createTempDirectory("slogate-bench");
        Duration warmUp = Duration.ofSeconds(builtInWarmUp ? warmUpSeconds : 0);
        LoadResult result = new LoadRunner().run(new LoadPlan(baseUrl, load, work, warmUp), timeline);
        timeline.close();

        List<ClientSecond> active = timeline.seconds().stream().filter(s -> s.sent() > 0).toList();
        // the window: after the warm-up seconds, up to the last whole second with sends
        List<ClientSecond> window = active.subList(Math.min(skip + 1, active.size() - 2), active.size() - 1);
        ClientSecond before = active.get(active.indexOf(window.get(0)) - 1);
        ClientSecond last = window.get(window.size() - 1);
        long sent = window.stream().mapToLong(ClientSecond::sent).sum();
        long completed = window.stream().mapToLong(ClientSecond::completed).sum();
        StringBuilder errors = new StringBuilder();
        for (StatusClass c : StatusClass.values()) {
            long n = timeline.seconds().stream().mapToLong(s -> s.count(c)).sum();
            if (c != StatusClass.OK && n > 0) {
                errors.append(' ').append(c.id()).append('=').append(n);
            }
        }
        double cpuSeconds = (cpuAtEndOf.get(last.epochSecond()) - cpuAtEndOf.get(before.epochSecond())) / 1e9;
        long gcMs = gcMsAtEndOf.get(last.epochSecond()) - gcMsAtEndOf.get(before.epochSecond());
        int wall = window.size();
        var merged = LatencyHistograms.create();
        window.forEach(s -> merged.add(s.merged()));
        System.out.printf(Locale.ROOT,
                "RESULT mode=%-6s warm-up=%-9s target=%5.0f achieved=%5.0f rps  cpu=%5.2f s over %d s (%.2f cores)  requests/cpu-s=%5.0f"
                        + "  us-cpu/request=%6.1f  gc-pause=%d ms  max-sockets=%d  p50=%.2fms p99=%.2fms errors:%s saturated=%s%n",
                mode, builtInWarmUp ? "built-in" : "skipped", rps, (double) sent / wall, cpuSeconds, wall, cpuSeconds / wall, completed / cpuSeconds,
                cpuSeconds * 1e6 / completed, gcMs, maxSockets.get(), merged.getValueAtPercentile(50) / 1000.0,
                merged.getValueAtPercentile(99) / 1000.0, errors.length() == 0 ? " none" : errors, result.saturated());
        if (Boolean.getBoolean("slogate.bench.verbose")) {
            for (ClientSecond s : timeline.seconds()) {
                var h = s.merged();
                System.out.printf(Locale.ROOT, "SECOND %d sent=%d done=%d failed=%d p50=%.2fms p99=%.2fms max=%.0fms cpu=%.2f%n",
                        s.epochSecond() % 1000, s.sent(), s.completed(), s.failed(), h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                        cpuAtEndOf.getOrDefault(s.epochSecond(), 0L) / 1e9);
            }
        }
        System.exit(0);
    }

    private static int openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
