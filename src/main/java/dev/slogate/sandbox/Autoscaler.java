package dev.slogate.sandbox;

import static dev.slogate.timeline.Sleep.sleep;

import dev.slogate.experiment.SandboxSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox's HPA-like autoscaler: every period it reads each pod's load from Prometheus, decides like an HPA
 * ({@link ScalingDecision}), and starts idle slots or drains pods; it records the scale events (what it wanted, and
 * how many pods HAProxy sees ready, from which the capacity time is read). Its thread changes the pods under the
 * sandbox's lock ({@code lock}), like the supervisor; the other methods are called with that lock held unless they say
 * otherwise.
 */
final class Autoscaler {
    private final SandboxSpec.Autoscaler spec;
    private final ScalingDecision rule;
    private final Pods pods;
    private final HaproxyAdmin admin;
    private final Object lock;
    private final Runnable onChange;
    private final List<ScaleEvent> scaleEvents = new ArrayList<>();
    private int desired;
    private int lastReady = -1;
    private boolean stopped;
    private Thread thread;

    /** {@code onChange} persists the sandbox's state; it is called with {@code lock} held. */
    Autoscaler(SandboxSpec.Autoscaler spec, Pods pods, HaproxyAdmin admin, Object lock, Runnable onChange) {
        this.spec = spec;
        this.rule = new ScalingDecision(spec);
        this.pods = pods;
        this.admin = admin;
        this.lock = lock;
        this.onChange = onChange;
        this.desired = spec.min();
    }

    /** The sandbox is healthy with the first {@code min} pods: the first scale event. */
    void ready() {
        lastReady = desired;
        scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), desired, desired, Double.NaN,
                "autoscaler on: " + desired + " pods ready (min " + spec.min() + ", max " + spec.max() + ")"));
    }

    /** Starts the autoscaler's loop, reading Prometheus at {@code prometheus}; call once, without the lock. */
    void start(PrometheusServer prometheus) {
        thread = new Thread(() -> run(prometheus), "autoscaler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    List<ScaleEvent> events() {
        return List.copyOf(scaleEvents);
    }

    /** Records a change of the pods HAProxy sees UP, so the capacity time can be read from the scale events. Without the lock. */
    void trackReady() {
        Map<String, String> status;
        try {
            status = admin.serverStatus(HaproxyConfig.BACKEND);
        } catch (RuntimeException e) {
            return;
        }
        synchronized (lock) {
            int up = (int) pods.all().stream().filter(p -> p.enabled && status.getOrDefault(p.name, "").startsWith("UP")).count();
            if (up != lastReady && !stopped) {
                lastReady = up;
                scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), desired, up, Double.NaN, up + " of " + desired + " pods ready"));
                onChange.run();
            }
        }
    }

    /** Every period: read each pod's load from Prometheus, decide, start or drain pods. */
    private void run(PrometheusServer prometheus) {
        String query = spec.metric() == SandboxSpec.Metric.RPS
                ? "sum by (pod) (rate(demo_requests_received_total{job=\"demo\"}[5s]))"
                : "sum by (pod) (demo_requests_in_flight{job=\"demo\"})";
        String unit = spec.metric() == SandboxSpec.Metric.RPS ? "rps" : "in flight";
        while (!Thread.currentThread().isInterrupted()) {
            sleep(spec.period().toMillis());
            Map<String, Double> samples = prometheus.valuesBy("pod", query);
            if (samples == null) {
                continue;
            }
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                List<ScalingDecision.PodLoad> loads = pods.all().stream()
                        .map(p -> new ScalingDecision.PodLoad(p.name, p.state, samples.getOrDefault(p.name, Double.NaN))).toList();
                ScalingDecision.Decision d = rule.decide(loads, System.currentTimeMillis());
                if (d.desired() != desired) {
                    scaleEvents.add(new ScaleEvent(System.currentTimeMillis(), d.desired(), Math.max(lastReady, 0), d.total(), String.format(Locale.ROOT,
                            "scale %d -> %d pods: %.0f %s, %.1f per pod, target %s", desired, d.desired(), d.total(), unit, d.perPod(),
                            trim(spec.targetPerPod()))));
                    desired = d.desired();
                }
                if (reconcile(d.current(), d.drain())) {
                    onChange.run();
                }
            }
        }
    }

    /** Starts idle slots on nodes that are up until {@code desired} pods are assigned, or drains the pods decided. */
    private boolean reconcile(int current, List<String> drain) {
        boolean changed = false;
        long now = System.nanoTime();
        List<Pod> all = pods.all();
        for (int i = 0; i < all.size() && current < desired; i++) {
            Pod p = all.get(i);
            if (p.state.equals(PodState.IDLE) && !pods.nodeIsDown(p.node)) {
                if (p.process != null) {
                    p.process.destroyForcibly(); // still draining: replace it
                }
                p.enabled = false;
                p.readyAtNanos = now + spec.startDelay().toNanos();
                try {
                    pods.launch(p);
                } catch (IOException e) {
                    continue;
                }
                current++;
                changed = true;
            }
        }
        for (String name : drain) {
            Pod p = pods.pod(name);
            if (ScalingDecision.counts(p.state)) { // assigned and not on a down node: running, starting, or restarting
                try {
                    admin.command("set server " + HaproxyConfig.BACKEND + "/" + p.name + " state maint");
                } catch (RuntimeException e) {
                    return changed; // HAProxy did not answer; try again next period
                }
                p.enabled = false;
                p.state = PodState.IDLE;
                p.drainedAtNanos = now + 1_000_000_000L; // requests in flight finish before the process stops
                current--;
                changed = true;
            }
        }
        return changed;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
