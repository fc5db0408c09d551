package dev.slogate.load.fleet;

import java.util.Optional;

/**
 * A pod of the Job, known by its index; liveness comes from its connection, like any injector's, and its end also
 * from its pod's status ({@link JobPods}): a pod that cannot start or whose container terminated.
 */
record JobInjector(String name, int index, String job, JobPods pods) implements InjectorLauncher.Injector {
    /** How long a failed injector's post-mortem waits for its pod's status to say why (the kubelet reports late). */
    static final long POST_MORTEM_MILLIS = 5_000;

    @Override
    public String label() {
        return name + " (index " + index + " of Job " + job + ")";
    }

    @Override
    public Optional<String> ended() {
        return pods.seen(index).flatMap(JobPods.Seen::failure).map(f -> "failed: " + f);
    }

    @Override
    public String postMortem() {
        long deadline = System.currentTimeMillis() + POST_MORTEM_MILLIS;
        while (true) {
            Optional<JobPods.Seen> seen = pods.seen(index);
            if (seen.isPresent() && seen.get().failure().isPresent()) {
                return "; " + seen.get().failure().get();
            }
            if (System.currentTimeMillis() > deadline) {
                return seen.map(s -> "; its pod " + s.pod() + " " + s.state()).orElse("");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }
}
