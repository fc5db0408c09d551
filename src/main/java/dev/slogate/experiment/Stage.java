package dev.slogate.experiment;

import java.time.Duration;

/**
 * One load stage. {@code ramp} goes linearly from {@code from} to {@code to}; {@code hold} keeps {@code to};
 * {@code step} jumps to {@code to} at once and holds it (a hold that is marked as a step on the timeline).
 */
public record Stage(Kind kind, Rate from, Rate to, Duration duration) {
    public enum Kind { RAMP, HOLD, STEP }

    public double rateAt(Duration intoStage) {
        if (kind != Kind.RAMP || duration.isZero()) {
            return to.perSecond();
        }
        double f = Math.min(1.0, (double) intoStage.toNanos() / duration.toNanos());
        return from.perSecond() + (to.perSecond() - from.perSecond()) * f;
    }

    /** Whether the injector is expected to hold a constant rate through the stage (checked against 95 %). */
    public boolean isConstant() {
        return kind != Kind.RAMP || from.equals(to);
    }
}
