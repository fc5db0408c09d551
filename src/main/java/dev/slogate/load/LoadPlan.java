package dev.slogate.load;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Stage;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What to run: the load model against {@code baseUrl}; Gatling's own files go under {@code workDir}.
 *
 * <p>{@code warmUp}: before the first stage the generic simulation ramps from a trickle to the first stage's rate for
 * this long, unrecorded, so that the injector's JIT is warm and its connection pool is open when the measured load
 * begins. Without it, a cold JVM at thousands of rps falls behind in its first seconds; in the open model every
 * request that waits needs its own connection, so thousands of connections open at once, the injector spends its CPU
 * on handshakes and the target's connection limit turns them into timeouts (see bench/open-vs-closed).
 * The run's clock ({@link ClientTimeline#start()}) starts after the warm-up.
 */
public record LoadPlan(String baseUrl, Load load, Path workDir, Duration warmUp) {
    /** First-stage rates from which a cold injector measurably falls behind on a small machine. */
    static final double WARM_UP_FROM_RPS = 1_000;
    static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(10);
    /** Below that, a short warm-up still keeps Gatling's own first-second hiccup (class loading, JIT) out of the run. */
    static final Duration SHORT_WARM_UP = Duration.ofSeconds(3);

    public LoadPlan {
        if (warmUp == null || warmUp.isNegative()) {
            throw new IllegalArgumentException("warmUp must be zero or positive, got " + warmUp);
        }
    }

    /** With the default warm-up: 10 s when the first stage starts at 1000 rps or more, 3 s below, none from 0 rps. */
    public LoadPlan(String baseUrl, Load load, Path workDir) {
        this(baseUrl, load, workDir, defaultWarmUp(load));
    }

    public static Duration defaultWarmUp(Load load) {
        double first = firstRate(load);
        return first >= WARM_UP_FROM_RPS ? DEFAULT_WARM_UP : first > 0 ? SHORT_WARM_UP : Duration.ZERO;
    }

    /** The rate the load starts at: where the warm-up ramps to. */
    static double firstRate(Load load) {
        if (load.stages().isEmpty()) {
            return 0;
        }
        Stage first = load.stages().get(0);
        return first.kind() == Stage.Kind.RAMP ? first.from().perSecond() : first.to().perSecond();
    }
}
