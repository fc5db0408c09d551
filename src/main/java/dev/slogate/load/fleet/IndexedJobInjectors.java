package dev.slogate.load.fleet;

import dev.slogate.cluster.ClusterConnection;
import dev.slogate.cluster.RunLabel;
import dev.slogate.fault.Journal;
import dev.slogate.load.LoadPlan;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's injectors as the pods of one Kubernetes Indexed Job: {@code completions = parallelism = N}, each pod
 * runs {@code slogate injector --connect <coordinator>} and names itself {@code injector-<JOB_COMPLETION_INDEX>}. The
 * Job is journaled before it is created and deleted (propagation background: its pods go with it) when the fleet
 * ends, on Ctrl-C (the run's shutdown hook stops the fleet, whose end deletes it) and by {@code slogate cleanup}.
 */
public final class IndexedJobInjectors implements InjectorLauncher {
    public static final String RUN_ID_LABEL = RunLabel.KEY;
    static final String JOURNAL_CREATED = "fleet-job-created";
    static final String JOURNAL_DELETED = "fleet-job-deleted";
    /**
     * What the user chose ({@code --injector-image}, {@code --injector-namespace}, {@code --coordinator},
     * {@code --injector-timeout}).
     *
     * @param namespace       where the Job goes; null: the connection's namespace (in a pod: its own)
     * @param coordinatorHost what the pods connect to (the coordinator pod's IP); a literal IP is also where it listens
     * @param coordinatorPort the coordinator's port; 0: any free one (tests)
     */
    public record Settings(String image, String namespace, String coordinatorHost, int coordinatorPort, Duration connectTimeout) {
        public static final int DEFAULT_PORT = 7700;
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMinutes(3);

        public Settings {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("--injector-image is required with --injectors-on kubernetes: the slogate image"
                        + " the injector pods run, e.g. --injector-image registry.example.com/slogate:0.1.0 (or set SLOGATE_IMAGE)");
            }
            if (coordinatorHost == null || coordinatorHost.isBlank()) {
                throw new IllegalArgumentException("--coordinator is required with --injectors-on kubernetes: the address the"
                        + " injector pods connect to, HOST[:PORT]; in the slogate Job set SLOGATE_POD_IP from the downward API"
                        + " (status.podIP, see k8s/job.yaml) and it is used with port " + DEFAULT_PORT);
            }
            if (coordinatorPort < 0 || coordinatorPort > 65_535) {
                throw new IllegalArgumentException("--coordinator port " + coordinatorPort + " is not a TCP port (1-65535)");
            }
            if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("--injector-namespace '" + namespace + "' is not a Kubernetes namespace name"
                        + " (lower-case letters, digits and '-')");
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("--injector-timeout must be positive, e.g. 3m");
            }
        }

        /** {@code coordinator} is HOST or HOST:PORT (an IPv6 address in brackets: [fd00::1]:7700). */
        public static Settings of(String image, String namespace, String coordinator, Duration connectTimeout) {
            String host = coordinator;
            int port = DEFAULT_PORT;
            if (coordinator != null) {
                int colon = coordinator.lastIndexOf(':');
                boolean hasPort = colon > 0 && (coordinator.indexOf(':') == colon || coordinator.charAt(colon - 1) == ']');
                if (hasPort) {
                    host = coordinator.substring(0, colon);
                    try {
                        port = Integer.parseInt(coordinator.substring(colon + 1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--coordinator '" + coordinator + "': write HOST[:PORT], e.g. 10.244.1.7:7700");
                    }
                }
                host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            }
            return new Settings(image, namespace, host, port, connectTimeout);
        }
    }

    private final KubernetesClient client;
    private final ClusterConnection connection;
    private final Settings settings;
    private final Journal journal;
    private final String runId;
    private final String namespace;
    private final String jobName;
    private volatile boolean created;
    private volatile boolean deleted;
    private volatile int size;
    private final JobPods.Grace grace;
    private volatile JobPods pods;

    /** {@code client} is closed with this launcher. */
    public IndexedJobInjectors(KubernetesClient client, ClusterConnection connection, Settings settings, Journal journal, String runId) {
        this(client, connection, settings, journal, runId, JobPods.Grace.DEFAULT);
    }

    /** With other grace periods for pods in trouble (tests). */
    IndexedJobInjectors(KubernetesClient client, ClusterConnection connection, Settings settings, Journal journal, String runId,
            JobPods.Grace grace) {
        this.grace = grace;
        this.client = client;
        this.connection = connection;
        this.settings = settings;
        this.journal = journal;
        this.runId = runId;
        this.namespace = settings.namespace() != null ? settings.namespace()
                : client.getNamespace() != null ? client.getNamespace() : "default";
        this.jobName = jobName(runId);
    }

    /** A site for {@code run.ExperimentRun.injectors}: one Job per run. */
    public static InjectorSite site(ClusterConnection connection, Settings settings) {
        return (runId, journalDir) -> {
            KubernetesClient client;
            try {
                client = connection.client();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot reach the cluster for the injector Job through " + connection.describe()
                        + ": " + e.getMessage(), e);
            }
            return new IndexedJobInjectors(client, connection, settings, new Journal(journalDir, runId), runId);
        };
    }

    /** slogate-fleet-<run id>, as a DNS label short enough for its pods' names and hostnames. */
    static String jobName(String runId) {
        String n = ("slogate-fleet-" + runId.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9-]", "-");
        n = n.length() > 52 ? n.substring(0, 52) : n;
        return n.replaceAll("-+$", "");
    }

    /** A run id as a label value: the same derivation as every other run label ({@link RunLabel}). */
    static String labelValue(String runId) {
        return RunLabel.value(runId);
    }

    public String namespace() {
        return namespace;
    }

    public String jobName() {
        return jobName;
    }

    @Override
    public String name(int i) {
        return "injector-" + i;
    }

    @Override
    public InetSocketAddress listenOn() {
        try {
            // a literal IP (the pod's own, from the downward API) is an address of this pod: listen there only
            String host = settings.coordinatorHost();
            boolean literal = host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
            InetAddress at = literal ? InetAddress.getByName(host) : new InetSocketAddress(0).getAddress();
            return new InetSocketAddress(at, settings.coordinatorPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("--coordinator " + settings.coordinatorHost() + " is not an address of this machine", e);
        }
    }

    @Override
    public Duration connectTimeout() {
        return settings.connectTimeout();
    }

    @Override
    public String describe(int n) {
        return n + " injector pods of the Indexed Job " + namespace + "/" + jobName + " (image " + settings.image() + ")";
    }

    @Override
    public List<Injector> launch(List<String> names, int port, LoadPlan plan) {
        size = names.size();
        Duration expected = settings.connectTimeout().plus(plan.warmUp()).plus(plan.load().duration())
                .plus(plan.load().requestTimeout() == null ? Duration.ofSeconds(60) : plan.load().requestTimeout())
                .plusMinutes(5); // boot, stop, margin: only a bound for pods whose coordinator vanished
        Job job = InjectorJob.of(jobName, namespace, runId, settings.image(), settings.coordinatorHost() + ":" + port, size, expected);
        Map<String, String> data = new HashMap<>(connection.journalData());
        data.put("namespace", namespace);
        data.put("job", jobName);
        journal.recordEntry(JOURNAL_CREATED, data);
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create(); // batch jobs create
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot create the injector Job " + namespace + "/" + jobName + " through "
                    + connection.describe() + ": " + e.getMessage() + (e.getCode() == 403
                    ? " (the service account needs jobs create/get/delete in " + namespace + ": see the Role slogate-fleet in k8s/rbac.yaml)"
                    : ""), e);
        }
        created = true;
        JobPods watch = new JobPods(client, namespace, jobName, grace, w -> System.err.println("slogate: " + w));
        pods = watch;
        watch.start();
        List<Injector> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new JobInjector(names.get(i), i, namespace + "/" + jobName, watch));
        }
        return out;
    }

    @Override
    public Optional<String> whyNotConnected(List<String> names) {
        try {
            Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get(); // batch jobs get
            if (job == null) {
                return Optional.of("the Job " + namespace + "/" + jobName + " is gone");
            }
            JobStatus s = job.getStatus();
            int active = s == null || s.getActive() == null ? 0 : s.getActive();
            int ready = s == null || s.getReady() == null ? 0 : s.getReady();
            int failed = s == null || s.getFailed() == null ? 0 : s.getFailed();
            List<String> podStates = new ArrayList<>();
            JobPods watch = pods;
            for (int i = 0; watch != null && i < size; i++) {
                if (names.contains(name(i))) {
                    int index = i;
                    podStates.add(watch.seen(i).map(p -> "index " + index + ": pod " + p.pod() + " " + p.state())
                            .orElse("index " + index + ": no pod seen"));
                }
            }
            return Optional.of(String.format(Locale.ROOT, "the Job %s/%s has %d of %d pods active, %d ready, %d failed;%s"
                    + " check with kubectl -n %s describe job %s, and that its pods can reach %s:%s", namespace, jobName, active, size,
                    ready, failed, podStates.isEmpty() ? "" : " " + String.join("; ", podStates) + ";", namespace, jobName,
                    settings.coordinatorHost(), settings.coordinatorPort() == 0 ? "port" : settings.coordinatorPort()));
        } catch (KubernetesClientException e) {
            return Optional.of("cannot read the Job " + namespace + "/" + jobName + ": " + e.getMessage());
        }
    }

    /** Deletes the Job and, through background propagation, its pods. */
    @Override
    public void close() {
        JobPods watch = pods;
        if (watch != null) {
            watch.close();
        }
        try {
            if (created && !deleted) {
                delete(client, namespace, jobName);
                deleted = true;
                journal.recordEntry(JOURNAL_DELETED, Map.of("namespace", namespace, "job", jobName));
            }
        } catch (KubernetesClientException e) {
            System.err.println("slogate: could not delete the injector Job " + namespace + "/" + jobName + " (" + e.getMessage()
                    + "); `slogate cleanup` deletes it, and Kubernetes does after its active deadline + " + InjectorJob.TTL_SECONDS + " s");
        } finally {
            client.close();
        }
    }

    private static boolean delete(KubernetesClient client, String namespace, String name) {
        return !client.batch().v1().jobs().inNamespace(namespace).withName(name) // batch jobs delete
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
    }

    /**
     * {@code slogate cleanup}: deletes every journaled injector Job that its run did not delete, one line per Job; the
     * Job of a run that is still going is left alone (and said so) unless {@code force}.
     */
    public static List<String> cleanup(Path journalDir, boolean force) {
        List<String> done = new ArrayList<>();
        List<Map<String, String>> deletedJobs = Journal.entries(journalDir, JOURNAL_DELETED);
        for (Journal.Recorded created : Journal.recorded(journalDir, JOURNAL_CREATED)) {
            Map<String, String> e = created.data();
            String ns = e.get("namespace");
            String name = e.get("job");
            String run = e.get("runId");
            boolean gone = deletedJobs.stream().anyMatch(d -> ns.equals(d.get("namespace")) && name.equals(d.get("job"))
                    && run.equals(d.get("runId")));
            if (gone) {
                continue;
            }
            if (created.ownerAlive() && !force) {
                done.add("skipped the injector Job " + ns + "/" + name + " of run " + run + ": that run is still going (pid "
                        + created.owner().pid() + "); `slogate cleanup --force` deletes it");
                continue;
            }
            ClusterConnection connection = ClusterConnection.fromJournal(e);
            try (KubernetesClient client = connection.client()) {
                boolean existed = delete(client, ns, name);
                new Journal(journalDir, run).recordEntry(JOURNAL_DELETED, Map.of("namespace", ns, "job", name));
                done.add((existed ? "deleted the injector Job " : "the injector Job was already gone: ") + ns + "/" + name
                        + " (run " + run + ")");
            } catch (RuntimeException ex) {
                done.add("FAILED to delete the injector Job " + ns + "/" + name + " of run " + run + " through "
                        + connection.describe() + ": " + ex.getMessage());
            }
        }
        return done;
    }
}
