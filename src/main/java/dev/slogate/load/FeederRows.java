package dev.slogate.load;

import dev.slogate.experiment.Feeder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A feeder's rows as the users of one injector take them, by its strategy; lock-free. {@code queue} and
 * {@code shuffle} hand each row out once and then have none ({@link #next} answers null); {@code circular} starts over;
 * {@code random} draws any row.
 */
final class FeederRows {
    private final Feeder feeder;
    private final List<Map<String, String>> rows;
    private final AtomicLong next = new AtomicLong();

    FeederRows(Feeder feeder, long seed) {
        this.feeder = feeder;
        List<Map<String, String>> r = feeder.rows();
        if (feeder.strategy() == Feeder.Strategy.SHUFFLE) {
            r = new ArrayList<>(r);
            Collections.shuffle(r, new Random(seed));
        }
        this.rows = List.copyOf(r);
    }

    Feeder feeder() {
        return feeder;
    }

    /** The next row for a user, or null when a feeder that hands rows out once has none left. */
    Map<String, String> next() {
        return switch (feeder.strategy()) {
            case RANDOM -> rows.get(ThreadLocalRandom.current().nextInt(rows.size()));
            case CIRCULAR -> rows.get((int) Math.floorMod(next.getAndIncrement(), (long) rows.size()));
            case QUEUE, SHUFFLE -> {
                long i = next.getAndIncrement();
                yield i < rows.size() ? rows.get((int) i) : null;
            }
        };
    }

    /** A row for a warm-up user: any row, none taken from the others. */
    Map<String, String> peek() {
        return rows.get(ThreadLocalRandom.current().nextInt(rows.size()));
    }
}
