package dev.slogate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.StopCondition;
import dev.slogate.experiment.StopCondition.Metric;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LiveSecond;
import dev.slogate.load.StatusClass;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StopConditionMonitorTest {
    private static final StopCondition HALF_FAILING = new StopCondition(Metric.ERROR_RATE, Op.GT, 0.5, Duration.ofSeconds(3));
    private static final StopCondition SLOW = new StopCondition(Metric.P99_LATENCY_SECONDS, Op.GT, 1.0, Duration.ofSeconds(2));

    private static ClientSecond errors(long second, int failedPercent) {
        return Traffic.at(second).ok(100 - failedPercent, 10).add(StatusClass.HTTP_ERROR, failedPercent, 10).build();
    }

    @Test
    void tripsOnlyAfterTheConditionHeldForConsecutiveSeconds() {
        StopConditionMonitor m = new StopConditionMonitor(List.of(HALF_FAILING));
        int[] percents = {60, 60, 10, 60, 60};
        for (int i = 0; i < percents.length; i++) {
            assertEquals(Optional.empty(), m.offer(errors(i, percents[i])), "second " + i);
        }
        assertEquals(Optional.of("error rate 60 % > 50 % for 3 s in a row (stop condition)"), m.offer(errors(5, 60)));
        assertEquals(m.reason(), m.offer(errors(6, 0)), "stays tripped");
    }

    @Test
    void aGapOrASecondWithoutRequestsBreaksTheStreak() {
        StopConditionMonitor m = new StopConditionMonitor(List.of(HALF_FAILING));
        m.offer(errors(0, 90));
        m.offer(errors(1, 90));
        assertTrue(m.offer(errors(3, 90)).isEmpty(), "second 2 is missing");
        assertTrue(m.offer(Traffic.at(4).build()).isEmpty(), "nothing completed in second 4");
        m.offer(errors(5, 90));
        m.offer(errors(6, 90));
        assertTrue(m.offer(errors(7, 90)).isPresent());
    }

    @Test
    void p99LatencyIsJudgedOnAnsweredRequestsOnly() {
        StopConditionMonitor m = new StopConditionMonitor(List.of(HALF_FAILING, SLOW));
        // timeouts take 5 s but are errors, not latencies; 2 % of requests are slow, so p99 is 1.5 s
        assertTrue(m.offer(Traffic.at(0).ok(98, 20).ok(2, 1500).add(StatusClass.TIMEOUT, 10, 5000).build()).isEmpty());
        Optional<String> reason = m.offer(Traffic.at(1).ok(98, 20).ok(2, 1500).build());
        // 1.5 s within the histograms' two significant digits (1.51 s), not the 5 s of the timeouts
        assertTrue(reason.orElseThrow().matches("p99 latency 1\\.5\\d? s > 1 s for 2 s in a row \\(stop condition\\)"), reason.get());
    }

    @Test
    void aStallTripsWhileItHappensNotWhenItsRequestsTimeOut() {
        StopConditionMonitor live = new StopConditionMonitor(List.of(HALF_FAILING));
        StopConditionMonitor answersOnly = new StopConditionMonitor(List.of(HALF_FAILING));
        // most pods paused: 30 answered a second, 70 waiting for over a second and not timed out yet
        for (int s = 0; s < 2; s++) {
            assertTrue(live.offer(stalled(s, 30, 70, 1_500)).isEmpty(), "second " + s);
            assertTrue(answersOnly.offer(stalled(s, 30, 70, 1_500).sofar()).isEmpty());
        }
        assertTrue(live.offer(stalled(2, 30, 70, 1_500)).orElseThrow().startsWith("error rate 70 % > 50 % for 3 s"));
        assertTrue(answersOnly.offer(stalled(2, 30, 70, 1_500).sofar()).isEmpty(), "the answers alone look healthy");
    }

    @Test
    void stalledRequestsCountAsFailingAndAtTheAgeTheyReached() {
        StopConditionMonitor m = new StopConditionMonitor(List.of(SLOW));
        assertTrue(m.offer(stalled(0, 90, 10, 2_500)).isEmpty());
        Optional<String> reason = m.offer(stalled(1, 90, 10, 2_500));
        // 10 % of what is at stake has waited 2.5 s: p99 is at least that, though no answer was slow
        assertTrue(reason.orElseThrow().startsWith("p99 latency 2.5"), reason.get());
        assertTrue(reason.get().contains("counting 10 requests unanswered for over 1 s"), reason.get());

        StopConditionMonitor errors = new StopConditionMonitor(List.of(HALF_FAILING));
        errors.offer(stalled(0, 40, 60, 1_200));
        errors.offer(stalled(1, 40, 60, 1_200));
        assertTrue(errors.offer(stalled(2, 40, 60, 1_200)).orElseThrow().startsWith("error rate 60 % > 50 %"));
    }

    /** A live second: {@code ok} answered in 20 ms, {@code stalled} requests waiting for {@code ageMillis}. */
    private static LiveSecond stalled(long second, int ok, int stalled, long ageMillis) {
        Histogram ages = LatencyHistograms.create();
        ages.recordValueWithCount(ageMillis * 1000, stalled);
        return new LiveSecond(Traffic.at(second).ok(ok, 20).build(), 0, stalled, ages, 1_000);
    }

    @Test
    void healthyTrafficNeverTrips() {
        StopConditionMonitor m = new StopConditionMonitor(List.of(HALF_FAILING, SLOW));
        for (int s = 0; s < 30; s++) {
            assertTrue(m.offer(errors(s, 1)).isEmpty());
        }
        assertTrue(m.reason().isEmpty());
    }
}
