package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slogate.experiment.SandboxSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HPA decision: min 2, max 8, 100 per pod, scale-down stabilization 30 s. */
class ScalingRuleTest {
    private final ScalingRule rule = new ScalingRule(new SandboxSpec.Autoscaler(2, 8, SandboxSpec.Metric.RPS, 100,
            Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30)));

    @Test
    void wantsTheTotalOverTheTargetRoundedUpWithinMinAndMax() {
        assertEquals(5, rule.desired(450, 2, 0), "450 rps at 100 per pod");
        assertEquals(8, rule.desired(5000, 5, 2_000), "capped at max");
        assertEquals(2, new ScalingRule(spec(0)).desired(0, 2, 0), "never below min");
    }

    @Test
    void keepsTheCountWithinTenPercentOfTheTarget() {
        assertEquals(4, rule.desired(435, 4, 0), "108.75 per pod is within 10 %");
        assertEquals(5, rule.desired(445, 4, 2_000), "111.25 per pod is not");
    }

    @Test
    void scalesUpAtOnceButDownOnlyToTheHighestWishOfTheStabilizationWindow() {
        assertEquals(6, rule.desired(600, 2, 0));
        assertEquals(6, rule.desired(200, 6, 10_000), "6 was wanted 10 s ago");
        assertEquals(6, rule.desired(200, 6, 29_000));
        assertEquals(2, rule.desired(200, 6, 41_000), "the wish for 6 is older than 30 s, the one for 2 at 10 s too");
        ScalingRule quick = new ScalingRule(spec(0));
        assertEquals(6, quick.desired(600, 2, 0));
        assertEquals(3, quick.desired(300, 6, 1_000), "without stabilization it follows the load down");
    }

    private static SandboxSpec.Autoscaler spec(long stabilizationSeconds) {
        return new SandboxSpec.Autoscaler(2, 8, SandboxSpec.Metric.RPS, 100, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(stabilizationSeconds));
    }
}
