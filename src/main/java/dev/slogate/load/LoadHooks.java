package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * The bridge between a running Gatling simulation and slogate: the active run's timeline and its stop flag.
 * Gatling instantiates simulations by class name with a no-arg constructor, so the run is passed through this holder;
 * one load runs per JVM at a time.
 *
 * <p>A user's own Simulation ({@code load.simulation}) is not measured by slogate unless it uses these hooks:
 * wrap each request in {@link #measured} (records sent, latency and status class into the run's timeline) and start
 * each user with {@link #stopWhenRequested()} so that stop conditions and Ctrl-C can end the load early. Without them
 * the run has no client-side data and client-side SLOs are inconclusive.
 */
public final class LoadHooks {
    static final String T0 = "slogate.t0";
    static final String STATUS = "slogate.status";
    /** Session flag of warm-up users: their requests run but are not recorded. */
    static final String WARM_UP = "slogate.warmUp";
    private static final Duration GATLING_DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static volatile ActiveRun active;

    private LoadHooks() {
    }

    /** State of the one run in progress. */
    static final class ActiveRun {
        final LoadPlan plan;
        final ClientTimeline timeline;
        volatile String stopReason;
        volatile boolean startMarked;
        volatile Runnable startGate;
        /** The generic simulation's pool of users (null for a user's own simulation): its late starts. */
        volatile ArrivalPool pool;

        /** Runs the start gate once, if there is one. */
        void passStartGate() {
            Runnable gate = startGate;
            startGate = null;
            if (gate != null) {
                gate.run();
            }
        }

        ActiveRun(LoadPlan plan, ClientTimeline timeline) {
            this.plan = plan;
            this.timeline = timeline;
        }

        void markStart(Instant at) {
            if (!startMarked) {
                startMarked = true;
                timeline.markStart(at);
            }
        }
    }

    static void begin(ActiveRun run) {
        synchronized (LoadHooks.class) {
            if (active != null) {
                throw new IllegalStateException("a load is already running in this JVM; run one LoadRunner at a time");
            }
            active = run;
        }
    }

    static void end(ActiveRun run) {
        synchronized (LoadHooks.class) {
            if (active == run) {
                active = null;
            }
        }
    }

    static ActiveRun activeOrFail() {
        ActiveRun a = active;
        if (a == null) {
            throw new IllegalStateException("no slogate load is running; start simulations through LoadRunner");
        }
        return a;
    }

    /** Whether slogate asked the load to end (stop condition, Ctrl-C). */
    public static boolean stopRequested() {
        ActiveRun a = active;
        return a != null && a.stopReason != null;
    }

    private static String stopReason() {
        ActiveRun a = active;
        return a == null ? "the run ended" : a.stopReason;
    }

    /** Put first in each virtual user: ends the whole load generator once slogate asks to stop. */
    public static ChainBuilder stopWhenRequested() {
        return exec(stopLoadGeneratorIf(s -> "slogate stop: " + stopReason(), s -> stopRequested()));
    }

    /**
     * Counts one request as sent in the active run's timeline at {@code sentNanos} ({@link System#nanoTime()}): its
     * intended send time, the second it belongs to. Pass the same stamp to {@link #record(String, StatusClass, long, long)}.
     */
    public static void recordSent(long sentNanos) {
        ActiveRun a = active;
        if (a != null) {
            if (!a.startMarked) { // checked here so the hot path allocates no Instant
                a.markStart(Instant.now());
            }
            a.timeline.recordSent(sentNanos);
        }
    }

    /** Records the outcome of the request sent at {@code sentNanos}, {@code latencyMicros} after that send time. */
    public static void record(String request, StatusClass status, long sentNanos, long latencyMicros) {
        ActiveRun a = active;
        if (a != null) {
            a.timeline.record(request, status, sentNanos, latencyMicros);
        }
    }

    /**
     * {@code request}, measured into the timeline under {@code name}. Latency runs from the moment this chain starts
     * (for slogate's own open-model users: the instant the arrival they carry was due, its intended send time)
     * to the moment the response or the failure is processed. The run's requestTimeout is applied to the request.
     * Status class: the response status equals {@code expectStatus} -> OK, another status -> HTTP_ERROR; no response
     * and at least requestTimeout elapsed -> TIMEOUT; no response sooner (refused, reset, closed) -> CONNECT_ERROR.
     */
    public static ChainBuilder measured(String name, HttpRequestActionBuilder request, int expectStatus) {
        ActiveRun a = active;
        Duration timeout = a != null && a.plan.load().requestTimeout() != null
                ? a.plan.load().requestTimeout() : GATLING_DEFAULT_TIMEOUT;
        long timeoutNanos = timeout.toNanos();
        // saveAs first: Gatling stops at the first failing check, and the status must be saved even when it is wrong
        HttpRequestActionBuilder checked = request.requestTimeout(timeout)
                .check(status().saveAs(STATUS), status().is(expectStatus));
        return exec(session -> {
            // a pool user carries the arrival's due time (no copy of the session needed); any other user is due when
            // its chain starts
            boolean carried = session.contains(ArrivalPool.INTENDED);
            long t0 = carried ? session.getLong(ArrivalPool.INTENDED) : System.nanoTime();
            if (!session.contains(WARM_UP)) {
                recordSent(t0);
            }
            return carried ? session : session.set(T0, t0);
        }).exec(checked).exec(session -> {
            if (session.contains(WARM_UP)) {
                return session.remove(STATUS);
            }
            long t0 = session.contains(ArrivalPool.INTENDED) ? session.getLong(ArrivalPool.INTENDED) : session.getLong(T0);
            long elapsed = System.nanoTime() - t0;
            StatusClass status;
            if (session.contains(STATUS)) {
                status = session.getInt(STATUS) == expectStatus ? StatusClass.OK : StatusClass.HTTP_ERROR;
            } else {
                status = elapsed >= timeoutNanos ? StatusClass.TIMEOUT : StatusClass.CONNECT_ERROR;
            }
            record(name, status, t0, elapsed / 1000);
            return session.remove(STATUS);
        });
    }
}
