package dev.slogate.report;

import dev.slogate.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * One timeline chart as inline SVG: lines over seconds since run start, shaded windows and event markers. Written by
 * hand so report.html needs no script or library; a null y is a gap (a second without data), never a zero.
 */
public record SvgChart(String id, String title, String unit, double xMax, List<Series> series, List<Band> bands,
                List<Marker> markers, boolean logAllowed, double minTop) {

    public record Point(double x, Double y) {
    }

    public record Series(String name, String colour, boolean dashed, List<Point> points) {
    }

    /** A shaded span of the x axis, coloured in the SVG itself so the chart also reads when copied out of the page. */
    public record Band(double from, double to, String label, String cssClass, String colour, double opacity, String title) {
    }

    public record Marker(double x, String colour, String title) {
    }

    private static final int W = 960;
    private static final int H = 250;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 34;
    private static final int PLOT_W = W - LEFT - RIGHT;
    private static final int PLOT_H = H - TOP - BOTTOM;

    /** How the x axis reads: its title, the spacing of its ticks for a span, and each tick's label. */
    public record XAxis(String title, DoubleUnaryOperator step, DoubleFunction<String> label) {
        /** Seconds since the run's start, in clock steps (the default). */
        static final XAxis TIME = new XAxis("seconds since run start", span -> timeStep(span / 8),
                t -> Durations.format(Duration.ofMillis(Math.round(t * 1000))));

        /** Plain numbers in 1-2-5 steps, e.g. requests per second. */
        public static XAxis numbers(String title) {
            return new XAxis(title, span -> niceStep(span / 8), Format::number);
        }
    }

    public String svg() {
        return svg(XAxis.TIME);
    }

    public String svg(XAxis xAxis) {
        List<Double> values = new ArrayList<>();
        series.forEach(s -> s.points().forEach(p -> {
            if (p.y() != null && Double.isFinite(p.y())) {
                values.add(p.y());
            }
        }));
        YScale y = YScale.of(values, logAllowed, minTop);
        double span = Math.max(xMax, 1);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"%s\" "
                        + "font-family=\"system-ui, sans-serif\" font-size=\"11\">\n",
                HtmlReport.esc(id), W, H, HtmlReport.esc(title)));
        b.append("<title>").append(HtmlReport.esc(title)).append("</title>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"600\" fill=\"#24292f\">%s</text>\n",
                LEFT, HtmlReport.esc(title + (y.log() ? " (log scale)" : ""))));
        legend(b);
        for (Band band : bands) {
            double x0 = px(Math.max(0, band.from()), span);
            double x1 = px(Math.min(span, Math.max(band.from(), band.to())), span);
            b.append(String.format(Locale.ROOT,
                    "<g class=\"%s\"><title>%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                            + "fill=\"%s\" fill-opacity=\"%.2f\"/><text x=\"%.1f\" y=\"%d\" fill=\"%s\" font-weight=\"600\">%s</text></g>\n",
                    HtmlReport.esc(band.cssClass()), HtmlReport.esc(band.title()), x0, TOP, Math.max(x1 - x0, 1.5), PLOT_H,
                    band.colour(), band.opacity(), x0 + 4, TOP + 13, band.colour(), HtmlReport.esc(band.label())));
        }
        axes(b, y, span, xAxis);
        for (Marker m : markers) {
            double x = px(Math.min(Math.max(m.x(), 0), span), span);
            b.append(String.format(Locale.ROOT,
                    "<g class=\"event\"><title>%s</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                            + "stroke-dasharray=\"2 3\"/><path d=\"M%.1f %d l-4 -6 h8 z\" fill=\"%s\"/></g>\n",
                    HtmlReport.esc(m.title()), x, TOP, x, TOP + PLOT_H, m.colour(), x, TOP, m.colour()));
        }
        for (Series s : series) {
            lines(b, s, y, span);
        }
        if (values.isEmpty()) {
            b.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#57606a\" font-size=\"13\">no data</text>\n",
                    LEFT + PLOT_W / 2, TOP + PLOT_H / 2));
        }
        return b.append("</svg>\n").toString();
    }

    private void legend(StringBuilder b) {
        int x = W - RIGHT;
        List<String> items = new ArrayList<>();
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            x -= 26 + s.name().length() * 7;
            items.add(0, String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"12\" x2=\"%d\" y2=\"12\" stroke=\"%s\" stroke-width=\"2.5\"%s/>"
                            + "<text x=\"%d\" y=\"16\" fill=\"#24292f\">%s</text>",
                    x, x + 16, s.colour(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", x + 20, HtmlReport.esc(s.name())));
        }
        b.append("<g class=\"legend\">").append(String.join("", items)).append("</g>\n");
    }

    private void axes(StringBuilder b, YScale y, double span, XAxis xAxis) {
        b.append("<g class=\"axes\" fill=\"#57606a\" stroke-width=\"1\">\n");
        for (double t : y.ticks()) {
            double py = y.px(t);
            b.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d0d7de\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, py, LEFT + PLOT_W, py, LEFT - 6, py + 4, HtmlReport.esc(Format.number(t) + " " + unit)));
        }
        double step = xAxis.step().applyAsDouble(span);
        for (int i = 0; i * step <= span + 1e-9; i++) {
            double t = i * step;
            double px = px(t, span);
            b.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#8c959f\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    px, TOP + PLOT_H, px, TOP + PLOT_H + 4, px, TOP + PLOT_H + 16,
                    HtmlReport.esc(xAxis.label().apply(t))));
        }
        b.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#8c959f\"/>\n", LEFT, TOP,
                PLOT_W, PLOT_H));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                LEFT + PLOT_W / 2, H - 4, HtmlReport.esc(xAxis.title())));
        b.append("</g>\n");
    }

    /** Consecutive points with a value become one polyline; a lone point becomes a dot so it is not lost. */
    private static void lines(StringBuilder b, Series s, YScale y, double span) {
        List<String> run = new ArrayList<>();
        String style = String.format(Locale.ROOT, "fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" stroke-linejoin=\"round\"%s",
                s.colour(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "");
        b.append("<g class=\"series\"><title>").append(HtmlReport.esc(s.name())).append("</title>");
        for (Point p : s.points()) {
            if (p.y() == null || !Double.isFinite(p.y())) {
                flush(b, run, style, s.colour());
                continue;
            }
            run.add(String.format(Locale.ROOT, "%.1f,%.1f", px(Math.min(Math.max(p.x(), 0), span), span), y.px(p.y())));
        }
        flush(b, run, style, s.colour());
        b.append("</g>\n");
    }

    private static void flush(StringBuilder b, List<String> run, String style, String colour) {
        if (run.size() == 1) {
            String[] xy = run.get(0).split(",");
            b.append(String.format("<circle cx=\"%s\" cy=\"%s\" r=\"2.2\" fill=\"%s\"/>", xy[0], xy[1], colour));
        } else if (run.size() > 1) {
            b.append("<polyline ").append(style).append(" points=\"").append(String.join(" ", run)).append("\"/>");
        }
        run.clear();
    }

    /** Steps a clock reads well (10s, 30s, 1m, 5m ...), falling back to 1-2-5 steps below a second and above an hour. */
    /** The smallest 1, 2 or 5 times a power of ten at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= raw) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    static double timeStep(double raw) {
        for (double step : new double[] {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}) {
            if (raw <= step) {
                return raw < 1 ? YScale.niceStep(raw) : step;
            }
        }
        return YScale.niceStep(raw / 3600) * 3600;
    }

    private static double px(double x, double span) {
        return LEFT + PLOT_W * x / span;
    }

    /** Linear from zero, or logarithmic by decades when values span more than {@value #LOG_RATIO}×. */
    record YScale(boolean log, double lo, double hi, List<Double> ticks) {
        static final double LOG_RATIO = 30;

        static YScale of(List<Double> values, boolean logAllowed, double minTop) {
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double minPositive = values.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(0);
            if (logAllowed && minPositive > 0 && max / minPositive > LOG_RATIO) {
                int from = (int) Math.floor(Math.log10(minPositive));
                int to = (int) Math.ceil(Math.log10(max));
                List<Double> ticks = new ArrayList<>();
                for (int e = from; e <= to; e++) {
                    double decade = Math.pow(10, e);
                    ticks.add(decade);
                    if (to - from <= 2 && e < to) {
                        ticks.add(2 * decade);
                        ticks.add(5 * decade);
                    }
                }
                return new YScale(true, Math.pow(10, from), Math.pow(10, to), ticks);
            }
            double top = Math.max(max, minTop > 0 ? minTop : 1e-9);
            double step = niceStep(top / 4);
            top = Math.ceil(top / step - 1e-9) * step;
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; i * step <= top + step / 1e6; i++) {
                ticks.add(i * step);
            }
            return new YScale(false, 0, top, ticks);
        }

        /** 1, 2 or 5 times a power of ten, the steps people read without effort. */
        static double niceStep(double raw) {
            if (!(raw > 0)) {
                return 1;
            }
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double n = raw / mag;
            return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
        }

        double px(double v) {
            double f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : v / hi;
            return TOP + PLOT_H * (1 - Math.min(Math.max(f, 0), 1));
        }
    }
}
