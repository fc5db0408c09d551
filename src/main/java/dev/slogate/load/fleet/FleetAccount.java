package dev.slogate.load.fleet;

import dev.slogate.load.StageResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What each injector of a fleet did, once the load is over: the report's notes (the fleet, its start skew, each
 * injector's share and achieved rate, or how it failed) and the problems that make the load inconclusive.
 */
record FleetAccount(List<String> notes, List<String> problems) {

    /** {@code fleet} describes where the injectors ran; {@code startAt} is their common start time (epoch ms). */
    static FleetAccount of(String fleet, int size, long startAt, List<FleetMember> members) {
        List<String> problems = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "fleet: %s, each sending 1/%d of every stage's rate", fleet, size));
        long[] released = members.stream().mapToLong(m -> m.releasedAt).filter(t -> t >= 0).sorted().toArray();
        if (released.length > 0) {
            lines.add(String.format(Locale.ROOT, "fleet: start skew %d ms (injectors released %d to %d ms after the common start time)",
                    released[released.length - 1] - released[0], released[0] - startAt, released[released.length - 1] - startAt));
        }
        for (FleetMember m : members) {
            if (m.failure != null) {
                String why = m.explained ? m.failure : m.failure + m.injector.postMortem();
                problems.add(m.label() + " " + why);
                lines.add(m.label() + ": FAILED, " + why);
            } else if (m.done != null) {
                if (m.done.saturated()) {
                    // a feeder that ran out (InjectorMain) is not a rate the injector missed
                    problems.add(m.label() + (m.done.message().startsWith("feeder '") ? ": " : " fell below 95 % of its share: ")
                            + m.done.message());
                }
                for (StageResult s : m.done.stages()) {
                    lines.add(String.format(Locale.ROOT, "%s: stage %d (%s): share %.1f rps, achieved %.1f rps", m.label(),
                            s.index() + 1, s.kind(), s.targetRps(), s.achievedRps()));
                }
            }
        }
        return new FleetAccount(List.copyOf(lines), List.copyOf(problems));
    }
}
