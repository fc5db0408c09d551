package dev.slogate.run;

import dev.slogate.experiment.ScheduledFault;
import dev.slogate.fault.FaultInjector;
import dev.slogate.fault.InjectedFault;
import dev.slogate.fault.Journal;
import dev.slogate.probe.Probes;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.FaultSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A run's faults on its clock: each injected at its time and reverted at its end (or on a stop condition, an
 * interruption, the end of the load), and a revert by someone else ({@code slogate cleanup --force}) noticed within a
 * second. Every injection and revert goes on the timeline; each revert closes the fault's span for judging.
 */
final class FaultSchedule {
    private final List<ScheduledFault> faults;
    private final FaultInjector injector;
    private final Journal journal;
    private final RunLog log;
    private final BooleanSupplier stopped;
    // synchronized on its own: the progress line reads it every second while holding Progress's lock, and inject()
    // holds this schedule's lock while it reports to Progress; locking the schedule there deadlocked (lock-order inversion)
    private final Map<String, InjectedFault> active = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<FaultSpan> spans = Collections.synchronizedList(new ArrayList<>());
    private volatile Probes probes = new Probes(List.of(), "");
    private volatile Progress progress;

    /** {@code journal} tells when someone else reverted a fault; {@code stopped}: no injection after a stop. */
    FaultSchedule(List<ScheduledFault> faults, FaultInjector injector, Journal journal, RunLog log, BooleanSupplier stopped) {
        this.faults = faults;
        this.injector = injector;
        this.journal = journal;
        this.log = log;
        this.stopped = stopped;
    }

    /** The write probes, told of each revert (their RPO is per fault). */
    void probes(Probes probes) {
        this.probes = probes;
    }

    /** The live progress, told of each injection and revert. */
    void progress(Progress progress) {
        this.progress = progress;
    }

    /** Schedules every injection and revert relative to the run's start (epoch ms), and the check for reverts elsewhere. */
    void start(long start, ScheduledExecutorService scheduler) {
        long now = System.currentTimeMillis();
        for (ScheduledFault f : faults) {
            scheduler.schedule(() -> inject(f), start + f.at().toMillis() - now, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> revert(f.name(), "scheduled end"), start + f.end().toMillis() - now, TimeUnit.MILLISECONDS);
        }
        if (!faults.isEmpty()) {
            scheduler.scheduleWithFixedDelay(this::noticeRevertsElsewhere, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** The faults' windows so far, each from its injection to its revert. */
    List<FaultSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** The names of the faults in place now. */
    List<String> activeNames() {
        synchronized (active) {
            return List.copyOf(active.keySet());
        }
    }

    private synchronized void inject(ScheduledFault f) {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            InjectedFault injected = injector.inject(f.name(), f.fault());
            active.put(f.name(), injected);
            log.record(new Event(injected.injectedAtMillis(), Event.Kind.FAULT_INJECTED, f.name(),
                    f.fault().type() + f.fault().kind().describe(f.fault()) + " on " + String.join(", ", injected.targets())));
            progress.event("fault " + f.name() + ": " + f.fault().type() + f.fault().kind().describe(f.fault()) + " on " + String.join(", ", injected.targets()));
        } catch (RuntimeException e) {
            log.note("fault " + f.name() + " could not be injected: " + e.getMessage());
            progress.event("fault " + f.name() + " could not be injected: " + e.getMessage());
        }
    }

    private synchronized void revert(String name, String why) {
        InjectedFault f = active.get(name);
        if (f == null || cutIfRevertedElsewhere(name, f)) {
            return;
        }
        active.remove(name);
        long at = System.currentTimeMillis();
        try {
            injector.revert(f);
        } catch (RuntimeException e) {
            log.note("fault " + name + " could not be reverted (" + e.getMessage() + "); run `slogate cleanup`");
        }
        at = injector.recoveredAtMillis(f).orElse(at); // Chaos Mesh's own Recover time, when it reports one
        spans.add(new FaultSpan(name, f.injectedAtMillis(), at));
        probes.faultReverted(name, f.injectedAtMillis(), at);
        log.record(new Event(at, Event.Kind.FAULT_REVERTED, name, why));
        Progress p = progress;
        if (p != null) {
            p.event("fault " + name + " reverted (" + why + ")");
        }
    }

    /** Reverts every fault in place now. */
    synchronized void revertAll(String why) {
        for (String name : activeNames()) {
            revert(name, why);
        }
    }

    /** Every second: has someone else (`slogate cleanup --force`) reverted an active fault of this run? */
    private synchronized void noticeRevertsElsewhere() {
        for (String name : activeNames()) {
            InjectedFault f = active.get(name);
            if (f != null) {
                cutIfRevertedElsewhere(name, f);
            }
        }
    }

    /**
     * If the journal says someone else reverted {@code f}, its window ends there: the span records why (its SLOs are
     * then not judged, so the run is inconclusive) and the run does not revert it again.
     */
    private boolean cutIfRevertedElsewhere(String name, InjectedFault f) {
        Optional<Journal.Reversal> r = journal.revertedElsewhere(f.id());
        if (r.isEmpty()) {
            return false;
        }
        active.remove(name);
        long at = Math.max(f.injectedAtMillis(), r.get().atMillis());
        String why = "fault " + name + " was reverted by someone else at " + Instant.ofEpochMilli(at) + ", before its scheduled end ("
                + r.get().describe() + ")";
        spans.add(new FaultSpan(name, f.injectedAtMillis(), at, why));
        probes.faultReverted(name, f.injectedAtMillis(), at);
        log.record(new Event(at, Event.Kind.FAULT_REVERTED, name, why));
        log.note(why + "; the SLOs over fault:" + name + " and recovery:" + name + " are not judged");
        Progress p = progress;
        if (p != null) {
            p.event(why);
        }
        return true;
    }
}
