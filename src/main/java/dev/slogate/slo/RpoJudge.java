package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Rpo;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Judges an {@code rpo} objective over one fault window from its write-integrity probe's result. */
final class RpoJudge {
    static final String SOURCE = "probe";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private RpoJudge() {
    }

    static String objective(SloDef slo) {
        return "RPO " + slo.op().symbol() + " " + Units.seconds(slo.target());
    }

    static SloResult judge(SloDef slo, SloDef.Rpo rpo, Window w, List<ProbeResult> probes) {
        if (!w.name().startsWith(Windows.FAULT_PREFIX)) {
            return noData(slo, w, "RPO is measured per fault; " + w.name() + " is not the window of an injected fault");
        }
        String fault = w.name().substring(Windows.FAULT_PREFIX.length());
        ProbeResult probe = probes.stream().filter(p -> p.probe().equals(rpo.probe())).findFirst().orElse(null);
        if (probe == null) {
            return noData(slo, w, "probe '" + rpo.probe() + "' did not run");
        }
        ProbeResult.FaultLoss f = probe.fault(fault).orElse(null);
        if (f == null) {
            return noData(slo, w, "probe '" + rpo.probe() + "' read nothing back after " + fault + " (was it reverted before the run ended?)");
        }
        if (f.loss() == null) {
            return noData(slo, w, "probe '" + rpo.probe() + "' could not read back after " + fault + ": " + f.problem());
        }
        Rpo.Loss l = f.loss();
        double measured = l.rpoSeconds();
        boolean pass = slo.op().holds(measured, slo.target());
        String what = l.lost() == 0
                ? "no acknowledged write lost (" + l.acknowledged() + " acknowledged)"
                : l.lost() + " of " + l.acknowledged() + " acknowledged writes lost, acknowledged " + CLOCK.format(Instant.ofEpochMilli(l.firstLostAckMillis()))
                + "-" + CLOCK.format(Instant.ofEpochMilli(l.lastLostAckMillis())) + " UTC"
                + (l.lowerBound() ? "; none survived, so the RPO is at least this" : "");
        String message = "RPO " + (l.lowerBound() ? ">= " : "") + Units.latency(measured) + " " + Units.relation(measured, slo.target()) + " "
                + Units.seconds(slo.target()) + " in " + w.name() + " (probe " + rpo.probe() + "): " + what
                + (l.refused() > 0 ? "; " + l.refused() + " writes refused (availability, not data)" : "");
        return new SloResult(slo.name(), w.name(), SOURCE, objective(slo), measured, "s", pass ? Verdict.PASS : Verdict.FAIL, message);
    }

    private static SloResult noData(SloDef slo, Window w, String why) {
        return new SloResult(slo.name(), w.name(), SOURCE, objective(slo), null, null, Verdict.NO_DATA, "no data: " + why);
    }
}
