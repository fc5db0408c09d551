package dev.slogate.experiment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One SLO: an indicator measured over each of its windows and compared with {@code op target}.
 * Units: latency and RTO in seconds, ratios as fractions (0.001 = 0.1 %).
 * Windows are names of the run's timeline: {@code steady}, {@code run}, {@code fault:<name>}, {@code recovery:<name>},
 * {@code step:<stage number>}, or the patterns {@code fault:*}, {@code recovery:*} and {@code step:*}. An RTO objective has
 * one window per fault it covers, a scaling objective one per load step. {@code slices}, when set, judges each window in
 * time slices (see {@link TimeSlices}); null judges the window as a whole.
 */
public record SloDef(String name, String description, Indicator indicator, Op op, double target, List<String> windows, Path source, int line,
                     TimeSlices slices) {
    public SloDef {
        windows = List.copyOf(windows);
    }

    /** An SLO judged over each window as a whole. */
    public SloDef(String name, String description, Indicator indicator, Op op, double target, List<String> windows, Path source, int line) {
        this(name, description, indicator, op, target, windows, source, line, null);
    }

    /**
     * Judging in time slices (OpenSLO {@code Timeslices} and {@code RatioTimeslices}, threshold objectives with a
     * {@code target}). A window is cut into slices of {@code length} from its start; a last part of at least a second is a
     * shorter slice of its own, and a window shorter than one slice is one slice. The indicator is measured in each slice.
     * With {@code goodShare}, a slice is good when {@code op target} holds in it, and the SLO holds when at least
     * {@code goodShare} of the slices are good; a slice without data is not good. Without it ({@code RatioTimeslices}), the
     * average of the slices' ratios is compared with {@code op target}, a slice without data counting as 0 % good.
     */
    public record TimeSlices(Duration length, Double goodShare) {
        public TimeSlices {
            if (length.isZero() || length.isNegative()) {
                throw new IllegalArgumentException("a time slice must last more than 0s, got " + length);
            }
        }
    }

    /** Whether judging it needs Prometheus (a server-side query), not only the client's own measurements. */
    public boolean readsPrometheus() {
        return kind().readsPrometheus(this);
    }

    /** The kind of its indicator, which reads, describes and judges it. */
    public ObjectiveKind kind() {
        return ObjectiveKinds.of(indicator);
    }

    /** Where the measurement comes from. */
    public enum Source { CLIENT, PROMETHEUS }

    /**
     * What an SLO measures: the data of one objective kind. The built-in kinds' records are below; their
     * {@link ObjectiveKind}s (in {@code dev.slogate.slo}) read, describe and judge them. A new kind may declare its
     * indicator in its own class.
     */
    public interface Indicator {
        /** The earlier run it is judged against, or null for a fixed limit (the built-in records answer by their field). */
        default Baseline baseline() {
            return null;
        }

        /** The client's requests it judges ({@code selector: {request: ...}}), or null for all of them. */
        default Traffic traffic() {
            return null;
        }

        /** This indicator judging {@code traffic} instead; a kind that cannot select requests answers itself. */
        default Indicator withTraffic(Traffic traffic) {
            return this;
        }
    }

    /**
     * A latency percentile (0-100) in seconds. Always measured client-side; also from Prometheus when
     * {@code histogram} names a histogram metric (without {@code _bucket}), filtered by {@code selector} labels.
     * {@code traffic}: the client's requests it judges (a request, group or journey), null for all of them.
     */
    public record Latency(double percentile, String histogram, String selector, Baseline baseline, Traffic traffic) implements Indicator {
        /** A latency of all requests. */
        public Latency(double percentile, String histogram, String selector, Baseline baseline) {
            this(percentile, histogram, selector, baseline, null);
        }

        /** A latency judged against a fixed limit. */
        public Latency(double percentile, String histogram, String selector) {
            this(percentile, histogram, selector, null);
        }

        @Override
        public Latency withTraffic(Traffic t) {
            return new Latency(percentile, histogram, selector, baseline, t);
        }
    }

    /**
     * An objective relative to an earlier run: the value measured over a window must not be worse than the
     * {@code run}'s value over the window of the same name by more than {@code allowance}: a fraction of it when
     * {@code relative} ({@code notWorseThan: 10%} of a latency or an RTO), else in the indicator's own unit (seconds, or
     * percentage points of a ratio: {@code notWorseThan: 0.1%} of an error rate). The SLO's {@code target} is the
     * allowance. {@code run} is a report folder, a report.json or a run id in the reports folder, as written.
     */
    public record Baseline(String run, double allowance, boolean relative) {
    }

    /**
     * A ratio of events: {@code good/total} when {@code good} is set, else {@code bad/total}.
     * Client-side the events are requests and bad means not ok. From Prometheus, when {@code counter} is true each query is
     * a counter selector that is increased over the window; otherwise each is an expression in which {@code $window} is
     * replaced by the window's length (e.g. {@code [$window]}).
     */
    public record Ratio(Source source, String good, String bad, String total, boolean counter, Baseline baseline, Traffic traffic)
            implements Indicator {
        /** A ratio of all requests. */
        public Ratio(Source source, String good, String bad, String total, boolean counter, Baseline baseline) {
            this(source, good, bad, total, counter, baseline, null);
        }

        @Override
        public Ratio withTraffic(Traffic t) {
            return new Ratio(source, good, bad, total, counter, baseline, t);
        }

        /** A ratio judged against a fixed limit. */
        public Ratio(Source source, String good, String bad, String total, boolean counter) {
            this(source, good, bad, total, counter, null);
        }

        public boolean measuresGood() {
            return good != null;
        }
    }

    /** A PromQL expression read at the window's end ({@code $window} replaced by its length), compared as is. */
    public record Threshold(String query) implements Indicator {
    }

    /**
     * Recovery time of each fault it covers: seconds from injection until the service is back within
     * {@code maxErrorRate} and p{@code latencyPercentile} below {@code maxLatencySeconds}, judged per second over a
     * sliding {@code evaluationWindow}, and stays there for {@code stableForSeconds}.
     */
    public record Rto(double maxErrorRate, double latencyPercentile, double maxLatencySeconds,
                      double evaluationWindowSeconds, double stableForSeconds, Baseline baseline) implements Indicator {
        /** An RTO judged against a fixed limit, or the criteria of a scaling response. */
        public Rto(double maxErrorRate, double latencyPercentile, double maxLatencySeconds, double evaluationWindowSeconds,
                   double stableForSeconds) {
            this(maxErrorRate, latencyPercentile, maxLatencySeconds, evaluationWindowSeconds, stableForSeconds, null);
        }

        /** These criteria judged against {@code b}. */
        public Rto against(Baseline b) {
            return new Rto(maxErrorRate, latencyPercentile, maxLatencySeconds, evaluationWindowSeconds, stableForSeconds, b);
        }
    }

    /**
     * Scaling response to each load step it covers (a {@code step} stage or the start of a {@code ramp}): seconds from
     * the step's start until (a) the desired capacity runs ({@code measureCapacity}) or, by default, (b) the service is
     * back within {@code criteria} and stays there, judged exactly like an RTO. Both times are reported; the objective
     * applies to one. {@code deployment} is a kube-state-metrics label selector ({@code namespace="shop",deployment="api"})
     * for reading desired and ready replicas from Prometheus; null on the sandbox, whose autoscaler reports them itself.
     */
    public record Scaling(Rto criteria, boolean measureCapacity, String deployment, Workload workload) implements Indicator {
        /** Replicas from kube-state-metrics ({@code deployment} selector) or the sandbox's autoscaler. */
        public Scaling(Rto criteria, boolean measureCapacity, String deployment) {
            this(criteria, measureCapacity, deployment, null);
        }
    }

    /**
     * A Kubernetes workload whose replicas are read from the API server during the run ({@code capacity: {from:
     * kubernetes-api}}): desired = its HPA's {@code status.desiredReplicas} when it has one, else {@code spec.replicas};
     * ready = {@code status.readyReplicas}.
     *
     * @param kind {@code deployment} or {@code statefulset}
     * @param hpa  the HorizontalPodAutoscaler to read, or null to look for one named like the workload
     */
    public record Workload(String kind, String name, String namespace, String hpa) {
        public String describe() {
            return kind + "/" + name + " in namespace " + namespace;
        }
    }

    /**
     * Recovery point of each fault it covers, in seconds, from the data-integrity probe named {@code probe}: the
     * fault's injection time minus the acknowledgement time of the newest write that survived before the first lost one.
     */
    public record Rpo(String probe) implements Indicator {
    }
}
