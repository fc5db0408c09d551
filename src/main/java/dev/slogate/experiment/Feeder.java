package dev.slogate.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test data for journeys ({@code load.feeders}): the rows of a CSV (header row) or JSON-lines file, read once when the
 * scenario is read. A user takes one row of each feeder its journey reads a column of ({@code ${column}}, or
 * {@code ${feeder.column}}), as it arrives. {@code file} is the path as written, for messages.
 */
public record Feeder(String name, String file, Strategy strategy, List<String> columns, List<Map<String, String>> rows) {
    public Feeder {
        columns = List.copyOf(columns);
        rows = rows.stream().map(Map::copyOf).toList();
    }

    /** Whether {@code ${variable}} reads this feeder: one of its columns, plain or as {@code name.column}. */
    public boolean provides(String variable) {
        return columns.contains(variable) || variable.startsWith(name + ".") && columns.contains(variable.substring(name.length() + 1));
    }

    /**
     * How users take rows: {@code queue} in file order, each row once; {@code shuffle} the same in a random order;
     * {@code circular} in file order, starting over at the end; {@code random} any row, any number of times.
     */
    public enum Strategy {
        QUEUE, CIRCULAR, RANDOM, SHUFFLE;

        /** Whether each row is handed out once, so the feeder can run out. */
        public boolean consumes() {
            return this == QUEUE || this == SHUFFLE;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The rows injector {@code index} of {@code count} hands out: every {@code count}-th row from {@code index} for a
     * feeder that hands each row out once (no two injectors use the same row), all of them otherwise.
     */
    public Feeder forInjector(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("injector " + index + " of " + count + " does not exist");
        }
        if (!strategy.consumes() || count == 1) {
            return this;
        }
        List<Map<String, String>> share = new ArrayList<>();
        for (int i = index; i < rows.size(); i += count) {
            share.add(rows.get(i));
        }
        return new Feeder(name, file, strategy, columns, share);
    }
}
