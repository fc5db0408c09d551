package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveKind;
import dev.slogate.experiment.SloDef;
import dev.slogate.timeline.Window;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * An objective kind that judges: the half of {@link ObjectiveKind} that needs the run's evidence. Every registered kind
 * implements it; {@link SloEvaluator} hands each window of each SLO to its kind.
 */
public interface Objective extends ObjectiveKind {
    /**
     * Judges the SLO over one window (it occurred and ran as scheduled) and adds its result, or results (one per
     * source), to {@code evidence}.
     */
    void judge(SloDef slo, Window w, Evidence evidence);

    /**
     * Judging in time slices ({@link SloDef#slices()}): kinds that can return how to read one slice; null (the default)
     * judges the window as a whole even when slices are asked for.
     */
    default Sliced sliced(SloDef slo) {
        return null;
    }

    /** How a kind is measured in time slices. */
    interface Sliced {
        /** What a slice measures, as results name it: "p95 latency", "availability". */
        String label();

        /** How its values are written: "312 ms", "99.5 %". */
        DoubleFunction<String> format();

        /** Client side: a slice's value from its seconds' tally, NaN without data. */
        double client(ClientTally slice);

        /** Prometheus side: every slice's value; Prometheus was checked to be there. */
        Evidence.SliceValues prometheus(List<Window> slices, Evidence evidence);
    }
}
