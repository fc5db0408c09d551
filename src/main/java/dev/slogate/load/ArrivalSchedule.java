package dev.slogate.load;

import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When each arrival of the open model is due: the n-th arrival (from 0) comes when the rate integrated from the start
 * reaches n, so every second gets exactly the arrivals its rate asks for, across stage boundaries, fractions included.
 * A ramp's rate changes linearly, so its arrival times solve a quadratic. An optional unrecorded warm-up ramp comes
 * first; {@link #measuredFrom()} is where the stages begin.
 */
final class ArrivalSchedule {
    /** One stretch of linearly changing rate: {@code from} to {@code to} per second over {@code nanos}. */
    private record Segment(long startNanos, long nanos, double from, double to, double firstArrival, double arrivals) {
        /** Nanoseconds into this segment at which the cumulative count reaches {@code k} (0 <= k < arrivals). */
        long offsetOf(double k) {
            double seconds = nanos / 1e9;
            double slope = (to - from) / seconds; // rate change per second
            double t;
            if (Math.abs(slope) < 1e-12) {
                t = k / from;
            } else {
                // from * t + slope * t^2 / 2 = k, the root in [0, seconds]
                double disc = from * from + 2 * slope * k;
                t = (-from + Math.sqrt(Math.max(0, disc))) / slope;
            }
            return Math.min(nanos, Math.max(0, Math.round(t * 1e9)));
        }
    }

    private final List<Segment> segments;
    private final long measuredFromNanos;
    private final long warmUpArrivals;
    private final long count;

    private ArrivalSchedule(List<Segment> segments, long measuredFromNanos, long warmUpArrivals, long count) {
        this.segments = segments;
        this.measuredFromNanos = measuredFromNanos;
        this.warmUpArrivals = warmUpArrivals;
        this.count = count;
    }

    /** The stages, after a warm-up ramp from {@code min(10, first rate)} to the first stage's rate (none if zero). */
    static ArrivalSchedule of(List<Stage> stages, Duration warmUp) {
        List<double[]> parts = new ArrayList<>(); // from, to, nanos
        double first = stages.isEmpty() ? 0 : stages.get(0).kind() == Stage.Kind.RAMP
                ? stages.get(0).from().perSecond() : stages.get(0).to().perSecond();
        long warmNanos = warmUp.isZero() || first <= 0 ? 0 : warmUp.toNanos();
        if (warmNanos > 0) {
            parts.add(new double[] {Math.min(10, first), first, warmNanos});
        }
        for (Stage s : stages) {
            double from = s.kind() == Stage.Kind.RAMP ? s.from().perSecond() : s.to().perSecond();
            parts.add(new double[] {from, s.to().perSecond(), s.duration().toNanos()});
        }
        List<Segment> segments = new ArrayList<>();
        long at = 0;
        double cumulative = 0;
        double warmUpCount = 0;
        for (int i = 0; i < parts.size(); i++) {
            double[] p = parts.get(i);
            long nanos = (long) p[2];
            double arrivals = (p[0] + p[1]) / 2 * (nanos / 1e9);
            segments.add(new Segment(at, nanos, p[0], p[1], cumulative, arrivals));
            at += nanos;
            cumulative += arrivals;
            if (i == 0 && warmNanos > 0) {
                warmUpCount = cumulative;
            }
        }
        // an arrival exists for every whole count reached before the end (the n-th comes when the integral reaches n)
        long count = (long) Math.ceil(cumulative - 1e-9);
        return new ArrivalSchedule(List.copyOf(segments), warmNanos, (long) Math.ceil(warmUpCount - 1e-9), count);
    }

    /** How many arrivals the whole schedule has, warm-up included. */
    long count() {
        return count;
    }

    /** Arrivals before this index belong to the warm-up: sent, not recorded. */
    long warmUpArrivals() {
        return warmUpArrivals;
    }

    /** Nanoseconds from the schedule's start to the first stage (the warm-up's length). */
    long measuredFrom() {
        return measuredFromNanos;
    }

    /** Nanoseconds from the schedule's start at which arrival {@code n} is due; {@code n} must be below {@link #count()}. */
    long offsetOf(long n) {
        if (n < 0 || n >= count) {
            throw new IndexOutOfBoundsException("arrival " + n + " of " + count);
        }
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) { // the last segment whose first arrival is at or before n
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstArrival() <= n) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // skip empty stretches (a zero-rate stage has no arrivals: n lands in the next one that has)
        while (lo < segments.size() - 1 && segments.get(lo).firstArrival() + segments.get(lo).arrivals() <= n) {
            lo++;
        }
        Segment s = segments.get(lo);
        return s.startNanos() + s.offsetOf(Math.min(s.arrivals(), Math.max(0, n - s.firstArrival())));
    }
}
