package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired and ready replicas of a Kubernetes Deployment from kube-state-metrics, read from Prometheus at 1 s steps:
 * {@code sum(kube_deployment_spec_replicas{<selector>})} (what the HPA set) and
 * {@code sum(kube_deployment_status_replicas_ready{<selector>})}. The selector is the scaling objective's
 * {@code deployment}, e.g. {@code namespace="shop",deployment="api"}.
 */
public final class KubeStateCapacity implements CapacityHistory {
    private static final Duration STEP = Duration.ofSeconds(1);
    private final PrometheusClient prometheus;

    public KubeStateCapacity(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    public static String desiredQuery(String selector) {
        return "sum(kube_deployment_spec_replicas{" + selector + "})";
    }

    public static String readyQuery(String selector) {
        return "sum(kube_deployment_status_replicas_ready{" + selector + "})";
    }

    @Override
    public Reading read(SloDef.Scaling objective, long fromMillis, long toMillis) {
        if (objective == null || objective.deployment() == null) {
            return Reading.failed("no replica counts: write deployment: 'namespace=\"ns\",deployment=\"name\"' in the scaling objective "
                    + "to read them from kube-state-metrics");
        }
        String source = "kube-state-metrics {" + objective.deployment() + "}";
        Map<Long, Double> desired;
        Map<Long, Double> ready;
        try {
            desired = points(desiredQuery(objective.deployment()), fromMillis, toMillis);
            ready = points(readyQuery(objective.deployment()), fromMillis, toMillis);
        } catch (PrometheusException e) {
            return Reading.failed(source + ": " + e.getMessage());
        }
        if (desired.isEmpty() || ready.isEmpty()) {
            return Reading.failed(source + ": Prometheus has no " + (desired.isEmpty() ? desiredQuery(objective.deployment())
                    : readyQuery(objective.deployment())) + " over the step; is kube-state-metrics scraped, and does the selector match?");
        }
        List<CapacitySample> out = new ArrayList<>();
        Double lastDesired = null;
        Double lastReady = null;
        TreeMap<Long, Double> all = new TreeMap<>(desired);
        ready.keySet().forEach(k -> all.putIfAbsent(k, null));
        for (long t : all.keySet()) {
            lastDesired = desired.getOrDefault(t, lastDesired);
            lastReady = ready.getOrDefault(t, lastReady);
            if (lastDesired != null && lastReady != null) {
                CapacitySample s = new CapacitySample(t, (int) Math.round(lastDesired), (int) Math.round(lastReady));
                if (out.isEmpty() || out.get(out.size() - 1).desired() != s.desired() || out.get(out.size() - 1).ready() != s.ready()) {
                    out.add(s);
                }
            }
        }
        return out.isEmpty() ? Reading.failed(source + ": no instant with both desired and ready replicas") : new Reading(out, source, null);
    }

    private Map<Long, Double> points(String query, long from, long to) {
        Map<Long, Double> out = new TreeMap<>();
        RangeResult r = prometheus.queryRange(query, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), STEP);
        for (RangeResult.Series s : r.series()) {
            for (RangeResult.Point p : s.points()) {
                if (!Double.isNaN(p.value())) {
                    out.merge(p.epochMillis(), p.value(), Double::sum);
                }
            }
        }
        return out;
    }
}
