package dev.slogate.load.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.JourneyLog;
import dev.slogate.load.LoadResult;
import java.io.BufferedReader;
import java.util.List;
import java.io.BufferedWriter;
import java.io.IOException;
import java.util.function.BiConsumer;

/** One injector of a {@link Fleet} and what the coordinator knows of it: its connection, liveness and result. */
final class FleetMember {
    final String name;
    final InjectorLauncher.Injector injector;
    volatile BufferedWriter out;
    volatile Thread reader;
    volatile long lastHeard = System.currentTimeMillis();
    /** The latest second it reported; guarded by the fleet's {@link FleetSeconds}. */
    volatile long lastSecond = Long.MIN_VALUE;
    volatile boolean ready;
    volatile long releasedAt = -1;
    volatile LoadResult done;
    /** Its journeys' whole users, sent with {@code done}. */
    volatile List<JourneyLog.Part> journeys = List.of();
    volatile String failure;
    /** The failure already says what the injector's site knows (its exit, its pod): no post-mortem needed. */
    volatile boolean explained;

    FleetMember(InjectorLauncher.Injector injector) {
        this.name = injector.name();
        this.injector = injector;
    }

    String label() {
        return injector.label();
    }

    boolean finished() {
        return done != null || failure != null;
    }

    synchronized void send(ObjectNode message) {
        BufferedWriter w = out;
        if (w == null) {
            return;
        }
        try {
            w.write(Wire.line(message));
            w.write('\n');
            w.flush();
        } catch (IOException gone) {
            // the reader sees the closed connection; the monitor names the injector
        }
    }

    /** Reads its messages until the connection ends: its seconds go to {@code seconds}, a failure to {@code fail}. */
    void read(BufferedReader in, FleetSeconds seconds, BiConsumer<FleetMember, String> fail) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                lastHeard = System.currentTimeMillis();
                JsonNode m = Wire.parse(line);
                switch (m.get("type").asText()) {
                    case "ready" -> ready = true;
                    case "released" -> releasedAt = m.get("atMillis").asLong();
                    case "second" -> {
                        if (!seconds.offer(this, Wire.second(m))) {
                            fail.accept(this, "reported a second after the fleet had merged it without it (over the"
                                    + " request timeout + " + Fleet.SILENCE_MILLIS / 1000 + " s late)");
                        }
                    }
                    case "done" -> {
                        journeys = Wire.journeyParts(m.path("journeys"));
                        done = Wire.done(m);
                    }
                    default -> { } // alive
                }
            }
        } catch (IOException | RuntimeException e) {
            if (done == null) {
                fail.accept(this, "lost its connection (" + e.getMessage() + ")");
            }
        }
    }
}
