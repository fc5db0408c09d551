package dev.slogate.probe;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link WriteProbe} writes and reads back: the system's write path (an HTTP endpoint, a database over JDBC).
 * The probe owns the schedule, the sequence numbers and the bookkeeping; a write path only moves records.
 */
interface WritePath extends AutoCloseable {
    /**
     * Called once before the first write, with the run's first sequence number; throws with a message that says what
     * to fix when the path cannot be used at all (e.g. the database refuses the login).
     */
    void open(long firstSeq) throws Exception;

    /**
     * Sends write {@code seq}, sent at {@code sentMillis}. Completes (never exceptionally) with a status: 2xx when the
     * system acknowledged it (for HTTP the answer's status; for JDBC 200 once the commit returned), anything else when
     * it was refused, 0 when no answer came.
     */
    CompletableFuture<Integer> write(long seq, long sentMillis);

    /** The stored sequence numbers from {@code firstSeq} on, in storage order; throws with a message saying what failed. */
    List<Long> readBack(long firstSeq) throws Exception;

    @Override
    void close();
}
