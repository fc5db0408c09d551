package dev.slogate.slo;

import java.util.List;
import java.util.Map;

/** The answer to a range query: one series of points per label set. */
public record RangeResult(List<Series> series, List<String> warnings) {
    public RangeResult {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }

    public record Series(Map<String, String> labels, List<Point> points) {
        public Series {
            labels = Map.copyOf(labels);
            points = List.copyOf(points);
        }
    }

    /** A value at {@code epochMillis}; NaN and infinities as Prometheus reports them. */
    public record Point(long epochMillis, double value) {
    }
}
