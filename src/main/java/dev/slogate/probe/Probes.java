package dev.slogate.probe;

import dev.slogate.experiment.ProbeSpec;
import java.util.ArrayList;
import java.util.List;

/** The probes of one run, started with the load and finished after it; all no-ops without probes. */
public final class Probes {
    private final List<WriteProbe> probes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile boolean started;

    /** HTTP probes only (a JDBC probe needs {@link #Probes(List, String, String, List)}). */
    public Probes(List<ProbeSpec> specs, String baseUrl) {
        this(specs, baseUrl, "run", List.of());
    }

    /**
     * HTTP probes write to {@code baseUrl}; JDBC probes to their own URL, or, for {@code jdbc: sandbox}, to the
     * sandbox's PostgreSQL servers {@code sandboxDatabase} ({@code host:port} each; empty without a sandbox database).
     * JDBC rows are tagged with {@code runId}.
     */
    public Probes(List<ProbeSpec> specs, String baseUrl, String runId, List<String> sandboxDatabase) {
        for (ProbeSpec s : specs) {
            if (!s.isJdbc()) {
                probes.add(new WriteProbe(s, baseUrl));
            } else if (!s.jdbc().sandboxTarget()) {
                probes.add(WriteProbe.jdbc(s, s.jdbc().url(), runId));
            } else if (sandboxDatabase.isEmpty()) {
                problems.add("probe " + s.name() + " writes to the sandbox's database, but the sandbox has none;"
                        + " add database: {replication: async} to spec.target.sandbox (and stop a running sandbox without one)");
            } else {
                probes.add(WriteProbe.jdbc(s, WriteProbe.sandboxJdbcUrl(sandboxDatabase), runId));
            }
        }
    }

    /** Before the run: each probe's write path is usable (JDBC: login, table). What is wrong, or empty. */
    public List<String> open() {
        List<String> out = new ArrayList<>(problems);
        for (WriteProbe p : probes) {
            try {
                p.open();
            } catch (Exception e) {
                out.add("probe " + p.name() + ": " + e.getMessage());
            }
        }
        return out;
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
