package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.List;
import java.util.NavigableMap;

/**
 * The scaling response to one load step, over its {@code step:<n>} window [step start, stage end):
 * <ul>
 *   <li>capacity time: from the step's start until the ready replicas first reach the most the autoscaler wanted
 *   during the step (0 when enough ran already);</li>
 *   <li>recovered time: from the step's start until latency and errors, after leaving the objective's criteria, are
 *   back within them and stay there for {@code stableFor}, from the client's per-second tallies exactly as an RTO is
 *   ({@link RecoveryScan}) with the first unhealthy second as the "injection"; 0 when they never left them.</li>
 * </ul>
 * Both are reported; the objective judges the recovered time unless it says {@code measure: capacity}.
 */
final class ScalingResponse {
    private ScalingResponse() {
    }

    /** When the desired capacity was running: null when it never was within the window. */
    record Capacity(Long readyMillis, int from, int peakDesired, int readyAtEnd) {
        double seconds(long stepStart) {
            return readyMillis == null ? Double.NaN : (readyMillis - stepStart) / 1000.0;
        }
    }

    static Capacity capacity(List<CapacitySample> samples, long stepStart, long windowEnd) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no capacity samples");
        }
        int peak = 0;
        for (CapacitySample s : samples) {
            if (s.atMillis() < windowEnd) {
                peak = Math.max(peak, s.desired());
            }
        }
        int from = samples.get(0).ready();
        int ready = from;
        for (CapacitySample s : samples) {
            if (s.atMillis() >= windowEnd) {
                break;
            }
            ready = s.ready();
            if (s.ready() >= peak) {
                return new Capacity(Math.max(stepStart, s.atMillis()), from, peak, ready);
            }
        }
        return new Capacity(null, from, peak, ready);
    }

    static SloResult judge(SloDef slo, SloDef.Scaling scaling, Window w, NavigableMap<Long, ClientTally> perSecond,
                           List<Window> windows, CapacityHistory history) {
        String objective = SloEvaluator.objective(slo);
        if (!w.name().startsWith(Windows.STEP_PREFIX)) {
            return noData(slo, w, objective, "a scaling response is measured per load step; " + w.name() + " is not a step:<n> window");
        }
        long start = w.startMillis();
        long end = w.endMillis();
        Long degraded = firstUnhealthy(scaling.criteria(), start, end, perSecond);
        RecoveryScan.Outcome o = RecoveryScan.scan(scaling.criteria(), degraded == null ? start : degraded, end, perSecond);
        Double recovered = degraded == null && o.observed() ? Double.valueOf(0)
                : o.recoveredMillis() == null ? null : (o.recoveredMillis() - start) / 1000.0;
        CapacityHistory.Reading reading = history.read(scaling, start, end);
        Capacity cap = reading.problem() == null ? capacity(reading.samples(), start, end) : null;
        Double capacitySeconds = cap == null || cap.readyMillis() == null ? null : cap.seconds(start);

        String capacityText = cap == null ? "capacity time unknown (" + reading.problem() + ")"
                : cap.readyMillis() == null ? "capacity never caught up: " + cap.readyAtEnd() + " of " + cap.peakDesired()
                + " wanted replicas ready at the end of " + w.name() + " (" + reading.source() + ")"
                : cap.peakDesired() <= cap.from() ? "capacity " + cap.from() + " replicas, enough from the start (" + reading.source() + ")"
                : "capacity " + cap.from() + " -> " + cap.peakDesired() + " replicas ready at +" + Units.seconds(capacitySeconds)
                + " (" + reading.source() + ")";
        String criteria = "error rate <= " + Units.percent(scaling.criteria().maxErrorRate())
                + (scaling.criteria().maxLatencySeconds() > 0 && !Double.isInfinite(scaling.criteria().maxLatencySeconds())
                ? " and " + Units.percentile(scaling.criteria().latencyPercentile()) + " < " + Units.latency(scaling.criteria().maxLatencySeconds()) : "");
        String recoveredText = degraded == null && o.observed() ? "stayed within " + criteria + " through the step"
                : recovered != null ? "left " + criteria + " at +" + Units.seconds((degraded - start) / 1000.0) + ", back within it at +" + Units.seconds(recovered)
                + " and stable for " + Units.seconds(o.stableSeconds())
                : !o.observed() ? "no request completed during " + w.name()
                : "left " + criteria + " at +" + Units.seconds((degraded - start) / 1000.0) + " and was not back within it for "
                + Units.seconds(o.stableSeconds()) + " before " + w.name() + " ended";

        Double measured = scaling.measureCapacity() ? capacitySeconds : recovered;
        String what = scaling.measureCapacity() ? "capacity time" : "scaling response";
        if (measured == null) {
            boolean noData = scaling.measureCapacity() ? cap == null : !o.observed();
            if (noData) {
                return noData(slo, w, objective, what + " of " + w.name() + ": " + (scaling.measureCapacity() ? capacityText : recoveredText));
            }
            // never caught up within the step: the time observed is a lower bound, and it fails
            double lowerBound = (end - start) / 1000.0;
            return new SloResult(slo.name(), w.name(), "client", objective, lowerBound, "s", Verdict.FAIL,
                    what + " of " + w.name() + " is more than " + Units.seconds(lowerBound) + " (the whole step), objective "
                            + slo.op().symbol() + " " + Units.seconds(slo.target()) + ": " + recoveredText + "; " + capacityText);
        }
        boolean pass = slo.op().holds(measured, slo.target());
        String message = what + " " + Units.seconds(measured) + " " + Units.relation(measured, slo.target()) + " "
                + Units.seconds(slo.target()) + " after " + w.name() + " (" + (scaling.measureCapacity() ? reading.source() : "client") + "): "
                + recoveredText + "; " + capacityText;
        return new SloResult(slo.name(), w.name(), scaling.measureCapacity() ? "capacity" : "client", objective, measured, "s",
                pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    /**
     * The first second at or after the step's start (in epoch ms) that is unhealthy by the criteria, judged as
     * {@link RecoveryScan} does; null when every second with requests is healthy. A step usually takes a few seconds to
     * hurt (queues fill first), so recovery is looked for from here: the service must have left its criteria to come back.
     */
    static Long firstUnhealthy(SloDef.Rto criteria, long start, long end, NavigableMap<Long, ClientTally> perSecond) {
        long first = Math.floorDiv(start, 1000);
        long last = Math.floorDiv(end - 1, 1000);
        int window = (int) Math.max(1, Math.round(criteria.evaluationWindowSeconds()));
        for (long s = first; s <= last; s++) {
            var seconds = perSecond.subMap(Math.max(first, s - window + 1), true, s, true).values();
            if (ClientTally.sum(seconds).completed() > 0 && !RecoveryScan.healthy(criteria, seconds)) {
                return Math.max(start, s * 1000);
            }
        }
        return null;
    }

    private static SloResult noData(SloDef slo, Window w, String objective, String why) {
        return new SloResult(slo.name(), w.name(), "client", objective, null, null, Verdict.NO_DATA, "no data: " + why);
    }
}
