package dev.slogate.timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The named windows of a run, and the expansion of the window names an SLO asks for.
 * <ul>
 *   <li>{@code run} [start, end)</li>
 *   <li>{@code steady} [start, first injection), the whole run when there is no fault</li>
 *   <li>{@code fault:<name>} [injected, reverted)</li>
 *   <li>{@code recovery:<name>} [reverted, min(reverted + 30 s, next injection at or after reverted, run end))</li>
 *   <li>{@code step:<stage>} [stage start, stage end) for each step stage and each ramp</li>
 * </ul>
 * Everything is clamped to the run, so a window never starts before the run or ends after it. The fault and recovery
 * windows of a fault someone else reverted carry its {@link FaultSpan#cut}: both lie elsewhere than the schedule said.
 */
public final class Windows {
    public static final String RUN = "run";
    public static final String STEADY = "steady";
    public static final String FAULT_PREFIX = "fault:";
    public static final String RECOVERY_PREFIX = "recovery:";
    public static final String STEP_PREFIX = "step:";
    public static final long RECOVERY_MILLIS = 30_000;

    private Windows() {
    }

    /** The windows of a run with load steps: those of {@link #of(long, long, List)} and a {@code step:<stage>} per step. */
    public static List<Window> of(long runStart, long runEnd, List<FaultSpan> faults, List<StepSpan> steps) {
        List<Window> out = new ArrayList<>(of(runStart, runEnd, faults));
        for (StepSpan s : steps) {
            long start = clamp(s.startMillis(), runStart, runEnd);
            out.add(new Window(STEP_PREFIX + s.stage(), start, clamp(s.endMillis(), start, runEnd)));
        }
        return List.copyOf(out);
    }

    public static List<Window> of(long runStart, long runEnd, List<FaultSpan> faults) {
        if (runEnd < runStart) {
            throw new IllegalArgumentException("the run ends (" + runEnd + ") before it starts (" + runStart + ")");
        }
        List<FaultSpan> byInjection = faults.stream().sorted(Comparator.comparingLong(FaultSpan::injectedMillis)).toList();
        Set<String> seen = new HashSet<>();
        for (FaultSpan f : byInjection) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("two faults are named '" + f.name() + "'; give each fault of a scenario its own name");
            }
        }
        List<Window> out = new ArrayList<>();
        out.add(new Window(RUN, runStart, runEnd));
        long firstInjection = byInjection.isEmpty() ? runEnd : byInjection.get(0).injectedMillis();
        out.add(new Window(STEADY, runStart, clamp(firstInjection, runStart, runEnd)));
        for (FaultSpan f : byInjection) {
            long injected = clamp(f.injectedMillis(), runStart, runEnd);
            long reverted = clamp(f.revertedMillis(), injected, runEnd);
            out.add(new Window(FAULT_PREFIX + f.name(), injected, reverted, f.cut()));
            long recoveryEnd = Math.min(reverted + RECOVERY_MILLIS, runEnd);
            for (FaultSpan next : byInjection) {
                if (next != f && next.injectedMillis() >= f.revertedMillis()) {
                    recoveryEnd = Math.min(recoveryEnd, next.injectedMillis());
                }
            }
            out.add(new Window(RECOVERY_PREFIX + f.name(), reverted, Math.max(reverted, recoveryEnd), f.cut()));
        }
        return List.copyOf(out);
    }

    /**
     * The windows the given names denote, in the order of {@code all}, each once. {@code fault:*} and
     * {@code recovery:*} match every fault (or none, in a run without faults).
     *
     * @throws IllegalArgumentException naming every unknown window and the ones that exist
     */
    public static List<Window> resolve(List<String> names, List<Window> all) {
        List<String> unknown = unknown(names, all);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown window" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; this run has " + all.stream().map(Window::name).collect(Collectors.joining(", "))
                    + " (and the patterns fault:*, recovery:* and step:*)");
        }
        return all.stream().filter(w -> names.stream().anyMatch(n -> matches(n, w.name()))).toList();
    }

    /** The names that denote no window of {@code all}; patterns are never unknown. */
    public static List<String> unknown(List<String> names, List<Window> all) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (!isPattern(n) && all.stream().noneMatch(w -> w.name().equals(n))) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    public static boolean isPattern(String name) {
        return name.equals(FAULT_PREFIX + "*") || name.equals(RECOVERY_PREFIX + "*") || name.equals(STEP_PREFIX + "*");
    }

    /** The fault a {@code fault:<name>} window belongs to, or null for any other window. */
    public static String faultOf(String windowName) {
        return windowName.startsWith(FAULT_PREFIX) ? windowName.substring(FAULT_PREFIX.length()) : null;
    }

    private static boolean matches(String pattern, String windowName) {
        if (isPattern(pattern)) {
            return windowName.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(windowName);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
