package dev.slogate.experiment;

import dev.slogate.yaml.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shape and behaviour of the local sandbox: regions x nodes x pods of the demo service behind HAProxy.
 * {@code concurrency} is how many requests one pod serves at once; more queue, so an overloaded pod gets slow.
 * {@code autoscaler} is null when the pod count is fixed; with one, the layout's pods are slots the autoscaler fills.
 * {@code database} is null for a sandbox without PostgreSQL (the default).
 */
public record SandboxSpec(
        int regions,
        int nodesPerRegion,
        int podsPerNode,
        Duration serviceTime,
        double errorRatio,
        int concurrency,
        Duration restartDelay,
        Autoscaler autoscaler,
        DatabaseSpec database) {
    /** Pods one machine runs as local processes (regions x nodesPerRegion x podsPerNode). */
    public static final int MAX_PODS = 64;
    /** Requests one pod serves at once. */
    public static final int MAX_CONCURRENCY = 10_000;

    /** A sandbox with a fixed pod count and no database. */
    public SandboxSpec(int regions, int nodesPerRegion, int podsPerNode, Duration serviceTime, double errorRatio,
                       int concurrency, Duration restartDelay) {
        this(regions, nodesPerRegion, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, null, null);
    }

    public static SandboxSpec defaults() {
        return new SandboxSpec(2, 2, 2, Duration.ofMillis(5), 0.0, 64, Duration.ofSeconds(3));
    }

    public SandboxSpec withDatabase(DatabaseSpec db) {
        return new SandboxSpec(regions, nodesPerRegion, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, autoscaler, db);
    }

    public int pods() {
        return regions * nodesPerRegion * podsPerNode;
    }

    public SandboxSpec withAutoscaler(Autoscaler a) {
        return new SandboxSpec(regions, nodesPerRegion, podsPerNode, serviceTime, errorRatio, concurrency, restartDelay, a, database);
    }

    /** What the autoscaler reads per pod: requests per second arriving at the load balancer, or requests in flight. */
    public enum Metric { RPS, INFLIGHT }

    /**
     * Like a Kubernetes HPA: every {@code period} it reads the metric from Prometheus, wants
     * {@code ceil(total / targetPerPod)} pods (no change within 10 % of the target), clamped to {@code [min, max]};
     * a new pod serves after {@code startDelay}; it scales in only to the highest count it wanted over the last
     * {@code scaleDownStabilization}.
     */
    public record Autoscaler(int min, int max, Metric metric, double targetPerPod, Duration startDelay, Duration period,
                             Duration scaleDownStabilization) {
        public static final Duration DEFAULT_START_DELAY = Duration.ofSeconds(5);
        public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(2);
        public static final Duration DEFAULT_SCALE_DOWN_STABILIZATION = Duration.ofSeconds(30);

        /** {@code min=2,max=8,metric=rps,targetPerPod=100,startDelay=5s,period=2s,scaleDownStabilization=30s}: a daemon argument. */
        public String toArg() {
            return "min=" + min + ",max=" + max + ",metric=" + metric.name().toLowerCase(Locale.ROOT) + ",targetPerPod=" + targetPerPod
                    + ",startDelay=" + Durations.format(startDelay) + ",period=" + Durations.format(period)
                    + ",scaleDownStabilization=" + Durations.format(scaleDownStabilization);
        }

        public static Autoscaler fromArg(String arg) {
            Map<String, String> m = new HashMap<>();
            for (String kv : arg.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2) {
                    throw new IllegalArgumentException("--autoscaler expects key=value,..., got '" + kv + "'");
                }
                m.put(p[0].strip(), p[1].strip());
            }
            return new Autoscaler(Integer.parseInt(m.getOrDefault("min", "1")), Integer.parseInt(m.getOrDefault("max", "1")),
                    Metric.valueOf(m.getOrDefault("metric", "rps").toUpperCase(Locale.ROOT)),
                    Double.parseDouble(m.getOrDefault("targetPerPod", "100")),
                    Durations.parse(m.getOrDefault("startDelay", Durations.format(DEFAULT_START_DELAY))),
                    Durations.parse(m.getOrDefault("period", Durations.format(DEFAULT_PERIOD))),
                    Durations.parse(m.getOrDefault("scaleDownStabilization", Durations.format(DEFAULT_SCALE_DOWN_STABILIZATION))));
        }
    }
}
