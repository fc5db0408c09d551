package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Feeder;
import dev.slogate.experiment.Journey;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Feeder strategies, the fleet's split of their rows, the order users take journeys in, and think-time draws. */
class JourneyFeedingTest {
    private static Feeder feeder(Feeder.Strategy s, int rows) {
        List<Map<String, String>> r = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            r.add(Map.of("id", Integer.toString(i)));
        }
        return new Feeder("f", "f.csv", s, List.of("id"), r);
    }

    private static List<String> take(FeederRows rows, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> row = rows.next();
            out.add(row == null ? null : row.get("id"));
        }
        return out;
    }

    @Test
    void queueHandsEachRowOutOnceInOrderThenHasNone() {
        FeederRows q = new FeederRows(feeder(Feeder.Strategy.QUEUE, 3), 1);
        assertEquals(List.of("0", "1", "2"), take(q, 3));
        assertNull(q.next());
        assertNull(q.next());
    }

    @Test
    void shuffleHandsEachRowOutOnceInAnotherOrder() {
        FeederRows s = new FeederRows(feeder(Feeder.Strategy.SHUFFLE, 50), 7);
        List<String> got = take(s, 50);
        assertEquals(50, new HashSet<>(got).size());
        assertNotEquals(take(new FeederRows(feeder(Feeder.Strategy.QUEUE, 50), 7), 50), got);
        assertNull(s.next());
    }

    @Test
    void circularStartsOverAndRandomNeverRunsOut() {
        assertEquals(List.of("0", "1", "2", "0", "1"), take(new FeederRows(feeder(Feeder.Strategy.CIRCULAR, 3), 1), 5));
        List<String> random = take(new FeederRows(feeder(Feeder.Strategy.RANDOM, 3), 1), 300);
        assertTrue(random.stream().allMatch(id -> Set.of("0", "1", "2").contains(id)), random.toString());
        assertEquals(3, new HashSet<>(random).size());
    }

    @Test
    void aFleetSplitsRowsHandedOutOnceWithoutOverlapAndSharesTheOthers() {
        Feeder queue = feeder(Feeder.Strategy.QUEUE, 10);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int i = 0; i < 3; i++) {
            List<String> mine = queue.forInjector(i, 3).rows().stream().map(r -> r.get("id")).toList();
            total += mine.size();
            seen.addAll(mine);
            assertTrue(mine.size() == 3 || mine.size() == 4, mine.toString());
        }
        assertEquals(10, total, "no row is handed to two injectors");
        assertEquals(10, seen.size(), "every row is handed to one");
        Feeder circular = feeder(Feeder.Strategy.CIRCULAR, 10);
        assertEquals(circular, circular.forInjector(2, 3));

        Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(1), new Rate(1), Duration.ofSeconds(5))), List.of(), null,
                null, List.of(new Journey("j", 1, List.of())), List.of(queue, circular));
        Load second = load.forInjector(1, 3);
        assertEquals(List.of("1", "4", "7"), second.feeders().get(0).rows().stream().map(r -> r.get("id")).toList());
        assertEquals(10, second.feeders().get(1).rows().size());
    }

    @Test
    void usersTakeJourneysInTheirWeightsSharesSpreadOverEachCycle() {
        assertEquals(List.of(0, 0, 1, 0), List.of(boxed(JourneyChains.order(List.of(3, 1)))));
        int[] order = JourneyChains.order(List.of(5, 2, 1));
        int[] counts = new int[3];
        for (int j : order) {
            counts[j]++;
        }
        assertEquals(List.of(5, 2, 1), List.of(boxed(counts)));
        assertEquals(8, order.length);
    }

    private static Integer[] boxed(int[] a) {
        Integer[] out = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Test
    void thinkTimesStayInTheirBoundsWithTheirMean() {
        SplittableRandom random = new SplittableRandom(3);
        Journey.Think uniform = new Journey.Think(Journey.Think.Distribution.UNIFORM, Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(2));
        Journey.Think exponential = new Journey.Think(Journey.Think.Distribution.EXPONENTIAL, Duration.ofMillis(500),
                Duration.ofSeconds(20), Duration.ofSeconds(2));
        double uSum = 0;
        double eSum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            Duration u = uniform.sample(random);
            Duration e = exponential.sample(random);
            assertTrue(u.compareTo(Duration.ofSeconds(1)) >= 0 && u.compareTo(Duration.ofSeconds(3)) <= 0, u.toString());
            assertTrue(e.compareTo(Duration.ofMillis(500)) >= 0 && e.compareTo(Duration.ofSeconds(20)) <= 0, e.toString());
            uSum += u.toNanos() / 1e9;
            eSum += e.toNanos() / 1e9;
        }
        assertEquals(2.0, uSum / n, 0.05);
        assertEquals(2.0, eSum / n, 0.1); // the cut at 20 s takes almost nothing of a mean of 1.5 s above 0.5 s
        assertEquals(Duration.ofSeconds(4), Journey.Think.fixed(Duration.ofSeconds(4)).sample(random));
    }

    @Test
    void journeyLogsOfSeveralInjectorsMergeExactly() {
        JourneyLog a = new JourneyLog();
        JourneyLog b = new JourneyLog();
        for (int i = 1; i <= 100; i++) {
            JourneyLog log = i % 2 == 0 ? a : b;
            log.arrived("buyer");
            log.completed("buyer", i * 10_000L, i * 1_000L);
        }
        b.arrived("buyer");
        b.failed("buyer");
        b.arrived("buyer");
        b.noRow("buyer", "users", 3);
        JourneyLog merged = new JourneyLog();
        a.parts().forEach(merged::add);
        b.parts().forEach(merged::add);
        JourneySummary j = merged.summaries().get(0);
        assertEquals(102, j.users());
        assertEquals(100, j.completed());
        assertEquals(1, j.failed());
        assertEquals(1, j.noRow());
        assertEquals(500, j.withThink().p50Ms(), 5, j.toString());
        assertEquals(1000, j.withThink().maxMs(), 10, j.toString());
        assertEquals(50, j.withoutThink().p50Ms(), 0.5, j.toString());
        assertEquals(List.of("feeder 'users' ran out of rows (it hands out each of its 3 rows once): users of journey 'buyer'"
                + " arrived without data and sent nothing"), b.shortages());
    }
}
