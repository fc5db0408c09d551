package dev.slogate.run;

import dev.slogate.experiment.Plan;
import dev.slogate.experiment.Scenario;
import dev.slogate.sandbox.PodState;
import dev.slogate.sandbox.SandboxClient;
import dev.slogate.sandbox.SandboxState;
import dev.slogate.sandbox.ScaleEvent;
import dev.slogate.slo.CapacityHistory;
import dev.slogate.slo.CapacitySample;
import dev.slogate.slo.KubeStateCapacity;
import dev.slogate.slo.PrometheusClient;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.StepSpan;
import java.util.List;

/** The run's load steps on its clock, and where the replica counts for scaling objectives come from. */
final class ScalingTimeline {
    private ScalingTimeline() {
    }

    /** A {@code step:<n>} span per step stage and ramp, from the run's start, when an SLO judges step windows. */
    static List<StepSpan> steps(Scenario scenario, long runStart) {
        return !Plan.judgesSteps(scenario) ? List.of() : Plan.steps(scenario.load().stages()).stream()
                .map(s -> new StepSpan(Integer.parseInt(s.name().substring("step:".length())),
                        runStart + s.start().toMillis(), runStart + s.end().toMillis()))
                .toList();
    }

    /**
     * The sandbox's autoscaler events (also put on the timeline as notes), a fixed pod count for a sandbox without one,
     * or kube-state-metrics through Prometheus for a url target.
     */
    static CapacityHistory capacity(Scenario scenario, SandboxClient sandbox, PrometheusClient prometheus, List<Event> events, List<String> notes) {
        boolean judged = scenario.slos().stream().anyMatch(s -> s.kind().readsCapacity(s));
        if (sandbox != null) {
            SandboxState state;
            try {
                state = sandbox.state();
            } catch (RuntimeException e) {
                return CapacityHistory.unknown("the sandbox did not answer: " + e.getMessage());
            }
            List<ScaleEvent> scale = state.scaleEvents();
            if (scale.isEmpty()) {
                int pods = (int) state.pods().stream().filter(p -> p.state().equals(PodState.RUNNING)).count();
                return CapacityHistory.fixed(pods, "sandbox without autoscaler");
            }
            long runStart = events.stream().filter(e -> e.kind() == Event.Kind.RUN_START).mapToLong(Event::atMillis).findFirst().orElse(0);
            ScaleEvent previous = null;
            for (ScaleEvent e : scale) {
                if (e.atMillis() >= runStart && (previous == null || previous.desired() != e.desired())) {
                    events.add(new Event(e.atMillis(), Event.Kind.NOTE, "autoscaler", e.detail()));
                }
                previous = e;
            }
            if (judged) {
                notes.add("autoscaler: " + scale.stream().filter(e -> e.atMillis() >= runStart).count() + " scale events during the run; "
                        + "last: " + scale.get(scale.size() - 1).detail());
            }
            return CapacityHistory.of(scale.stream().map(e -> new CapacitySample(e.atMillis(), e.desired(), e.ready())).toList(),
                    "sandbox autoscaler");
        }
        return prometheus == null ? CapacityHistory.unknown("no Prometheus to read kube-state-metrics from")
                : new KubeStateCapacity(prometheus);
    }
}
