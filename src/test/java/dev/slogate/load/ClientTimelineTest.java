package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

@Timeout(20)
class ClientTimelineTest {

    @Test
    void secondsMergeExactlyIntoWhatOneHistogramSees() throws Exception {
        Histogram reference = LatencyHistograms.create();
        SplittableRandom random = new SplittableRandom(42);
        try (ClientTimeline timeline = new ClientTimeline(s -> 100)) {
            CountDownLatch firstSecondClosed = new CountDownLatch(1);
            timeline.onSecond(s -> firstSecondClosed.countDown());
            for (int i = 0; i < 5_000; i++) {
                long v = random.nextLong(1, 30_000_000);
                timeline.record("home", StatusClass.OK, v);
                reference.recordValue(v);
            }
            assertTrue(firstSecondClosed.await(3, TimeUnit.SECONDS));
            for (int i = 0; i < 5_000; i++) {
                long v = random.nextLong(1, 30_000_000);
                timeline.record("home", StatusClass.OK, v);
                reference.recordValue(v);
            }
            timeline.close();
            List<ClientSecond> seconds = timeline.seconds();
            assertTrue(seconds.stream().filter(s -> s.completed() > 0).count() >= 2, "samples span two seconds");
            Histogram merged = LatencyHistograms.create();
            seconds.forEach(s -> merged.add(s.merged()));
            assertEquals(reference, merged);
            assertEquals(reference.getValueAtPercentile(99.9), merged.getValueAtPercentile(99.9));
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
                    timeline.recordSent();
                    timeline.record(i % 10 == 0 ? "b" : "a", i % 5 == 0 ? StatusClass.TIMEOUT : StatusClass.OK, 1000 + i);
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
    }

    private static long count(ClientSecond s, String request, StatusClass status) {
        Histogram h = s.latency().get(new ClientSecond.SeriesKey(request, status));
        return h == null ? 0 : h.getTotalCount();
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
            timeline.recordSent();
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
            Thread.sleep(1_300);
            assertTrue(timeline.seconds().isEmpty());
            assertTrue(timeline.latest().isEmpty());
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
            timeline.recordSent();
            timeline.close();
            ClientSecond second = timeline.latest().orElseThrow();
            double offsetS = (second.epochSecond() * 1000 + 500 - start) / 1000.0;
            assertTrue(offsetS > 10 && offsetS < 20, "in the ramp: " + offsetS);
            assertEquals(100 + 200 * (offsetS - 10) / 10, second.targetRps(), 1e-6);
        }
    }
}
