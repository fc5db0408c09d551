package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Rpo;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.time.Duration;
import java.util.List;

/** {@code rpo: {below: 5s, probe: writes}}: the recovery point of each fault it covers, from a write probe ({@link RpoJudge}). */
public final class RpoObjective implements Objective {
    @Override
    public Class<Rpo> indicator() {
        return Rpo.class;
    }

    @Override
    public List<String> keys() {
        return List.of("rpo");
    }

    @Override
    public Scope scope() {
        return Scope.FAULTS;
    }

    @Override
    public Reading read(ObjectiveInput block) {
        ObjectiveInput o = block.keys(List.of("below", "probe"));
        Duration below = o.requireDuration("below", "write below: 5m (the most recent data a fault may lose; 0s: none)", true);
        String probe = o.requireText("probe", "write probe: writes (the name of a write-integrity probe in the scenario's spec.probes)");
        return new Reading(probe == null ? null : new Rpo(probe), Op.LTE, below == null ? null : below.toNanos() / 1e9, false);
    }

    @Override
    public String sentence(SloDef slo) {
        return "recovery point " + slo.op().symbol() + " " + Wording.seconds(slo.target()) + " (lost acknowledged writes of probe "
                + ((Rpo) slo.indicator()).probe() + ")";
    }

    @Override
    public String objective(SloDef slo) {
        return RpoJudge.objective(slo);
    }

    @Override
    public String source(SloDef slo) {
        return RpoJudge.SOURCE;
    }

    @Override
    public void check(SloDef slo, ScenarioParts scenario) {
        String probe = ((Rpo) slo.indicator()).probe();
        List<String> names = scenario.probes();
        if (!names.contains(probe)) {
            scenario.problemAtSlo("RPO '" + slo.name() + "' reads probe '" + probe + "', but the scenario has "
                            + (names.isEmpty() ? "no probes" : "only the probes " + String.join(", ", names)),
                    names.isEmpty() ? "add spec.probes: [{name: " + probe + ", write: {path: /records}, read: {path: '/records?from=${from}'}}]"
                            : "write probe: " + names.get(0));
        }
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        e.add(RpoJudge.judge(slo, (Rpo) slo.indicator(), w, e.probes()));
    }
}
