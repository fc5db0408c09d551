package dev.slogate.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One browser's event stream. The run's threads only {@link #offer} frames to a bounded queue (never blocking, never
 * touching a socket); the browser's own HTTP thread writes them out ({@link #drain}). A browser that falls behind by
 * more than {@link #CAPACITY} frames (a stalled or dead connection) is dropped: its queue is cleared and its stream
 * ends, so it costs the run nothing; if it reconnects, it starts again from the full state.
 */
final class Subscriber {
    /** About two minutes of a run's messages (two per second plus events): more means the browser stopped reading. */
    static final int CAPACITY = 256;
    /** A comment line while nothing happens (the load not started yet), so a dead connection is noticed and closed. */
    private static final long KEEP_ALIVE_SECONDS = 15;
    private static final String END = new String("end of stream"); // compared by identity

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY + 1);
    private volatile boolean closed;
    private volatile boolean dropped;

    /** Queues a frame; false if this subscriber is closed or was just dropped for falling behind. */
    boolean offer(String frame) {
        if (closed) {
            return false;
        }
        if (queue.size() >= CAPACITY || !queue.offer(frame)) {
            dropped = true;
            close();
            return false;
        }
        return true;
    }

    /** Ends the stream once the frames queued so far are written (after the run's last message). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (dropped) {
            queue.clear(); // a browser that fell behind gets nothing more
        }
        queue.offer(END); // room is kept for it: the queue holds CAPACITY + 1
    }

    boolean closed() {
        return closed;
    }

    boolean dropped() {
        return dropped;
    }

    int queued() {
        return queue.size();
    }

    /**
     * Writes the queued frames to {@code out} as they come, until the stream ends or the connection fails; called on
     * the browser's HTTP thread. A failed write closes this subscriber.
     */
    void drain(OutputStream out) {
        try {
            while (true) {
                String frame = queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (frame == END) {
                    return;
                }
                out.write((frame == null ? ": keep-alive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            close(); // the browser went away
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
        }
    }
}
