package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.ClusterTargets;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.experiment.KubernetesSettings;
import dev.slogate.fault.FaultBackend;
import dev.slogate.fault.FaultException;
import dev.slogate.fault.InjectedFault;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Faults as Chaos Mesh experiments. Targets are planned and capped like the Kubernetes API back end's ({@link ClusterTargets}:
 * a live pod list; allowed namespaces, maxPercent, a selector matching nothing is an error) before the experiment is created; the
 * experiment is journaled first and labelled with the run id. The fault window is what Chaos Mesh records: the first
 * Apply event starts it, the last Recover event ends it. Revert pauses the experiment (Chaos Mesh recovers the
 * targets and keeps the records), reads the recovery, then deletes it; a failed recovery is reported and left for
 * {@code slogate cleanup}.
 */
public final class ChaosMeshFaultInjector implements FaultBackend {
    public static final String NAME = "chaos-mesh";
    static final String KIND = "chaosKind";
    static final String NAMESPACE = "chaosNamespace";
    static final String OBJECT = "chaosObject";
    private static final Duration POLL = Duration.ofMillis(200);

    private final ChaosTransport chaos;
    private final KubernetesClient kube;
    private final ClusterConnection connection;
    private final KubernetesSettings settings;
    private final String runId;
    private final Duration confirmWait;
    private final Consumer<Event> timeline;
    private final Map<String, Long> recovered = new ConcurrentHashMap<>();

    /**
     * @param kube        lists pods to plan and cap targets
     * @param confirmWait how long to wait for Chaos Mesh to report the injection (and the recovery on revert)
     */
    public ChaosMeshFaultInjector(ChaosTransport chaos, KubernetesClient kube, ClusterConnection connection, KubernetesSettings settings,
                                  String runId, Duration confirmWait, Consumer<Event> timeline) {
        this.chaos = chaos;
        this.kube = kube;
        this.connection = connection;
        this.settings = settings;
        this.runId = runId;
        this.confirmWait = confirmWait;
        this.timeline = timeline;
    }

    @Override
    public List<String> plan(FaultSpec spec) {
        if (spec.type().isCloud()) {
            return List.of(spec.options().cloud().describe(spec.type())); // named explicitly; the cloud is not looked up
        }
        if (spec.options().partition()) {
            return ZonePartition.plan(kube, settings, spec).describe();
        }
        List<String> targets = ClusterTargets.podTargets(kube, settings, spec);
        if (spec.options().peer() != null && spec.options().peer().target() != null) {
            FaultSpec peer = peerSide(spec);
            ClusterTargets.podTargets(kube, settings, peer); // the peer side must match something too
        }
        return targets;
    }

    /** The peer of a partition, as a fault of its own: it is not broken itself, so its cap is not the fault's. */
    private static FaultSpec peerSide(FaultSpec spec) {
        return spec.withSelector(spec.options().peer().target()).withCluster(spec.cluster().withMaxPercent(100)).withOptions(FaultOptions.NONE);
    }

    @Override
    public Injection prepare(String name, FaultSpec spec) {
        String id = UUID.randomUUID().toString();
        String object = ChaosExperiments.objectName(name, id);
        List<String> planned;
        ObjectNode experiment;
        if (spec.options().partition()) {
            ZonePartition zp = ZonePartition.plan(kube, settings, spec);
            planned = zp.describe();
            experiment = ChaosExperiments.zonePartition(spec, object, runId, name, zp.label(), zp.namespaces(), zp.peerNodes());
        } else {
            planned = plan(spec);
            experiment = ChaosExperiments.of(spec, object, runId, name);
        }
        ChaosKind kind = ChaosKind.of(spec.type());
        String ns = experiment.path("metadata").path("namespace").asText();
        Map<String, String> revert = new HashMap<>(connection.journalData());
        revert.putAll(chaos.journalData());
        revert.put(KIND, kind.kind());
        revert.put(NAMESPACE, ns);
        revert.put(OBJECT, object);
        long sent = System.currentTimeMillis();
        InjectedFault journaled = new InjectedFault(id, runId, name, spec.type(), NAME, planned, sent, revert);
        return new Injection() {
            @Override
            public InjectedFault fault() {
                return journaled;
            }

            @Override
            public InjectedFault apply() {
                return create(journaled, spec, experiment, kind, ns);
            }
        };
    }

    /** Creates the experiment and waits for Chaos Mesh to report it injected: the fault as Chaos Mesh applied it. */
    private InjectedFault create(InjectedFault journaled, FaultSpec spec, ObjectNode experiment, ChaosKind kind, String ns) {
        String name = journaled.name();
        String object = journaled.revertData().get(OBJECT);
        chaos.create(experiment);

        Observed seen = await(kind, ns, object, s -> s.allInjected() || !s.failures().isEmpty());
        ChaosStatus status = seen.status();
        if (status != null && !status.failures().isEmpty()) {
            throw new FaultException(spec.type() + " via Chaos Mesh " + kind.kind() + " " + ns + "/" + object + " failed: "
                    + String.join("; ", status.failures()) + "; `slogate cleanup` deletes the experiment");
        }
        Optional<Instant> applied = status == null ? Optional.empty() : status.firstApplied();
        if (applied.isEmpty() && status != null && status.allInjected() && status.records().isEmpty()) {
            applied = Optional.of(Instant.ofEpochMilli(seen.atMillis())); // the dashboard has no records: when it said "running"
        }
        if (applied.isEmpty()) {
            timeline.accept(new Event(System.currentTimeMillis(), Event.Kind.NOTE, name, "Chaos Mesh had not confirmed the injection of "
                    + kind.kind() + " " + ns + "/" + object + " within " + confirmWait.toSeconds() + " s; the fault window starts when it was sent"));
        }
        boolean ownTargets = status != null && !status.targets().isEmpty() && !kind.cloud() && !spec.options().partition();
        List<String> targets = ownTargets ? status.targets() : journaled.targets();
        return new InjectedFault(journaled.id(), runId, name, spec.type(), NAME, targets,
                applied.map(Instant::toEpochMilli).orElse(journaled.injectedAtMillis()), journaled.revertData());
    }

    @Override
    public void revert(InjectedFault fault) {
        Map<String, String> d = fault.revertData();
        ChaosKind kind = ChaosKind.fromKind(d.get(KIND));
        String ns = d.get(NAMESPACE);
        String object = d.get(OBJECT);
        Optional<ChaosStatus> now = chaos.status(kind, ns, object);
        boolean oneShot = ChaosMeshFault.of(fault.type()).oneShot();
        if (now.isPresent() && !oneShot) {
            if (!now.get().allRecovered()) {
                chaos.pause(kind, ns, object);
            }
            Observed seen = await(kind, ns, object, x -> x.allRecovered() || x.failures().stream().anyMatch(f -> f.contains("Recover failed")));
            ChaosStatus s = seen.status();
            List<String> failed = s == null ? List.of() : s.failures().stream().filter(f -> f.contains("Recover failed")).toList();
            if (!failed.isEmpty()) {
                throw new FaultException("Chaos Mesh could not recover " + kind.kind() + " " + ns + "/" + object + ": " + String.join("; ", failed)
                        + "; the experiment is kept for inspection (kubectl describe " + kind.plural() + " -n " + ns + " " + object
                        + "); `slogate cleanup` deletes it");
            }
            boolean dashboardWord = s != null && s.allRecovered() && s.records().isEmpty();
            if (s == null || s.lastRecovered().isEmpty() && !dashboardWord) {
                throw new FaultException("Chaos Mesh did not report " + kind.kind() + " " + ns + "/" + object + " recovered within "
                        + confirmWait.toSeconds() + " s; it stays paused; `slogate cleanup` deletes it");
            }
            recovered.put(fault.id(), dashboardWord ? seen.atMillis() : s.lastRecovered().get().toEpochMilli());
        }
        chaos.delete(kind, ns, object);
    }

    @Override
    public OptionalLong recoveredAtMillis(InjectedFault fault) {
        Long at = recovered.get(fault.id());
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Deletes a journaled experiment from another process ({@code slogate cleanup}). */
    public static void revertFromJournal(InjectedFault fault) {
        Map<String, String> d = fault.revertData();
        transportFromJournal(d).delete(ChaosKind.fromKind(d.get(KIND)), d.get(NAMESPACE), d.get(OBJECT));
    }

    /** The transport a journaled fault went through: the dashboard if it was used, else the API server of the connection. */
    public static ChaosTransport transportFromJournal(Map<String, String> d) {
        ChaosTransport dashboard = ChaosDashboardTransport.fromJournal(d, System::getenv);
        return dashboard != null ? dashboard : ChaosMeshClient.fromConfig(ClusterConnection.fromJournal(d).config());
    }

    /** The last status read (null if none) and when it was read. */
    private record Observed(ChaosStatus status, long atMillis) {
    }

    private Observed await(ChaosKind kind, String ns, String object, Predicate<ChaosStatus> done) {
        long deadline = System.currentTimeMillis() + confirmWait.toMillis();
        while (true) {
            long at = System.currentTimeMillis();
            Optional<ChaosStatus> last = chaos.status(kind, ns, object);
            if (last.isPresent() && done.test(last.get()) || System.currentTimeMillis() >= deadline) {
                return new Observed(last.orElse(null), at);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Observed(last.orElse(null), at);
            }
        }
    }
}
