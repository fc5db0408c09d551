package dev.slogate.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slogate.report.Format;
import dev.slogate.report.HtmlReport;
import dev.slogate.report.Reports;
import dev.slogate.report.SvgChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The result of {@code slogate capacity}: capacity.json (the steps as measured) and capacity.html (the knee: a table
 * and charts of latency percentiles and error rate over the rate tried, drawn with the run report's {@link SvgChart}).
 */
public final class CapacityReport {
    private CapacityReport() {
    }

    /**
     * Writes both files, each atomically; if either cannot be written, neither is left (so no file says a code the
     * process does not return) and the exception names the file and why.
     */
    public static void write(CapacityResult r, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String jsonText = json.writeValueAsString(r);
        String htmlText = html(r);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("could not create " + dir + ": " + Reports.reason(e), e);
        }
        try {
            Reports.writeAtomically(dir.resolve("capacity.json"), jsonText);
            Reports.writeAtomically(dir.resolve("capacity.html"), htmlText);
        } catch (IOException e) {
            Files.deleteIfExists(dir.resolve("capacity.json"));
            Files.deleteIfExists(dir.resolve("capacity.html"));
            throw e;
        }
    }

    static String html(CapacityResult r) {
        List<CapacityStep> byRate = r.steps().stream().sorted(Comparator.comparingDouble(CapacityStep::targetRps)).toList();
        double xMax = byRate.stream().mapToDouble(CapacityStep::targetRps).max().orElse(1) * 1.05;
        List<SvgChart.Band> bands = r.lowestBrokenRps() == null ? List.of() : List.of(new SvgChart.Band(r.lowestBrokenRps(),
                xMax, "SLOs broken", "band-broken", "#cf222e", 0.08, "at and above " + Format.number(r.lowestBrokenRps()) + " rps an SLO broke"));
        List<SvgChart.Marker> markers = r.maxSustainableRps() == null ? List.of() : List.of(new SvgChart.Marker(
                r.maxSustainableRps(), "#1a7f37", "maximum sustainable rate " + Format.number(r.maxSustainableRps()) + " rps"));
        SvgChart.XAxis x = SvgChart.XAxis.numbers("requests per second (target of the step)");
        String latency = new SvgChart("capacity-latency", "Latency by rate", "ms", xMax, List.of(
                series(byRate, "p50", "#0969da", CapacityStep::p50Ms),
                series(byRate, "p95", "#bf8700", CapacityStep::p95Ms),
                series(byRate, "p99", "#cf222e", CapacityStep::p99Ms)), bands, markers, true, 1).svg(x);
        String errors = new SvgChart("capacity-errors", "Error rate by rate", "%", xMax, List.of(
                series(byRate, "errors", "#cf222e", s -> s.errorPercent())), bands, markers, false, 1).svg(x);
        String achieved = new SvgChart("capacity-throughput", "Achieved vs target", "rps", xMax, List.of(
                series(byRate, "target", "#6e7781", s -> s.targetRps()),
                series(byRate, "achieved", "#0969da", s -> s.achievedRps())), bands, markers, false, 1).svg(x);

        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Capacity: ")
                .append(HtmlReport.esc(r.scenario())).append(" · slogate</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#24292f;max-width:1000px}")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:right}")
                .append("td.l,th.l{text-align:left}tr.broke td{background:#ffebe9}tr.max td{background:#dafbe1;font-weight:600}")
                .append(".outcome{font-size:1.15em;padding:10px;border-radius:6px;background:")
                .append(r.exitCode() == 0 ? "#dafbe1" : r.exitCode() == 1 ? "#ffebe9" : "#fff8c5").append("}")
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Capacity of ").append(HtmlReport.esc(r.scenario())).append("</h1>\n");
        b.append("<p>Target ").append(HtmlReport.esc(r.target())).append(", run ").append(HtmlReport.esc(r.runId()))
                .append(r.fault() == null ? "" : ", with fault <b>" + HtmlReport.esc(r.fault()) + "</b> active during every step")
                .append(".</p>\n");
        b.append("<p class=\"outcome\">").append(HtmlReport.esc(r.outcome())).append("</p>\n");
        b.append("<table>\n<tr><th>step</th><th>target rps</th><th>achieved rps</th><th>p50</th><th>p95</th><th>p99</th>")
                .append("<th>errors</th><th class=\"l\">SLOs</th></tr>\n");
        for (CapacityStep s : r.steps()) {
            boolean max = r.maxSustainableRps() != null && s.held() && s.targetRps() == r.maxSustainableRps();
            b.append("<tr class=\"").append(max ? "max" : s.held() ? "" : "broke").append("\"><td>").append(s.index())
                    .append("</td><td>").append(Format.number(s.targetRps())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", s.achievedRps())).append("</td><td>").append(Format.ms(s.p50Ms()))
                    .append("</td><td>").append(Format.ms(s.p95Ms())).append("</td><td>").append(Format.ms(s.p99Ms()))
                    .append("</td><td>").append(Format.percent(s.errorPercent())).append("</td><td class=\"l\">")
                    .append(HtmlReport.esc(s.saturated() ? "injector could not send the rate"
                            : s.held() ? (max ? "hold (maximum sustainable)" : "hold") : "broke: " + String.join("; ", s.broken())))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n").append(latency).append(errors).append(achieved);
        b.append("<p>Each step holds one rate: a settle period that is not judged, then a judged period in which every SLO of")
                .append(" the scenario (but RTO) is evaluated over the run and steady windows. Latency is client-side, from the")
                .append(" intended send time. capacity.json holds the same figures.</p>\n</body>\n</html>\n");
        return b.toString();
    }

    private static SvgChart.Series series(List<CapacityStep> steps, String name, String colour,
                                          Function<CapacityStep, Double> value) {
        return new SvgChart.Series(name, colour, false, steps.stream()
                .map(s -> new SvgChart.Point(s.targetRps(), value.apply(s))).toList());
    }
}
