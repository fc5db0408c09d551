package dev.slogate.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays Chaos Mesh's controller on fabric8's CRUD mock, which stores chaos-mesh.org objects like any resource: every
 * 100 ms it reads the NetworkChaos objects of a namespace and writes their status the way Chaos Mesh does, with
 * second-resolution event timestamps that are deliberately later than slogate's HTTP calls: an object it first sees
 * at t gets an {@code Apply} event stamped at the next whole second + 1 s (written once that time has passed); once the
 * pause annotation appears (first seen at t'), a {@code Recover} event stamped the same way and {@code AllRecovered}.
 * A report whose fault window equals these stamps took them from the status, not from its own clock.
 */
final class FakeChaosMesh implements AutoCloseable {
    static final ResourceDefinitionContext NETWORK_CHAOS = new ResourceDefinitionContext.Builder().withGroup("chaos-mesh.org")
            .withVersion("v1alpha1").withKind("NetworkChaos").withPlural("networkchaos").withNamespaced(true).build();

    /** What the controller did to one experiment (epoch ms; 0 = not yet). */
    record Stamps(long appliedAt, long recoveredAt) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> plannedApply = new ConcurrentHashMap<>();
    private final Map<String, Long> plannedRecover = new ConcurrentHashMap<>();
    private final Map<String, Stamps> written = new ConcurrentHashMap<>();
    private final List<String> seen = new ArrayList<>();
    private final Map<String, GenericKubernetesResource> first = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> pausedWith = new ConcurrentHashMap<>();

    FakeChaosMesh(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::reconcile, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Names of every NetworkChaos seen, in order. */
    synchronized List<String> seen() {
        return List.copyOf(seen);
    }

    /** The object as first stored: what slogate's create request carried, plus the server's metadata. */
    GenericKubernetesResource created(String name) {
        return first.get(name);
    }

    /** The annotations the object had when the controller first saw it paused (null = never paused). */
    Map<String, String> pausedWith(String name) {
        return pausedWith.get(name);
    }

    Stamps stamps(String name) {
        return written.getOrDefault(name, new Stamps(0, 0));
    }

    List<GenericKubernetesResource> stored() {
        return client.genericKubernetesResources(NETWORK_CHAOS).inNamespace(namespace).list().getItems();
    }

    private static long nextSecondPlusOne(long now) {
        return Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.SECONDS).plusSeconds(2).toEpochMilli();
    }

    private void reconcile() {
        try {
            long now = System.currentTimeMillis();
            for (GenericKubernetesResource r : stored()) {
                String name = r.getMetadata().getName();
                synchronized (this) {
                    if (!seen.contains(name)) {
                        seen.add(name);
                        first.put(name, r);
                    }
                }
                long apply = plannedApply.computeIfAbsent(name, n -> nextSecondPlusOne(now));
                Map<String, String> ann = r.getMetadata().getAnnotations();
                boolean paused = ann != null && "true".equals(ann.get("experiment.chaos-mesh.org/pause"));
                if (paused) {
                    pausedWith.putIfAbsent(name, Map.copyOf(ann));
                }
                Stamps s = stamps(name);
                if (s.appliedAt() == 0 && now >= apply) {
                    writeStatus(name, apply, 0);
                    written.put(name, new Stamps(apply, 0));
                } else if (s.appliedAt() != 0 && s.recoveredAt() == 0 && paused) {
                    long recover = plannedRecover.computeIfAbsent(name, n -> Math.max(nextSecondPlusOne(now), s.appliedAt() + 1000));
                    if (now >= recover) {
                        writeStatus(name, s.appliedAt(), recover);
                        written.put(name, new Stamps(s.appliedAt(), recover));
                    }
                }
            }
        } catch (RuntimeException e) {
            // the mock is shutting down or the object was deleted between list and edit: the next round sees
        }
    }

    private void writeStatus(String name, long applied, long recovered) {
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(Map.of("type", "Succeeded", "operation", "Apply", "timestamp", Instant.ofEpochMilli(applied).toString()));
        if (recovered != 0) {
            events.add(Map.of("type", "Succeeded", "operation", "Recover", "timestamp", Instant.ofEpochMilli(recovered).toString()));
        }
        boolean done = recovered != 0;
        Map<String, Object> status = Map.of(
                "conditions", List.of(cond("Selected", true), cond("AllInjected", !done), cond("AllRecovered", done), cond("Paused", done)),
                "experiment", Map.of("desiredPhase", done ? "Stop" : "Run", "containerRecords", List.of(Map.of("id", namespace + "/web-1",
                        "selectorKey", ".", "phase", done ? "Not Injected" : "Injected", "injectedCount", 1, "recoveredCount", done ? 1 : 0,
                        "events", events))));
        client.genericKubernetesResources(NETWORK_CHAOS).inNamespace(namespace).withName(name).edit(r -> {
            r.setAdditionalProperty("status", status);
            return r;
        });
    }

    private static Map<String, String> cond(String type, boolean status) {
        return Map.of("type", type, "status", status ? "True" : "False");
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
