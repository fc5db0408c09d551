package dev.slogate.probe;

import dev.slogate.experiment.ProbeSpec;
import java.util.List;

/** The probes of one run, started with the load and finished after it; all no-ops without probes. */
public final class Probes {
    private final List<WriteProbe> probes;
    private volatile boolean started;

    public Probes(List<ProbeSpec> specs, String baseUrl) {
        this.probes = specs.stream().map(s -> new WriteProbe(s, baseUrl)).toList();
    }

    public void start() {
        probes.forEach(WriteProbe::start);
        started = true;
    }

    /** After a fault's recovery: each probe reads back once (in the background) to judge that fault. */
    public void faultReverted(String fault, long injectedMillis, long revertedMillis) {
        if (started) {
            probes.forEach(p -> p.faultReverted(fault, injectedMillis, revertedMillis));
        }
    }

    /** Stops writing, reads back a last time and returns every probe's result (none if they never started). */
    public List<ProbeResult> finish() {
        return started ? probes.stream().map(WriteProbe::finish).toList() : List.of();
    }
}
