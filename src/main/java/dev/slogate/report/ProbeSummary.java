package dev.slogate.report;

import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Rpo;
import dev.slogate.slo.SloResult;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.List;

/** The write-integrity probes in plain sentences, for the HTML and Markdown reports: one headline per probe, one line per fault. */
final class ProbeSummary {
    private ProbeSummary() {
    }

    record Probe(String headline, List<String> faults) {
    }

    static List<Probe> of(RunReport r) {
        List<Probe> out = new ArrayList<>();
        for (ProbeResult p : r.probes()) {
            StringBuilder h = new StringBuilder("Probe ").append(p.probe()).append(" (").append(Format.number(p.ratePerSecond()))
                    .append(" writes/s): ").append(p.sent()).append(" writes, ").append(p.acknowledged()).append(" acknowledged, ")
                    .append(p.refused()).append(" refused; ").append(p.lost()).append(" acknowledged writes lost by the end");
            if (p.integrity() != null) {
                h.append("; ").append(p.integrity().records()).append(" records stored, ").append(p.integrity().duplicates())
                        .append(" duplicates, ").append(p.integrity().reordered()).append(" stored out of order");
            }
            p.problems().forEach(x -> h.append("; ").append(x));
            List<String> faults = new ArrayList<>();
            for (ProbeResult.FaultLoss f : p.faults()) {
                faults.add(fault(r, p, f));
            }
            out.add(new Probe(h.toString(), faults));
        }
        return out;
    }

    private static String fault(RunReport r, ProbeResult p, ProbeResult.FaultLoss f) {
        if (f.loss() == null) {
            return f.fault() + ": not measured (" + f.problem() + ")";
        }
        Rpo.Loss l = f.loss();
        StringBuilder s = new StringBuilder(f.fault()).append(": ");
        if (l.lost() == 0) {
            s.append("no acknowledged write lost (").append(l.acknowledged()).append(" acknowledged); RPO 0 s");
        } else {
            s.append(l.lost()).append(" of ").append(l.acknowledged()).append(" acknowledged writes lost, acknowledged ")
                    .append(Format.offset(l.firstLostAckMillis(), r.startMillis())).append(" to ")
                    .append(Format.offset(l.lastLostAckMillis(), r.startMillis())).append(" (")
                    .append(Format.seconds((l.lastLostAckMillis() - l.firstLostAckMillis()) / 1000.0)).append(" span); RPO ")
                    .append(l.lowerBound() ? ">= " : "").append(Format.seconds(l.rpoSeconds()));
        }
        for (SloResult res : r.results()) {
            if (res.window().equals(Windows.FAULT_PREFIX + f.fault()) && res.objective() != null && res.objective().startsWith("RPO")
                    && res.message().contains("(probe " + p.probe() + ")")) {
                s.append(" vs objective ").append(res.objective()).append(": ").append(res.verdict());
            }
        }
        if (l.refused() > 0) {
            s.append("; ").append(l.refused()).append(" writes refused");
        }
        if (l.unacknowledgedStored() > 0) {
            s.append(" (").append(l.unacknowledgedStored()).append(" of them stored anyway: committed, but the answer never came)");
        }
        return s.toString();
    }
}
