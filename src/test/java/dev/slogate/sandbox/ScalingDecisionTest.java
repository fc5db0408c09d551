package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.slogate.experiment.SandboxSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The autoscaler's period decision: min 2, max 8, 100 rps per pod; which pods count, which are drained. */
class ScalingDecisionTest {
    private static ScalingDecision decision(long stabilizationSeconds) {
        return new ScalingDecision(new SandboxSpec.Autoscaler(2, 8, SandboxSpec.Metric.RPS, 100, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(stabilizationSeconds)));
    }

    private static ScalingDecision.PodLoad pod(String name, String state, double load) {
        return new ScalingDecision.PodLoad(name, state, load);
    }

    @Test
    void deadPodsDoNotDiluteTheAverage() {
        // 4 pods, 2 of them on a down node with a stale sample of 0: 400 rps over the 2 serving pods is 200 per pod
        ScalingDecision.Decision d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 200), pod("b-1-1", PodState.RUNNING, 200),
                pod("a-2-1", PodState.DOWN, 0), pod("b-2-1", PodState.DOWN, Double.NaN)), 0);
        assertEquals(2, d.current());
        assertEquals(200, d.perPod());
        assertEquals(4, d.desired(), "replacements for the dead pods; averaging over 4 would have wanted none");
        assertEquals(List.of(), d.drain());
        // a dead pod's stale non-zero sample does not count either
        d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 100), pod("b-1-1", PodState.RUNNING, 100),
                pod("a-2-1", PodState.DOWN, 500)), 0);
        assertEquals(200, d.total());
        assertEquals(2, d.desired());
    }

    @Test
    void aRestartingPodCountsAsCapacityWithItsLoad() {
        ScalingDecision.Decision d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 150), pod("b-1-1", PodState.RESTARTING, Double.NaN),
                pod("a-2-1", PodState.IDLE, Double.NaN)), 0);
        assertEquals(2, d.current());
        assertEquals(75, d.perPod(), "no sample is 0 load");
        assertEquals(2, d.desired());
    }

    @Test
    void startingPodsCountAndAreNeverDrained() {
        // 4 assigned: 2 running with little load, 2 still starting (no traffic yet). 100 rps wants the minimum, 2.
        ScalingDecision.Decision d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 50), pod("b-1-1", PodState.RUNNING, 50),
                pod("a-2-1", PodState.STARTING, 0), pod("b-2-1", PodState.STARTING, Double.NaN)), 0);
        assertEquals(4, d.current(), "starting pods are capacity on its way");
        assertEquals(2, d.desired());
        assertEquals(List.of("b-1-1", "a-1-1"), d.drain(), "the newest running pods, skipping the starting ones");
        // with one running pod only one can go now; the starting ones wait until they run
        d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 10), pod("a-2-1", PodState.STARTING, 0),
                pod("b-2-1", PodState.STARTING, 0)), 0);
        assertEquals(2, d.desired());
        assertEquals(List.of("a-1-1"), d.drain());
        // and scaling up with pods starting does not start more for the same load
        d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 400), pod("b-1-1", PodState.RUNNING, 400),
                pod("a-2-1", PodState.STARTING, 0), pod("b-2-1", PodState.STARTING, 0),
                pod("a-3-1", PodState.STARTING, 0), pod("b-3-1", PodState.STARTING, 0),
                pod("a-4-1", PodState.STARTING, 0), pod("b-4-1", PodState.STARTING, 0)), 0);
        assertEquals(8, d.current());
        assertEquals(8, d.desired());
        assertFalse(d.drain().contains("a-2-1"));
    }

    @Test
    void boundedByMinAndMax() {
        ScalingDecision.Decision d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 5000), pod("b-1-1", PodState.RUNNING, 5000)), 0);
        assertEquals(8, d.desired(), "10000 rps wants 100 pods, max is 8");
        d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 0), pod("b-1-1", PodState.RUNNING, 0),
                pod("a-2-1", PodState.RUNNING, 0)), 0);
        assertEquals(2, d.desired(), "no load still keeps min 2");
        assertEquals(List.of("a-2-1"), d.drain());
        d = decision(0).decide(List.of(pod("a-1-1", PodState.DOWN, 0), pod("b-1-1", PodState.DOWN, 0), pod("a-2-1", PodState.IDLE, 0)), 0);
        assertEquals(0, d.current());
        assertEquals(2, d.desired(), "a whole fleet down: min 2 replacements");
    }

    @Test
    void scaleDownWaitsForTheStabilizationWindowScaleUpDoesNot() {
        ScalingDecision dec = decision(30);
        List<ScalingDecision.PodLoad> six = List.of(pod("a-1-1", PodState.RUNNING, 40), pod("b-1-1", PodState.RUNNING, 40),
                pod("a-2-1", PodState.RUNNING, 40), pod("b-2-1", PodState.RUNNING, 40), pod("a-3-1", PodState.RUNNING, 20),
                pod("b-3-1", PodState.RUNNING, 20));
        assertEquals(6, dec.decide(List.of(pod("a-1-1", PodState.RUNNING, 300), pod("b-1-1", PodState.RUNNING, 300)), 0).desired(),
                "600 rps: up to 6 at once");
        ScalingDecision.Decision d = dec.decide(six, 10_000);
        assertEquals(6, d.desired(), "200 rps wants 2, but 6 were wanted 10 s ago");
        assertEquals(List.of(), d.drain());
        d = dec.decide(six, 31_000);
        assertEquals(2, d.desired(), "the wish for 6 is older than 30 s");
        assertEquals(List.of("b-3-1", "a-3-1", "b-2-1", "a-2-1"), d.drain());
    }

    @Test
    void withinTenPercentOfTheTargetNothingChanges() {
        ScalingDecision.Decision d = decision(0).decide(List.of(pod("a-1-1", PodState.RUNNING, 109), pod("b-1-1", PodState.RUNNING, 108),
                pod("a-2-1", PodState.DOWN, 0)), 0);
        assertEquals(2, d.desired(), "108.5 per pod over the 2 serving pods is within 10 %");
    }
}
