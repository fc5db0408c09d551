package dev.slogate.fault.kubernetes;

import dev.slogate.experiment.SloDef;
import dev.slogate.fault.FaultException;
import dev.slogate.slo.CapacityHistory;
import dev.slogate.slo.CapacitySample;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Desired vs ready replicas of one Deployment or StatefulSet, read from the API server during the run, for scaling
 * objectives with {@code capacity: {from: kubernetes-api}}. A watch on the workload gives {@code spec.replicas} and
 * {@code status.readyReplicas} as they change; its HorizontalPodAutoscaler (the one named in the objective, or one
 * named like the workload that scales it) is read every second for {@code status.desiredReplicas}, which moves before
 * the workload's spec does. Desired = the HPA's desiredReplicas when it reports one, else spec.replicas. Each change
 * is a {@link CapacitySample} stamped with the time slogate saw it.
 */
public final class WorkloadReplicas implements AutoCloseable {
    private static final long POLL_MILLIS = 1000;

    private final KubernetesClient client;
    private final SloDef.Workload workload;
    private final String hpa;
    private final List<CapacitySample> samples = new ArrayList<>();
    private final ScheduledExecutorService poller;
    private Integer specReplicas;
    private int readyReplicas;
    private Integer hpaDesired;
    private volatile Watch watch;

    private WorkloadReplicas(KubernetesClient client, SloDef.Workload workload, String hpa) {
        this.client = client;
        this.workload = workload;
        this.hpa = hpa;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slogate-replicas-" + workload.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks that the workload (and the named HPA) exist, and returns the HPA to read: the named one, one named like
     * the workload whose scaleTargetRef is the workload, or null. Throws naming what is missing.
     */
    public static String check(KubernetesClient client, SloDef.Workload w) {
        HasMetadata found;
        try {
            found = get(client, w);
        } catch (KubernetesClientException e) {
            throw new FaultException("cannot read " + w.describe() + ": " + (e.getCode() == 403
                    ? "forbidden (403): apply k8s/rbac.yaml (deployments/statefulsets get, list, watch)" : e.getMessage()), e);
        }
        if (found == null) {
            throw new FaultException("the scaling objective's workload " + w.describe() + " does not exist; check capacity.workload and "
                    + "capacity.namespace (kubectl get " + w.kind() + " -n " + w.namespace() + ")");
        }
        String name = w.hpa() == null ? w.name() : w.hpa();
        HorizontalPodAutoscaler h = hpa(client, w.namespace(), name);
        if (h == null && w.hpa() != null) {
            throw new FaultException("the scaling objective's hpa " + w.hpa() + " does not exist in namespace " + w.namespace()
                    + "; check capacity.hpa (kubectl get hpa -n " + w.namespace() + ") or drop it");
        }
        boolean scalesIt = h != null && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
                && w.kind().equalsIgnoreCase(h.getSpec().getScaleTargetRef().getKind()) && w.name().equals(h.getSpec().getScaleTargetRef().getName());
        if (h != null && !scalesIt && w.hpa() != null) {
            throw new FaultException("hpa " + w.hpa() + " in namespace " + w.namespace() + " does not scale " + w.kind() + "/" + w.name()
                    + "; name the HPA whose scaleTargetRef is the workload");
        }
        return scalesIt ? name : null;
    }

    /** Checks the workload, takes a first sample and starts watching; {@link #close} stops. */
    public static WorkloadReplicas start(KubernetesClient client, SloDef.Workload w) {
        WorkloadReplicas r = new WorkloadReplicas(client, w, check(client, w));
        r.update(get(client, w));
        r.pollHpa();
        Watcher<HasMetadata> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, HasMetadata o) {
                if (action != Action.DELETED) {
                    r.update(o);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the run ended, or the watch failed for good: the samples so far stay
            }
        };
        r.watch = w.kind().equals("statefulset")
                ? client.apps().statefulSets().inNamespace(w.namespace()).withName(w.name()).watch(cast(watcher)) // statefulsets watch
                : client.apps().deployments().inNamespace(w.namespace()).withName(w.name()).watch(cast(watcher)); // deployments watch
        if (r.hpa != null) {
            r.poller.scheduleWithFixedDelay(r::pollHpa, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> Watcher<T> cast(Watcher<HasMetadata> w) {
        return (Watcher<T>) (Watcher<?>) w;
    }

    private static HasMetadata get(KubernetesClient client, SloDef.Workload w) {
        return w.kind().equals("statefulset")
                ? client.apps().statefulSets().inNamespace(w.namespace()).withName(w.name()).get() // statefulsets get
                : client.apps().deployments().inNamespace(w.namespace()).withName(w.name()).get(); // deployments get
    }

    private static HorizontalPodAutoscaler hpa(KubernetesClient client, String namespace, String name) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(name).get(); // horizontalpodautoscalers get
    }

    private void pollHpa() {
        if (hpa == null) {
            return;
        }
        try {
            HorizontalPodAutoscaler h = hpa(client, workload.namespace(), hpa);
            Integer desired = h == null || h.getStatus() == null ? null : h.getStatus().getDesiredReplicas();
            synchronized (this) {
                hpaDesired = desired != null && desired > 0 ? desired : null;
                sample();
            }
        } catch (KubernetesClientException e) {
            // one missed second; the next poll reads it again
        }
    }

    private void update(HasMetadata o) {
        Integer spec;
        Integer ready;
        if (o instanceof Deployment d) {
            spec = d.getSpec() == null ? null : d.getSpec().getReplicas();
            ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        } else if (o instanceof StatefulSet s) {
            spec = s.getSpec() == null ? null : s.getSpec().getReplicas();
            ready = s.getStatus() == null ? null : s.getStatus().getReadyReplicas();
        } else {
            return;
        }
        synchronized (this) {
            specReplicas = spec == null ? 1 : spec; // the API server's default
            readyReplicas = ready == null ? 0 : ready;
            sample();
        }
    }

    /** Adds a sample when desired or ready changed; called with the lock held. */
    private void sample() {
        if (specReplicas == null) {
            return;
        }
        int desired = hpaDesired != null ? hpaDesired : specReplicas;
        CapacitySample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        if (last == null || last.desired() != desired || last.ready() != readyReplicas) {
            samples.add(new CapacitySample(System.currentTimeMillis(), desired, readyReplicas));
        }
    }

    public synchronized List<CapacitySample> samples() {
        return List.copyOf(samples);
    }

    /** What was seen so far, as the scaling objectives read it. */
    public CapacityHistory history() {
        return CapacityHistory.of(samples(), "Kubernetes API " + workload.kind() + "/" + workload.name()
                + (hpa == null ? "" : " (hpa " + hpa + ")"));
    }

    @Override
    public void close() {
        poller.shutdownNow();
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
