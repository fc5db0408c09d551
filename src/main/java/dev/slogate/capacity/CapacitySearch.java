package dev.slogate.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Steps the rate up by {@code factor} from {@code from} until an SLO breaks, then bisects between the highest rate
 * that held and the lowest that broke until they are within {@code precision} of each other. Stops early when the
 * injector cannot send a rate, at {@code ceiling}, or when {@code maxSteps} are spent.
 */
public record CapacitySearch(double from, double factor, double ceiling, double precision, int maxSteps) {
    public CapacitySearch {
        if (!(from > 0) || !(factor > 1) || !(ceiling >= from) || !(precision > 0) || maxSteps < 1) {
            throw new IllegalArgumentException("capacity search needs from > 0, factor > 1, max >= from, precision > 0"
                    + " and at least one step; got from " + from + ", factor " + factor + ", max " + ceiling
                    + ", precision " + precision + ", steps " + maxSteps);
        }
    }

    /** Runs one step at a rate and judges it. */
    @FunctionalInterface
    public interface Probe {
        CapacityStep at(int index, double rps);
    }

    /** The steps tried, in order, and the bounds they established. */
    public record Outcome(List<CapacityStep> steps, CapacityStep highestHeld, CapacityStep lowestBroken,
                          CapacityStep saturated, boolean ceilingReached) {
    }

    public Outcome run(Probe probe) {
        List<CapacityStep> steps = new ArrayList<>();
        CapacityStep held = null;
        CapacityStep broken = null;
        double rate = from;
        // step up
        while (steps.size() < maxSteps) {
            CapacityStep s = probe.at(steps.size() + 1, rate);
            steps.add(s);
            if (s.saturated()) {
                return new Outcome(steps, held, broken, s, false);
            }
            if (!s.held()) {
                broken = s;
                break;
            }
            held = s;
            if (rate >= ceiling) {
                return new Outcome(steps, held, null, null, true);
            }
            rate = Math.min(ceiling, rate * factor);
        }
        // bisect
        while (held != null && broken != null && steps.size() < maxSteps
                && (broken.targetRps() - held.targetRps()) / held.targetRps() > precision) {
            double mid = round((held.targetRps() + broken.targetRps()) / 2);
            CapacityStep s = probe.at(steps.size() + 1, mid);
            steps.add(s);
            if (s.saturated()) {
                return new Outcome(steps, held, broken, s, false);
            }
            if (s.held()) {
                held = s;
            } else {
                broken = s;
            }
        }
        return new Outcome(steps, held, broken, null, false);
    }

    /** Whole requests per second above 20 rps, one decimal below: rates a reader can repeat. */
    static double round(double rps) {
        return rps >= 20 ? Math.round(rps) : Math.round(rps * 10) / 10.0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "from %.0f rps x%.2f up to %.0f rps, then bisect to %.0f %%", from, factor,
                ceiling, precision * 100);
    }
}
