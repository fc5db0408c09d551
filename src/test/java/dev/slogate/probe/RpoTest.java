package dev.slogate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RpoTest {
    /** Writes 1..n sent every 20 ms from t=1000, each acknowledged 5 ms after sending. */
    private static List<Write> acked(int n) {
        List<Write> w = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            long sent = 1000 + 20L * (i - 1);
            w.add(new Write(i, sent, sent + 5, 201));
        }
        return w;
    }

    private static Set<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
    }

    @Test
    void nothingLostIsZero() {
        Rpo.Loss l = Rpo.loss(2000, 0, acked(100), seqs(1, 100));
        assertEquals(0, l.lost());
        assertEquals(100, l.acknowledged());
        assertEquals(0, l.rpoMillis());
        assertNull(l.firstLostAckMillis());
        assertEquals(1000 + 20 * 99 + 5, l.lastSurvivorAckMillis());
    }

    @Test
    void everythingAfterTheLagIsLost() {
        // fault at t=2500; the standby had what was acknowledged up to write 51 (ack 2005): writes 52..100 are lost
        Rpo.Loss l = Rpo.loss(2500, 0, acked(100), seqs(1, 51));
        assertEquals(49, l.lost());
        assertEquals(2005, l.lastSurvivorAckMillis());
        assertEquals(2025, l.firstLostAckMillis());
        assertEquals(1000 + 20 * 99 + 5, l.lastLostAckMillis());
        assertEquals(495, l.rpoMillis());
        assertFalse(l.lowerBound());
    }

    @Test
    void aGapCountsFromTheSurvivorBeforeTheFirstLostWrite() {
        Set<Long> present = seqs(1, 100);
        present.remove(10L); // an early hole
        present.removeAll(seqs(60, 70)); // and a later one
        Rpo.Loss l = Rpo.loss(3000, 0, acked(100), present);
        assertEquals(12, l.lost());
        assertEquals(1000 + 20 * 8 + 5, l.lastSurvivorAckMillis()); // write 9
        assertEquals(3000 - 1165, l.rpoMillis());
        assertEquals(1000 + 20 * 69 + 5, l.lastLostAckMillis()); // write 70
    }

    @Test
    void ackOrderNotSequenceOrderDecides() {
        // write 2 was acknowledged after write 3: losing 2 makes 3 (acked before it) the newest survivor
        List<Write> w = List.of(new Write(1, 0, 10L, 201), new Write(2, 20, 90L, 201), new Write(3, 40, 50L, 201));
        Rpo.Loss l = Rpo.loss(100, 0, w, Set.of(1L, 3L));
        assertEquals(1, l.lost());
        assertEquals(50, l.lastSurvivorAckMillis());
        assertEquals(50, l.rpoMillis());
    }

    @Test
    void everythingLostIsALowerBoundFromTheWindowStart() {
        Rpo.Loss l = Rpo.loss(2000, 900, acked(10), Set.of());
        assertEquals(10, l.lost());
        assertNull(l.lastSurvivorAckMillis());
        assertEquals(1100, l.rpoMillis());
        assertTrue(l.lowerBound());
    }

    @Test
    void aLossAcknowledgedAfterTheInjectionIsCountedWithZeroRpo() {
        // the dying primary acknowledged write 100 at 2985 after the injection stamp at 2900, then it was gone
        Rpo.Loss l = Rpo.loss(2900, 0, acked(100), seqs(1, 99));
        assertEquals(1, l.lost());
        assertEquals(0, l.rpoMillis());
    }

    @Test
    void refusedWritesCostAvailabilityNotData() {
        List<Write> w = new ArrayList<>(acked(5));
        w.add(new Write(6, 1100, null, 503));
        w.add(new Write(7, 1120, null, 0));
        w.add(new Write(8, 1140, null, 0)); // timed out, but it was stored
        Rpo.Loss l = Rpo.loss(1100, 0, w, seqs(1, 5).stream().collect(Collectors.toCollection(() -> new HashSet<>(Set.of(8L)))));
        assertEquals(0, l.lost());
        assertEquals(3, l.refused());
        assertEquals(1, l.unacknowledgedStored());
        assertEquals(0, l.rpoMillis());
    }

    @Test
    void duplicatesAndReorderingAreCountedNotLost() {
        Rpo.Integrity i = Rpo.integrity(List.of(1L, 2L, 4L, 3L, 4L, 5L, 5L, 6L));
        assertEquals(8, i.records());
        assertEquals(6, i.distinct());
        assertEquals(2, i.duplicates());
        assertEquals(1, i.reordered());
        // duplicated records do not hide a loss, nor make one
        Rpo.Loss l = Rpo.loss(2000, 0, acked(6), Set.of(1L, 2L, 3L, 4L, 5L, 6L));
        assertEquals(0, l.lost());
    }

    @Test
    void theWindowTakesAcknowledgementsAndUnansweredSends() {
        List<Write> w = List.of(new Write(1, 90, 99L, 201), new Write(2, 95, 105L, 201), new Write(3, 150, null, 0),
                new Write(4, 190, 210L, 201));
        assertEquals(List.of(2L, 3L), Rpo.window(w, 100, 200).stream().map(Write::seq).toList());
    }
}
