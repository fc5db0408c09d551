package dev.slogate.load.fleet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the pods of the injector Job once a second ({@code pods list}, label {@code job-name=<job>}) so that an index
 * whose pod cannot start fails the run with the pod's own reason instead of a connect timeout or a silence: a container
 * waiting with a reason that does not heal by itself, the scheduler's PodScheduled=False, or a terminated container.
 * A state is held against an index only after its grace period (an image pull that errs once and then succeeds, a
 * pod that waits a moment for a node are normal).
 */
final class JobPods implements AutoCloseable {
    /** Kubernetes sets it on a Job's pods (all versions; batch.kubernetes.io/job-name only since 1.27). */
    static final String JOB_NAME_LABEL = "job-name";
    static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
    /** Waiting reasons that mean the container will not start without a change: the image, its config, its command. */
    static final Set<String> STUCK_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "CrashLoopBackOff");
    static final Duration POLL = Duration.ofSeconds(1);

    /**
     * How long a pod may stay in a bad state before its index fails: {@code waiting} for a stuck container (an image
     * pull is retried by the kubelet, a first ErrImagePull may be a registry hiccup), {@code unschedulable} for the
     * scheduler's verdict (a node may be freed or drained meanwhile). A terminated container fails at once: the Job's
     * pods never restart ({@code backoffLimit: 0}, {@code restartPolicy: Never}).
     */
    record Grace(Duration waiting, Duration unschedulable) {
        static final Grace DEFAULT = new Grace(Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** A bad state of one pod as read; {@code kind} picks the grace period. */
    record Trouble(Kind kind, String what) {
        enum Kind { WAITING, UNSCHEDULABLE, TERMINATED }
    }

    /** What is known of one index's pod: its name, its state in words, and the failure once the grace has passed. */
    record Seen(String pod, String state, Optional<String> failure) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String jobName;
    private final Grace grace;
    private final Consumer<String> warn;
    private final Map<Integer, Seen> byIndex = new ConcurrentHashMap<>();
    /** When each pod was first seen in each kind of trouble: the grace runs from there, and the trouble must still hold. */
    private final Map<String, Long> since = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile boolean warned;

    JobPods(KubernetesClient client, String namespace, String jobName, Grace grace, Consumer<String> warn) {
        this.client = client;
        this.namespace = namespace;
        this.jobName = jobName;
        this.grace = grace;
        this.warn = warn;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-fleet-pods-" + jobName);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The index's pod as last read; empty before its pod has been seen. */
    Optional<Seen> seen(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    void poll() {
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, jobName).list().getItems(); // pods list
        } catch (KubernetesClientException e) {
            if (!warned) {
                warned = true;
                warn.accept("cannot read the injector pods of " + namespace + "/" + jobName + " (" + e.getMessage() + "):"
                        + " an injector that cannot start is only seen when it does not connect within --injector-timeout"
                        + (e.getCode() == 403 ? "; grant pods list in " + namespace + " (the Role slogate-fleet in k8s/rbac.yaml)" : ""));
            }
            return;
        } catch (RuntimeException e) {
            return; // a transient read error: the next poll tries again
        }
        long now = System.currentTimeMillis();
        for (Pod p : pods) {
            Integer index = index(p);
            if (index == null) {
                continue;
            }
            String name = p.getMetadata().getName();
            Optional<Trouble> trouble = trouble(p);
            Optional<String> failure = Optional.empty();
            if (trouble.isPresent()) {
                // by kind, not reason: a failing pull alternates ErrImagePull and ImagePullBackOff
                String key = name + "\n" + trouble.get().kind();
                long first = since.computeIfAbsent(key, k -> now);
                Duration allowed = switch (trouble.get().kind()) {
                    case WAITING -> grace.waiting();
                    case UNSCHEDULABLE -> grace.unschedulable();
                    case TERMINATED -> Duration.ZERO;
                };
                if (now - first >= allowed.toMillis()) {
                    long held = (now - first) / 1000;
                    failure = Optional.of("its pod " + namespace + "/" + name + " " + trouble.get().what()
                            + (trouble.get().kind() == Trouble.Kind.TERMINATED ? "" : String.format(Locale.ROOT, " (for %d s)", held)));
                }
            }
            Seen before = byIndex.get(index);
            if (before != null && before.failure().isPresent() && failure.isEmpty()) {
                continue; // a failed index stays failed (a replacement pod does not undo a failed run)
            }
            byIndex.put(index, new Seen(name, trouble.map(Trouble::what).orElse(phase(p)), failure));
        }
    }

    static Integer index(Pod p) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(INDEX_ANNOTATION);
        if (v == null && p.getMetadata().getLabels() != null) {
            v = p.getMetadata().getLabels().get(INDEX_ANNOTATION); // also a label since 1.28
        }
        try {
            return v == null ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The pod's bad state, if any: terminated before waiting before unschedulable (the most final first). */
    static Optional<Trouble> trouble(Pod p) {
        if (p.getStatus() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> containers = new ArrayList<>();
        if (p.getStatus().getInitContainerStatuses() != null) {
            containers.addAll(p.getStatus().getInitContainerStatuses());
        }
        if (p.getStatus().getContainerStatuses() != null) {
            containers.addAll(p.getStatus().getContainerStatuses());
        }
        for (ContainerStatus c : containers) {
            ContainerState s = c.getState();
            ContainerStateTerminated t = s == null ? null : s.getTerminated();
            if (t != null) {
                if (Integer.valueOf(0).equals(t.getExitCode()) && "Succeeded".equals(p.getStatus().getPhase())) {
                    continue; // a pod that finished its run; the coordinator decides whether it had reported
                }
                return Optional.of(new Trouble(Trouble.Kind.TERMINATED, "ended: container " + c.getName() + " terminated"
                        + (t.getReason() == null ? "" : " (" + t.getReason() + ")") + " with exit code " + t.getExitCode()
                        + (blank(t.getMessage()) ? "" : ": " + t.getMessage().trim())));
            }
        }
        for (ContainerStatus c : containers) {
            ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
            if (w != null && w.getReason() != null && STUCK_REASONS.contains(w.getReason())) {
                return Optional.of(new Trouble(Trouble.Kind.WAITING, "cannot start container " + c.getName() + ": "
                        + w.getReason() + (blank(w.getMessage()) ? "" : ": " + w.getMessage().trim())));
            }
        }
        if ("Failed".equals(p.getStatus().getPhase())) { // evicted, deadline exceeded: no container status says it
            return Optional.of(new Trouble(Trouble.Kind.TERMINATED, "failed: " + orElse(p.getStatus().getReason(), "Failed")
                    + (blank(p.getStatus().getMessage()) ? "" : ": " + p.getStatus().getMessage().trim())));
        }
        if (p.getStatus().getConditions() != null) {
            for (PodCondition c : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Optional.of(new Trouble(Trouble.Kind.UNSCHEDULABLE, "cannot be scheduled: "
                            + orElse(c.getReason(), "Unschedulable") + (blank(c.getMessage()) ? "" : ": " + c.getMessage().trim())));
                }
            }
        }
        return Optional.empty();
    }

    private static String phase(Pod p) {
        return "is " + (p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String orElse(String s, String other) {
        return blank(s) ? other : s;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
