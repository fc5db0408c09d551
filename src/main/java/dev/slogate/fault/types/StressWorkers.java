package dev.slogate.fault.types;

import dev.slogate.experiment.FaultKeys;

/** The {@code workers} key the stress types share: how many stress-ng workers Chaos Mesh runs in each chosen pod. */
final class StressWorkers {
    static final String KEY = "workers";
    /** Chaos Mesh's StressChaos CRD: workers has maximum 8192 (stress-ng's own limit). */
    static final int MAX = 8192;

    private StressWorkers() {
    }

    /** 1 when not written; null after a problem. */
    static Integer read(FaultKeys keys) {
        Integer workers = keys.integer(KEY, 1, 1);
        if (workers != null && workers > MAX) {
            keys.problem(KEY, keys.path(KEY) + " is " + workers + ", but Chaos Mesh runs at most " + MAX + " stress workers",
                    "write workers: " + MAX + " or fewer");
            return null;
        }
        return workers;
    }
}
