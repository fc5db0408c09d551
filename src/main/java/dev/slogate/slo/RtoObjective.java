package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Rto;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Duration;
import java.util.List;

/**
 * {@code rto: {below: 20s}}: the recovery time of each fault it covers, from the client's seconds ({@link RecoveryScan}).
 * Each recovery is also put on the run's timeline. {@code rto: {notWorseThan: 20%, baseline: <run>}} judges it against
 * the recovery from the same fault in an earlier run, scanned the same way ({@link RelativeObjective}).
 */
public final class RtoObjective implements Objective {
    @Override
    public Class<Rto> indicator() {
        return Rto.class;
    }

    @Override
    public List<String> keys() {
        return List.of("rto");
    }

    @Override
    public Scope scope() {
        return Scope.FAULTS;
    }

    @Override
    public Reading read(ObjectiveInput block) {
        ObjectiveInput o = block.keys(List.of("below", "stableFor", "errorRateBelow", "latency", "evaluationWindow",
                RelativeObjective.NOT_WORSE_THAN, RelativeObjective.BASELINE));
        if (RelativeObjective.asked(o)) {
            SloDef.Baseline b = RelativeObjective.read(o, RelativeObjective.Allowance.SHARE_OR_TIME, "below");
            Rto criteria = criteria(o);
            return new Reading(b == null || criteria == null ? null : criteria.against(b), Op.LTE, b == null ? null : b.allowance(), false);
        }
        return new Reading(criteria(o), Op.LTE, below(o), false);
    }

    /** {@code below}, the longest acceptable time, in seconds; null when missing or wrong. */
    static Double below(ObjectiveInput o) {
        Duration below = o.requireDuration("below", "write below: 20s (the longest acceptable recovery)", false);
        return below == null ? null : below.toNanos() / 1e9;
    }

    /** What recovered means, shared with the scaling response: null when a key is wrong. */
    static Rto criteria(ObjectiveInput o) {
        Duration stable = o.duration("stableFor", Duration.ofSeconds(5), true);
        Double maxErrors = o.fraction("errorRateBelow", 0.01);
        Duration eval = o.duration("evaluationWindow", Duration.ofSeconds(3), false);
        double pct = 99;
        double maxLatency = Double.POSITIVE_INFINITY;
        if (o.has("latency")) {
            ObjectiveInput l = o.block("latency", List.of("percentile", "below"));
            Double p = l.percentile("write percentile: 99");
            Duration lb = l.requireDuration("below", "write below: 500ms", false);
            pct = p == null ? pct : p;
            maxLatency = lb == null ? maxLatency : lb.toNanos() / 1e9;
        }
        return stable == null || maxErrors == null || eval == null ? null
                : new Rto(maxErrors, pct, maxLatency, eval.toNanos() / 1e9, stable.toNanos() / 1e9);
    }

    @Override
    public String sentence(SloDef slo) {
        Rto r = (Rto) slo.indicator();
        return "recovery time " + (r.baseline() != null ? RelativeObjective.sentence(r.baseline(), false)
                : slo.op().symbol() + " " + Wording.seconds(slo.target())) + " (back to " + health(r)
                + " over " + Wording.seconds(r.evaluationWindowSeconds()) + ", stable for " + Wording.seconds(r.stableForSeconds()) + ")";
    }

    /** The health an RTO or a scaling response waits for, as the plan writes it: "error rate < 1% and p99 < 500ms". */
    static String health(Rto r) {
        return "error rate < " + Wording.percent(r.maxErrorRate()) + (Double.isInfinite(r.maxLatencySeconds()) ? ""
                : " and p" + Wording.number(r.latencyPercentile()) + " < " + Wording.seconds(r.maxLatencySeconds()));
    }

    @Override
    public String objective(SloDef slo) {
        Rto r = (Rto) slo.indicator();
        if (r.baseline() != null) {
            return RelativeObjective.objective("RTO", r.baseline(), false, true);
        }
        return "RTO " + slo.op().symbol() + " " + Units.seconds(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return Evidence.CLIENT;
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        e.add(judge(slo, (Rto) slo.indicator(), w, e));
    }

    /** The recovery time in the baseline's window of the same fault, scanned with the same criteria. */
    private static RelativeObjective.Value baselineRecovery(Rto rto, Evidence base, Window w) {
        String fault = Windows.faultOf(w.name());
        FaultSpan span = base.fault(fault);
        if (span == null) {
            return RelativeObjective.Value.none(fault + " was not injected");
        }
        RecoveryScan.Outcome o = RecoveryScan.scan(rto, span.injectedMillis(), base.observedUntil(), base.perSecond());
        if (!o.observed()) {
            return RelativeObjective.Value.none("no request completed after " + fault + " was injected (client)");
        }
        if (o.recoveredMillis() == null) {
            return RelativeObjective.Value.none("it never recovered from " + fault + " within " + Units.seconds(o.observedSeconds())
                    + ", so it has no RTO to compare with");
        }
        return RelativeObjective.Value.of((o.recoveredMillis() - span.injectedMillis()) / 1000.0);
    }

    private static SloResult judge(SloDef slo, Rto rto, Window w, Evidence e) {
        String fault = Windows.faultOf(w.name());
        FaultSpan span = e.fault(fault);
        if (span == null) {
            return Evidence.noData(slo, w.name(), Evidence.CLIENT, "RTO is measured per fault; " + w.name() + " is not the window of an injected fault");
        }
        RecoveryScan.Outcome o = RecoveryScan.scan(rto, span.injectedMillis(), e.observedUntil(), e.perSecond());
        if (!o.observed()) {
            return Evidence.noData(slo, w.name(), Evidence.CLIENT, "no request completed after " + fault + " was injected (client)");
        }
        e.recovered(new Recovery(slo.name(), fault, span.injectedMillis(), o.recoveredMillis()));
        String criteria = "error rate <= " + Units.percent(rto.maxErrorRate())
                + (rto.maxLatencySeconds() > 0 && !Double.isInfinite(rto.maxLatencySeconds())
                ? " and " + Units.percentile(rto.latencyPercentile()) + " < " + Units.latency(rto.maxLatencySeconds()) : "")
                + " over " + Units.seconds(Math.max(1, Math.round(rto.evaluationWindowSeconds())));
        String objective = SloEvaluator.objective(slo);
        if (o.recoveredMillis() == null) {
            String message = "never recovered within " + Units.seconds(o.observedSeconds()) + " after " + fault
                    + " (client): " + criteria + " did not hold for " + Units.seconds(o.stableSeconds()) + " before the run ended"
                    + (o.healthyAtEnd() > 0 ? " (it had held for the last " + Units.seconds(o.healthyAtEnd()) + ")" : "")
                    + "; measured is the time observed so far, a lower bound of the RTO";
            return new SloResult(slo.name(), w.name(), Evidence.CLIENT, objective, o.observedSeconds(), "s", Verdict.FAIL, message);
        }
        double seconds = (o.recoveredMillis() - span.injectedMillis()) / 1000.0;
        if (rto.baseline() != null) {
            return RelativeObjective.judge(slo, w, e, rto.baseline(), RelativeObjective.Value.of(seconds), "RTO", "s",
                    Units::seconds, true, (base, bw) -> baselineRecovery(rto, base, bw));
        }
        String how = seconds == 0 ? "; the service stayed within " + criteria
                : "; back within " + criteria + " at +" + Units.seconds(seconds) + " and stable for " + Units.seconds(o.stableSeconds());
        boolean pass = slo.op().holds(seconds, slo.target());
        String message = "RTO " + Units.seconds(seconds) + " " + Units.relation(seconds, slo.target()) + " " + Units.seconds(slo.target())
                + " after " + fault + " (client)" + how;
        return new SloResult(slo.name(), w.name(), Evidence.CLIENT, objective, seconds, "s", pass ? Verdict.PASS : Verdict.FAIL, message);
    }
}
