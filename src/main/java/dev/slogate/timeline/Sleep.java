package dev.slogate.timeline;

import java.time.Duration;

/**
 * A pause in a polling loop that keeps an interrupt for the loop to see: the caller checks
 * {@code Thread.currentThread().isInterrupted()} (or its own stop flag) and ends, instead of every loop catching
 * {@link InterruptedException} its own way.
 */
public final class Sleep {
    private Sleep() {
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void sleep(Duration d) {
        sleep(d.toMillis());
    }
}
