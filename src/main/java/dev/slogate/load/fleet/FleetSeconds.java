package dev.slogate.load.fleet;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The fleet's seconds on their way to the run's timeline: each injector's part of a second waits here until every
 * live injector has reported it (or was waited on for too long), then the parts are merged exactly and go out in order.
 */
final class FleetSeconds {
    private final TreeMap<Long, List<ClientSecond>> pending = new TreeMap<>();
    private long lastEmitted = Long.MIN_VALUE; // guarded by pending

    /** Keeps {@code member}'s part of a second; false when that second already went out without it (too late). */
    boolean offer(FleetMember member, ClientSecond s) {
        synchronized (pending) {
            // the fleet's seconds go out in order: one already merged without this part stays so
            boolean late = s.epochSecond() <= lastEmitted;
            if (!late && member.failure == null) {
                pending.computeIfAbsent(s.epochSecond(), k -> new ArrayList<>()).add(s);
            }
            member.lastSecond = Math.max(member.lastSecond, s.epochSecond());
            return !late;
        }
    }

    /**
     * Merges and emits, oldest first, each second every live member has reported (or waited on for too long); a
     * member that kept one waiting too long goes to {@code fail}.
     */
    void emitReady(ClientTimeline timeline, List<FleetMember> members, long now, long finalAfterMillis,
                   BiConsumer<FleetMember, String> fail) {
        while (true) {
            Map.Entry<Long, List<ClientSecond>> first;
            List<FleetMember> missing;
            synchronized (pending) {
                first = pending.firstEntry();
                if (first == null) {
                    return;
                }
                long s = first.getKey();
                missing = members.stream().filter(m -> !m.finished() && m.lastSecond < s).toList();
                // an injector's second turns final only once its requests have outcomes (up to the timeout + grace)
                if (!missing.isEmpty() && now <= (s + 1) * 1000 + finalAfterMillis + Fleet.SILENCE_MILLIS) {
                    return;
                }
                pending.pollFirstEntry();
                lastEmitted = s;
            }
            missing.forEach(m -> fail.accept(m, "sent no report of second " + first.getKey() % 1000 + " (of the minute "
                    + Instant.ofEpochSecond(first.getKey()) + ") within " + (finalAfterMillis + Fleet.SILENCE_MILLIS) / 1000
                    + " s"));
            timeline.add(FleetMath.merge(first.getKey(), first.getValue()));
        }
    }

    /** Emits whatever is left, at the end of the load. */
    void emitAll(ClientTimeline timeline) {
        synchronized (pending) {
            pending.forEach((s, parts) -> timeline.add(FleetMath.merge(s, parts)));
            pending.keySet().stream().reduce((a, b) -> b).ifPresent(s -> lastEmitted = s);
            pending.clear();
        }
    }
}
