package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClientTimelineTest {

    /** A load of one 60 s hold whose requests time out after {@code timeout}. */
    private static Load load(Duration timeout) {
        return new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(10), new Rate(10), Duration.ofSeconds(60))),
                List.of(), null, timeout);
    }

    /** A nanoTime stamp that falls {@code millis} into epoch second {@code second} on the timeline's clock. */
    private static long stampIn(ClientTimeline timeline, long second, long millis) {
        long now = System.nanoTime();
        long target = (second * 1000 + millis) * 1_000_000L;
        long nowEpochNanos = timeline.epochSecondOf(now) * 1_000_000_000L; // coarse: refine by search below
        long stamp = now + (target - nowEpochNanos);
        // move by whole milliseconds until the stamp lands in the wanted second at the wanted millisecond
        while (timeline.epochSecondOf(stamp) > second) {
            stamp -= 1_000_000L;
        }
        while (timeline.epochSecondOf(stamp) < second) {
            stamp += 1_000_000L;
        }
        return stamp;
    }

    private static ClientSecond second(ClientTimeline timeline, long epochSecond) {
        return timeline.seconds().stream().filter(s -> s.epochSecond() == epochSecond).findFirst().orElseThrow(
                () -> new AssertionError("no final second " + epochSecond + " in " + timeline.seconds()));
    }

    private static long count(ClientSecond s, String request, StatusClass status) {
        Histogram h = s.latency().get(new ClientSecond.SeriesKey(request, status));
        return h == null ? 0 : h.getTotalCount();
    }

    @Test
    void anOutcomeIsFiledUnderTheSecondItsRequestWasSentInNotWhenItEnded() {
        try (ClientTimeline timeline = ClientTimeline.forLoad(load(Duration.ofSeconds(5)))) {
            long n = System.currentTimeMillis() / 1000 + 1;
            timeline.markStart(Instant.ofEpochSecond(n));
            long lastMsOfN = stampIn(timeline, n, 999);
            long firstMsOfNext = stampIn(timeline, n + 1, 1);
            timeline.recordSent(lastMsOfN);
            timeline.recordSent(firstMsOfNext);
            // answered in n+1, and a timeout reported 4 s later: both stay where they were sent
            timeline.record("home", StatusClass.OK, lastMsOfN, 5_000);
            timeline.record("home", StatusClass.TIMEOUT, firstMsOfNext, 4_000_000);
            assertTrue(timeline.awaitFinal(n + 1));
            ClientSecond first = second(timeline, n);
            ClientSecond next = second(timeline, n + 1);
            assertEquals(1, first.sent());
            assertEquals(1, first.completed());
            assertEquals(1, first.count(StatusClass.OK));
            assertEquals(1, next.sent());
            assertEquals(1, next.count(StatusClass.TIMEOUT));
            assertEquals(4_000_000, next.merged().getMaxValue(), 4_000_000 * 0.01);
            assertEquals(0, timeline.forcedTimeouts());
            assertEquals(0, timeline.lateRecords());
        }
    }

    @Test
    void aSecondIsNotFinalWhileItsRequestsAreInFlight() throws Exception {
        try (ClientTimeline timeline = ClientTimeline.forLoad(load(Duration.ofSeconds(10)))) {
            long t0 = System.nanoTime();
            long s = timeline.epochSecondOf(t0);
            timeline.markStart(Instant.ofEpochSecond(s));
            timeline.recordSent(t0);
            Thread.sleep((s + 2) * 1000 + 300 - System.currentTimeMillis()); // two seconds later
            assertTrue(timeline.seconds().stream().noneMatch(x -> x.epochSecond() >= s),
                    "a second with a request in flight must not be final: " + timeline.seconds());
            long latency = (System.nanoTime() - t0) / 1000; // over 1.3 s
            timeline.record("home", StatusClass.OK, t0, latency);
            assertTrue(timeline.awaitFinal(s + 1));
            assertEquals(1, second(timeline, s).count(StatusClass.OK));
            assertEquals(latency, second(timeline, s).merged().getMaxValue(), latency * 0.01);
            assertEquals(0, second(timeline, s + 1).sent());
        }
    }

    @Test
    void requestsWithoutAnOutcomeByTheDeadlineCountAsTimeoutsOfTheirSecond() {
        try (ClientTimeline timeline = ClientTimeline.forLoad(load(Duration.ofSeconds(1)))) {
            long t0 = System.nanoTime();
            long s = timeline.epochSecondOf(t0);
            timeline.markStart(Instant.ofEpochSecond(s));
            timeline.recordSent(t0);
            timeline.recordSent(t0);
            timeline.record("home", StatusClass.OK, t0, 1_000);
            assertTrue(timeline.awaitFinal(s)); // timeout 1 s + grace 2 s after the second's end
            ClientSecond final_ = second(timeline, s);
            assertEquals(2, final_.sent());
            assertEquals(1, final_.count(StatusClass.OK));
            assertEquals(1, count(final_, ClientTimeline.UNANSWERED, StatusClass.TIMEOUT));
            assertEquals(1, timeline.forcedTimeouts());
            long afterDeadline = System.currentTimeMillis();
            assertTrue(afterDeadline >= (s + 1) * 1000 + 3_000 - ClientTimeline.TICK_MILLIS, "not before the deadline");
            timeline.record("home", StatusClass.OK, t0, 4_000_000); // too late to be counted: said, not lost silently
            assertEquals(1, timeline.lateRecords());
        }
    }

    @Test
    void liveSecondsShowAStallWhileItHappens() throws Exception {
        try (ClientTimeline timeline = ClientTimeline.forLoad(load(Duration.ofSeconds(6)))) {
            List<LiveSecond> live = new CopyOnWriteArrayList<>();
            timeline.onLive(live::add);
            long t0 = System.nanoTime();
            long s = timeline.epochSecondOf(t0);
            timeline.markStart(Instant.ofEpochSecond(s));
            for (int i = 0; i < 10; i++) {
                timeline.recordSent(t0);
            }
            for (int i = 0; i < 4; i++) {
                timeline.record("home", StatusClass.OK, t0, 2_000);
            }
            // stall threshold: half the timeout, 3 s; the six unanswered requests of s are stalled from s+4 on
            CountDownLatch stalled = new CountDownLatch(1);
            timeline.onLive(l -> {
                if (l.stalled() > 0) {
                    stalled.countDown();
                }
            });
            assertTrue(stalled.await(6, TimeUnit.SECONDS));
            LiveSecond first = live.stream().filter(l -> l.stalled() > 0).findFirst().orElseThrow();
            assertEquals(6, first.stalled());
            assertEquals(3_000, first.stallAfterMillis());
            assertTrue(first.epochSecond() >= s + 3);
            assertEquals(1.0, first.errorRateCountingStalls(), 1e-9, "nothing answered in that second: all at risk");
            assertTrue(first.latencyCountingStalls().getValueAtPercentile(99) >= 3_000_000, "stalled for at least 3 s");
            LiveSecond ofS = live.stream().filter(l -> l.epochSecond() == s).findFirst().orElseThrow();
            assertEquals(10, ofS.sofar().sent());
            assertEquals(4, ofS.sofar().completed());
            assertEquals(6, ofS.inFlight());
            assertTrue(timeline.seconds().stream().noneMatch(x -> x.epochSecond() >= s), "s is not final yet");
        }
    }

    @Test
    void theStallThresholdIsHalfTheTimeoutAndAtLeastOneSecond() {
        assertEquals(Duration.ofSeconds(5), ClientTimeline.stallAfter(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(1), ClientTimeline.stallAfter(Duration.ofMillis(1500)));
        assertEquals(Duration.ofMillis(800), ClientTimeline.stallAfter(Duration.ofMillis(800)));
    }

    @Test
    void secondsMergeExactlyIntoWhatOneHistogramSees() throws Exception {
        Histogram reference = LatencyHistograms.create();
        SplittableRandom random = new SplittableRandom(42);
        try (ClientTimeline timeline = new ClientTimeline(s -> 100)) {
            CountDownLatch firstSecondFinal = new CountDownLatch(1);
            timeline.onSecond(s -> firstSecondFinal.countDown());
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 5_000; i++) {
                    long t0 = System.nanoTime();
                    long v = random.nextLong(1, 30_000_000);
                    timeline.recordSent(t0);
                    timeline.record("home", StatusClass.OK, t0, v);
                    reference.recordValue(v);
                }
                if (round == 0) {
                    assertTrue(firstSecondFinal.await(3, TimeUnit.SECONDS));
                }
            }
            timeline.close();
            List<ClientSecond> seconds = timeline.seconds();
            assertTrue(seconds.stream().filter(s -> s.completed() > 0).count() >= 2, "samples span two seconds");
            Histogram merged = LatencyHistograms.create();
            seconds.forEach(s -> merged.add(s.merged()));
            assertEquals(reference, merged);
            assertEquals(reference.getValueAtPercentile(99.9), merged.getValueAtPercentile(99.9));
            assertEquals(0, timeline.lateRecords());
        }
    }

    @Test
    void concurrentWritersLoseNothingAndSeriesStaySeparate() throws Exception {
        ClientTimeline timeline = new ClientTimeline(s -> 0);
        int threads = 4;
        int perThread = 50_000;
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            writers[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long t0 = System.nanoTime();
                    timeline.recordSent(t0);
                    timeline.record(i % 10 == 0 ? "b" : "a", i % 5 == 0 ? StatusClass.TIMEOUT : StatusClass.OK, t0, 1000 + i);
                }
            });
            writers[t].start();
        }
        for (Thread w : writers) {
            w.join();
        }
        timeline.close();
        List<ClientSecond> seconds = timeline.seconds();
        assertEquals((long) threads * perThread, seconds.stream().mapToLong(ClientSecond::sent).sum());
        assertEquals((long) threads * perThread, seconds.stream().mapToLong(ClientSecond::completed).sum());
        // i % 10 == 0 is always also i % 5 == 0: "b" is all timeouts
        long bTimeouts = seconds.stream().mapToLong(s -> count(s, "b", StatusClass.TIMEOUT)).sum();
        long bOk = seconds.stream().mapToLong(s -> count(s, "b", StatusClass.OK)).sum();
        long aTimeouts = seconds.stream().mapToLong(s -> count(s, "a", StatusClass.TIMEOUT)).sum();
        assertEquals(threads * perThread / 10, bTimeouts);
        assertEquals(0, bOk);
        assertEquals(threads * perThread / 10, aTimeouts);
        assertEquals(0, timeline.forcedTimeouts());
    }

    @Test
    void listenersSeeEverySecondInOrderAndLatestFollows() throws Exception {
        try (ClientTimeline timeline = new ClientTimeline(s -> 7)) {
            List<ClientSecond> seen = new CopyOnWriteArrayList<>();
            CountDownLatch two = new CountDownLatch(2);
            timeline.onSecond(s -> {
                seen.add(s);
                two.countDown();
            });
            long t0 = System.nanoTime();
            timeline.recordSent(t0);
            timeline.record("home", StatusClass.OK, t0, 1_000);
            assertTrue(two.await(4, TimeUnit.SECONDS));
            assertEquals(seen.get(1).epochSecond(), seen.get(0).epochSecond() + 1);
            assertEquals(7, seen.get(0).targetRps());
            assertEquals(1, seen.stream().mapToLong(ClientSecond::sent).sum());
            assertEquals(timeline.seconds().get(timeline.seconds().size() - 1), timeline.latest().orElseThrow());
        }
    }

    @Test
    void nothingIsEmittedBeforeTheLoadStarts() throws Exception {
        try (ClientTimeline timeline = new ClientTimeline(s -> 1)) {
            List<LiveSecond> live = new CopyOnWriteArrayList<>();
            timeline.onLive(live::add);
            Thread.sleep(1_300);
            assertTrue(timeline.seconds().isEmpty());
            assertTrue(timeline.latest().isEmpty());
            assertTrue(live.isEmpty());
        }
    }

    @Test
    void forLoadTargetsFollowTheStagesFromTheMarkedStart() {
        Load load = new Load(List.of(
                new Stage(Stage.Kind.HOLD, new Rate(100), new Rate(100), Duration.ofSeconds(10)),
                new Stage(Stage.Kind.RAMP, new Rate(100), new Rate(300), Duration.ofSeconds(10))),
                List.of(), null, Duration.ofSeconds(1));
        long start = System.currentTimeMillis() - 12_000; // 2 s into the ramp
        try (ClientTimeline timeline = ClientTimeline.forLoad(load)) {
            timeline.markStart(Instant.ofEpochMilli(start));
            timeline.markStart(Instant.ofEpochMilli(start - 60_000)); // the first mark wins
            long t0 = System.nanoTime();
            timeline.recordSent(t0);
            timeline.record("home", StatusClass.OK, t0, 1_000);
            timeline.close();
            ClientSecond second = timeline.latest().orElseThrow();
            assertFalse(timeline.seconds().isEmpty());
            double offsetS = (second.epochSecond() * 1000 + 500 - start) / 1000.0;
            assertTrue(offsetS > 10 && offsetS < 20, "in the ramp: " + offsetS);
            assertEquals(100 + 200 * (offsetS - 10) / 10, second.targetRps(), 1e-6);
        }
    }
}
