package dev.slogate.load.fleet;

import dev.slogate.cluster.RunLabel;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Indexed Job that {@link IndexedJobInjectors} creates: its pods, their resources and their locked-down security. */
final class InjectorJob {
    /** Where each pod's Gatling writes: an emptyDir, the container's root file system is read-only. */
    static final String POD_WORK_DIR = "/tmp/slogate";
    /** Per pod, requests = limits (Guaranteed QoS, no CFS throttling): the sizing rule in docs/guides/fleet.md. */
    static final String CPU = "2";
    static final String MEMORY = "1536Mi";
    static final String JAVA_OPTS = "-XX:+UseParallelGC -Xss512k -Xmx1g";
    /** Finished Jobs that slogate could not delete (it was killed) still go away by themselves. */
    static final int TTL_SECONDS = 3600;

    private InjectorJob() {
    }

    /** The Job slogate creates; k8s/indexed-job.yaml shows it for N = 3 (a test compares the two). */
    static Job of(String name, String namespace, String runId, String image, String coordinator, int size, Duration activeDeadline) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "slogate");
        labels.put("app.kubernetes.io/component", "injector");
        labels.put(IndexedJobInjectors.RUN_ID_LABEL, RunLabel.value(runId));
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                .withCompletionMode("Indexed").withCompletions(size).withParallelism(size)
                .withBackoffLimit(0) // an injector that fails is a failed run, not a pod to restart mid-load
                .withTtlSecondsAfterFinished(TTL_SECONDS)
                .withActiveDeadlineSeconds(activeDeadline.toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false) // injectors never call the API
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L).endSecurityContext()
                .addNewContainer()
                .withName("injector").withImage(image)
                .withArgs("injector", "--connect", coordinator, "--work-dir", POD_WORK_DIR)
                .withEnv(new EnvVarBuilder().withName(InjectorMain.INDEX_ENV).withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']").endFieldRef()
                                .endValueFrom().build(),
                        new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(JAVA_OPTS).build())
                .withNewResources()
                .addToRequests("cpu", new Quantity(CPU)).addToRequests("memory", new Quantity(MEMORY))
                .addToLimits("cpu", new Quantity(CPU)).addToLimits("memory", new Quantity(MEMORY))
                .endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
