package dev.slogate.timeline;

/**
 * A load step of a run in epoch milliseconds: a {@code step} stage, or a {@code ramp} from its start, numbered as the
 * stage's position in the scenario (1 = first stage). Its window {@code step:<stage>} lasts as long as the stage.
 */
public record StepSpan(int stage, long startMillis, long endMillis) {
    public StepSpan {
        if (stage < 1) {
            throw new IllegalArgumentException("stages are numbered from 1, got " + stage);
        }
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("step " + stage + " ends before it starts");
        }
    }
}
