package dev.slogate.load;

import com.typesafe.scalalogging.Logger;
import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The open model on a pool of pre-started virtual users. Arrivals follow an {@link ArrivalSchedule} whatever the
 * target does; each due arrival is handed to an idle user of the pool, who sends it (its latency counted from when it
 * was due) and comes back. Gatling's own open model starts a fresh user per arrival on its own timer; here a user's
 * lifecycle costs nothing per request and one timer wake-up per event loop releases every arrival due in the same
 * millisecond: half the CPU per request of Gatling's own open model at 10k rps (bench/run, issue 15).
 *
 * <p>Arrivals are released on a 1 ms grid from the schedule's origin: arrival n is due at the first grid tick at or
 * after its exact time, and that tick is its intended send time. If no user is idle when an arrival is due, the arrival
 * waits for the next user that comes back and is sent at once, still measured from its tick. The pool is sized so
 * that every user being busy takes a target stalled for longer than the request timeout, i.e. never while requests
 * time out; a stalled target therefore shows as latency and timeouts. An arrival still not started
 * {@value #DROP_AFTER_NANOS} ns after its tick (the injector had no CPU, or the pool ran dry) is dropped and counted
 * ({@link #dropped()}) rather than sent in a burst with the others: a backlog released at once needs a connection per
 * request and turns an injector that fell behind into a connection storm against the target.
 *
 * <p>Each event loop has its own lane (its idle users and one timer), used only from that loop's thread.
 */
final class ArrivalPool {
    /** Session attribute: the {@link System#nanoTime()} at which the arrival this user carries was due. */
    static final String INTENDED = "slogate.intended";
    /** Session attribute: the schedule is over (or the run stops); the user leaves the loop. */
    static final String DONE = "slogate.done";
    static final long TICK_NANOS = 1_000_000;
    /** An arrival not started this long after its tick is dropped. */
    static final long DROP_AFTER_NANOS = 1_000_000_000;
    /** How often an idle lane looks at the stop flag when no arrival is due sooner (a zero-rate stage). */
    private static final long STOP_POLL_NANOS = 100_000_000;
    /** The most users a pool starts with, whatever the rate and timeout: memory for their sessions. */
    static final int MAX_USERS = 50_000;

    private final ArrivalSchedule schedule;
    private final BooleanSupplier stopRequested;
    /** The next arrival not yet handed to a user (or dropped), shared by every lane. */
    private final AtomicLong nextArrival = new AtomicLong();
    private final Map<EventLoop, Lane> lanes = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private volatile long originNanos = Long.MAX_VALUE;

    ArrivalPool(ArrivalSchedule schedule, BooleanSupplier stopRequested) {
        this.schedule = schedule;
        this.stopRequested = stopRequested;
    }

    /**
     * How many users the pool starts: enough for every arrival of the busiest second to wait on the target for the
     * whole request timeout plus the longest journey (Little's law), at least 16, at most {@value #MAX_USERS}.
     */
    static int size(double peakRps, double busySeconds) {
        double users = Math.ceil(peakRps * busySeconds) + 16;
        return (int) Math.min(MAX_USERS, Math.max(16, users));
    }

    /** Arrival 0 is due at {@code originNanos} ({@link System#nanoTime()}); until then users only gather. */
    void start(long originNanos) {
        this.originNanos = originNanos;
        lanes.values().forEach(lane -> lane.loop.execute(lane::arm));
    }

    /** Arrivals not sent: no user started them within {@value #DROP_AFTER_NANOS} ns of their tick. */
    long dropped() {
        return dropped.sum();
    }

    /** Arrivals handed to a user so far. */
    long started() {
        return Math.min(nextArrival.get(), schedule.count());
    }

    /**
     * A pool user's chain: {@code take}, then {@code carry} (what one arrival does), then back to {@code take}. The way
     * back is an action of its own rather than Gatling's {@code forever}: no loop counter in the session, so making the
     * user fresh for its next arrival is a plain reset. A user leaves the chain when the schedule is over (an
     * {@code exitHereIf} on {@link #DONE} after take).
     */
    io.gatling.javaapi.core.ChainBuilder chain(io.gatling.javaapi.core.ChainBuilder carry) {
        Take[] take = new Take[1];
        io.gatling.core.action.builder.ActionBuilder takeScala = (ctx, next) -> take[0] = new Take(next);
        io.gatling.core.action.builder.ActionBuilder backScala = (ctx, next) -> new Back(() -> take[0]);
        io.gatling.javaapi.core.ActionBuilder takeBuilder = () -> takeScala;
        io.gatling.javaapi.core.ActionBuilder backBuilder = () -> backScala;
        return io.gatling.javaapi.core.CoreDsl.exec(takeBuilder)
                .exitHereIf(session -> session.contains(DONE))
                .exec(carry)
                .exec(backBuilder);
    }

    /** A Gatling action written in Java: it keeps the logger Scala's {@code StrictLogging} hands it. */
    private abstract static class JavaAction implements Action {
        private Logger logger;

        @Override
        public Logger logger() {
            return logger;
        }

        @Override
        public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(Logger logger) {
            this.logger = logger;
        }
    }

    /** The end of an arrival: the user goes back to {@link Take}. */
    private static final class Back extends JavaAction {
        private final java.util.function.Supplier<Take> take;

        Back(java.util.function.Supplier<Take> take) {
            this.take = take;
        }

        @Override
        public String name() {
            return "slogate-arrival-done";
        }

        @Override
        public void execute(Session session) {
            take.get().execute(session);
        }
    }

    private final class Take extends JavaAction {
        private final Action next;

        Take(Action next) {
            this.next = next;
        }

        @Override
        public String name() {
            return "slogate-arrival";
        }

        @Override
        public void execute(Session session) {
            EventLoop loop = session.eventLoop();
            Lane lane = lanes.computeIfAbsent(loop, l -> new Lane(l, next));
            // a fresh user per arrival: cookies, extracted values and a failed status do not carry over
            Session fresh = session.reset().markAsSucceeded();
            if (loop.inEventLoop() && !lane.dispatching) {
                lane.arrive(fresh);
            } else { // another thread, or back at once inside a dispatch (a request that failed before it went out)
                loop.execute(() -> lane.arrive(fresh));
            }
        }
    }

    /** One event loop's idle users and timer; every method runs on that loop's thread. */
    private final class Lane {
        final EventLoop loop;
        final Action next;
        final ArrayDeque<Session> idle = new ArrayDeque<>();
        ScheduledFuture<?> timer;
        long timerAt = Long.MAX_VALUE;
        /** Inside {@link #dispatch}: a user that comes back synchronously waits for the next loop turn (no recursion). */
        boolean dispatching;
        /** The last {@link #dueAt} answer: asked several times per arrival (take, arm). */
        long cachedArrival = -1;
        long cachedDue;

        Lane(EventLoop loop, Action next) {
            this.loop = loop;
            this.next = next;
        }

        /** A user is free: it takes an arrival that is already due, or waits with the idle ones. */
        void arrive(Session session) {
            if (!dispatch(session, System.nanoTime())) {
                idle.push(session);
                arm();
            }
        }

        /** Starts {@code session} on the next arrival if one is due at {@code now} (or ends it); false if none is due. */
        private boolean dispatch(Session session, long now) {
            dispatching = true;
            try {
                return take(session, now);
            } finally {
                dispatching = false;
            }
        }

        private boolean take(Session session, long now) {
            if (stopRequested.getAsBoolean()) {
                next.execute(session); // on to the stop check, which ends the load generator
                return true;
            }
            while (true) {
                long n = nextArrival.get();
                if (n >= schedule.count()) {
                    next.execute(session.set(DONE, Boolean.TRUE));
                    return true;
                }
                long due = originNanos == Long.MAX_VALUE ? Long.MAX_VALUE : dueAt(n);
                if (due > now) {
                    return false;
                }
                if (nextArrival.compareAndSet(n, n + 1)) {
                    if (now - due > DROP_AFTER_NANOS) {
                        dropped.increment();
                        continue;
                    }
                    Session carrying = session.set(INTENDED, due);
                    next.execute(n < schedule.warmUpArrivals() ? carrying.set(LoadHooks.WARM_UP, Boolean.TRUE) : carrying);
                    return true;
                }
            }
        }

        /** When arrival {@code n} is due: its exact time rounded up to the pool's 1 ms grid. */
        private long dueAt(long n) {
            if (cachedArrival != n) {
                cachedDue = originNanos + (schedule.offsetOf(n) + TICK_NANOS - 1) / TICK_NANOS * TICK_NANOS;
                cachedArrival = n;
            }
            return cachedDue;
        }

        /** The timer fired: every idle user takes a due arrival, in one wake-up. */
        void tick() {
            timer = null;
            timerAt = Long.MAX_VALUE;
            long now = System.nanoTime();
            while (!idle.isEmpty()) {
                Session user = idle.pop();
                if (!dispatch(user, now)) {
                    idle.push(user);
                    break;
                }
            }
            arm();
        }

        /** Sets the timer for the next due arrival (or the next look at the stop flag), if a user is idle. */
        void arm() {
            if (idle.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            long n = nextArrival.get();
            long at = now + STOP_POLL_NANOS;
            if (originNanos != Long.MAX_VALUE && n < schedule.count()) {
                at = Math.min(at, dueAt(n));
            } else if (n >= schedule.count()) {
                at = now; // the schedule is over: let the idle users go
            }
            if (timer != null) {
                if (timerAt <= at) {
                    return;
                }
                timer.cancel(false);
            }
            timerAt = at;
            timer = loop.schedule(this::tick, Math.max(0, at - now), TimeUnit.NANOSECONDS);
        }
    }
}
