package dev.slogate.slo;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef.Scaling;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.util.List;

/** {@code scaling: {below: 60s}}: the response to each load step it covers ({@link ScalingResponse}). */
public final class ScalingObjective implements Objective {
    @Override
    public Class<Scaling> indicator() {
        return Scaling.class;
    }

    @Override
    public List<String> keys() {
        return List.of("scaling");
    }

    @Override
    public Scope scope() {
        return Scope.STEPS;
    }

    @Override
    public Reading read(ObjectiveInput block) {
        ObjectiveInput o = block.keys(List.of("below", "stableFor", "errorRateBelow", "latency", "evaluationWindow", "measure", "deployment", "capacity"));
        Double below = RtoObjective.below(o);
        SloDef.Rto criteria = RtoObjective.criteria(o);
        String measure = o.text("measure", "recovered");
        if (measure != null && !measure.equals("recovered") && !measure.equals("capacity")) {
            o.problem("measure", "unknown measure '" + measure + "'",
                    "write measure: recovered (latency and errors back within target, the default) or measure: capacity (the desired pods running)");
        }
        String deployment = o.text("deployment", null);
        if (deployment != null) {
            o.promql("deployment", "kube_deployment_spec_replicas{" + deployment.strip().replaceAll("^\\{|}$", "") + "}");
        }
        ObjectiveInput.Capacity capacity = null;
        if (o.has("capacity")) {
            if (deployment != null) {
                o.problem("capacity", "both deployment and capacity say where the replicas come from",
                        "keep capacity: {from: ..., workload: ..., namespace: ...} and drop deployment:");
            }
            capacity = o.capacity("capacity");
            criteria = capacity == null ? null : criteria;
            deployment = capacity == null ? deployment : capacity.deployment();
        }
        Scaling scaling = criteria == null ? null : new Scaling(criteria, "capacity".equals(measure),
                deployment == null ? null : deployment.strip().replaceAll("^\\{|}$", ""), capacity == null ? null : capacity.workload());
        return new Reading(scaling, Op.LTE, below, false);
    }

    @Override
    public String sentence(SloDef slo) {
        Scaling sc = (Scaling) slo.indicator();
        return "scaling response " + slo.op().symbol() + " " + Wording.seconds(slo.target()) + (sc.measureCapacity() ? " until the desired pods run"
                : " until back to " + RtoObjective.health(sc.criteria()) + ", stable for " + Wording.seconds(sc.criteria().stableForSeconds()))
                + (sc.deployment() == null ? "" : " (replicas of {" + sc.deployment() + "} from kube-state-metrics)")
                + (sc.workload() == null ? "" : " (replicas of " + sc.workload().describe() + " from the Kubernetes API)");
    }

    @Override
    public String objective(SloDef slo) {
        return "scaling response" + (((Scaling) slo.indicator()).measureCapacity() ? " (capacity) " : " ") + slo.op().symbol() + " " + Units.seconds(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return Evidence.CLIENT;
    }

    @Override
    public boolean readsPrometheus(SloDef slo) {
        return ((Scaling) slo.indicator()).deployment() != null;
    }

    @Override
    public void check(SloDef slo, ScenarioParts scenario) {
        if (((Scaling) slo.indicator()).workload() != null && !scenario.kubernetes()) {
            scenario.problemAtSpec("SLO '" + slo.name() + "' (" + slo.source().getFileName() + " line " + slo.line()
                            + ") reads replicas from the Kubernetes API, but the scenario has no spec.kubernetes",
                    "add kubernetes: {kubeconfig: ~/.kube/config, allowedNamespaces: [shop]} (or inCluster: true) to spec");
        }
    }

    @Override
    public List<SloDef.Workload> workloads(SloDef slo) {
        SloDef.Workload w = ((Scaling) slo.indicator()).workload();
        return w == null ? List.of() : List.of(w);
    }

    @Override
    public boolean readsCapacity(SloDef slo) {
        return true;
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        e.add(ScalingResponse.judge(slo, (Scaling) slo.indicator(), w, e.perSecond(), e.windows(), e.capacity()));
    }
}
