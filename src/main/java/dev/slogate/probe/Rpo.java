package dev.slogate.probe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RPO arithmetic, free of any I/O. A lost write is one that was acknowledged and is not in the read-back.
 * The RPO of a fault is its injection time minus the acknowledgement time of the newest write that survived before
 * the first lost one (writes ordered by acknowledgement time); 0 when nothing acknowledged was lost. It is never
 * negative: a write acknowledged by a dying primary after the injection stamp and then lost still counts as lost, but
 * the data that survived reaches up to the injection, so the RPO is 0 with a non-zero lost count.
 * When every acknowledged write of the window was lost there is no survivor; the RPO is then at least the time since
 * the window's start, and {@link Loss#lowerBound()} says so.
 */
public final class Rpo {
    private Rpo() {
    }

    /**
     * What one fault cost. {@code acknowledged}/{@code lost}/{@code refused} count the writes of the fault's window
     * (refused: sent and not acknowledged); {@code unacknowledgedStored} are writes without an acknowledgement that are
     * stored anyway (timed out on the way back). The lost span runs from the first to the last lost acknowledgement
     * (null when none was lost); {@code lastSurvivorAckMillis} is the newest survivor before the first lost write.
     */
    public record Loss(long injectedMillis, int acknowledged, int lost, int refused, int unacknowledgedStored,
                       Long firstLostAckMillis, Long lastLostAckMillis, Long lastSurvivorAckMillis, long rpoMillis,
                       boolean lowerBound) {
        public double rpoSeconds() {
            return rpoMillis / 1000.0;
        }
    }

    /**
     * The loss of the fault injected at {@code injectedMillis}, from the writes of its window (already chosen by the
     * caller), the sequence numbers present in the read-back, and the window's start (used when nothing survived).
     */
    public static Loss loss(long injectedMillis, long windowStartMillis, Collection<Write> writes, Set<Long> present) {
        List<Write> acked = writes.stream().filter(Write::acknowledged)
                .sorted(Comparator.comparingLong(Write::ackMillis).thenComparingLong(Write::seq)).toList();
        int refused = (int) writes.stream().filter(w -> !w.acknowledged()).count();
        int unackedStored = (int) writes.stream().filter(w -> !w.acknowledged() && present.contains(w.seq())).count();
        Write firstLost = null;
        Write lastLost = null;
        Write lastSurvivor = null;
        int lost = 0;
        for (Write w : acked) {
            if (present.contains(w.seq())) {
                if (firstLost == null) {
                    lastSurvivor = w;
                }
            } else {
                lost++;
                firstLost = firstLost == null ? w : firstLost;
                lastLost = w;
            }
        }
        if (firstLost == null) {
            return new Loss(injectedMillis, acked.size(), 0, refused, unackedStored, null, null,
                    lastSurvivor == null ? null : lastSurvivor.ackMillis(), 0, false);
        }
        long from = lastSurvivor == null ? windowStartMillis : lastSurvivor.ackMillis();
        return new Loss(injectedMillis, acked.size(), lost, refused, unackedStored, firstLost.ackMillis(),
                lastLost.ackMillis(), lastSurvivor == null ? null : lastSurvivor.ackMillis(),
                Math.max(0, injectedMillis - from), lastSurvivor == null);
    }

    /**
     * Integrity of the stored records, in the order the target stores them: {@code duplicates} are records whose
     * sequence number was already seen; {@code reordered} are records stored after one with a higher sequence number.
     */
    public record Integrity(int records, int distinct, int duplicates, int reordered) {
    }

    public static Integrity integrity(List<Long> storedOrder) {
        Map<Long, Integer> seen = new HashMap<>();
        int duplicates = 0;
        int reordered = 0;
        long max = Long.MIN_VALUE;
        for (long seq : storedOrder) {
            if (seen.merge(seq, 1, Integer::sum) > 1) {
                duplicates++;
                continue;
            }
            if (seq < max) {
                reordered++;
            }
            max = Math.max(max, seq);
        }
        return new Integrity(storedOrder.size(), seen.size(), duplicates, reordered);
    }

    /** The writes acknowledged in [from, to), and the unacknowledged ones sent in it: one fault's window. */
    public static List<Write> window(Collection<Write> writes, long fromMillis, long toMillis) {
        List<Write> out = new ArrayList<>();
        for (Write w : writes) {
            long at = w.acknowledged() ? w.ackMillis() : w.sentMillis();
            if (at >= fromMillis && at < toMillis) {
                out.add(w);
            }
        }
        return out;
    }
}
