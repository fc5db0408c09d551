package dev.slogate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slogate.report.Comparison.Change;
import dev.slogate.report.Comparison.Distribution;
import dev.slogate.report.Comparison.Figure;
import dev.slogate.report.Comparison.Point;
import dev.slogate.report.Comparison.Row;
import dev.slogate.report.SvgChart.Series;
import dev.slogate.slo.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files of {@code slogate compare}: compare.json (the {@link Comparison} as is), compare.md (for a CI job summary)
 * and compare.html (self-contained, the latency distributions as inline SVG), each written atomically and redacted.
 */
public final class ComparisonReport {
    public static final String JSON = "compare.json";
    public static final String MARKDOWN = "compare.md";
    public static final String HTML = "compare.html";

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String BASE_COLOUR = "#8c959f";
    private static final String RUN_COLOUR = "#0969da";

    private ComparisonReport() {
    }

    /** Writes the three files into {@code dir}; returns their paths. */
    public static List<Path> write(Comparison c, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String name : List.of(JSON, MARKDOWN, HTML)) {
            Path file = dir.resolve(name);
            Reports.writeAtomically(file, switch (name) {
                case JSON -> json(c);
                case MARKDOWN -> markdown(c);
                default -> html(c);
            });
            out.add(file);
        }
        return out;
    }

    public static String json(Comparison c) {
        try {
            return MAPPER.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the comparison: " + e.getMessage(), e);
        }
    }

    /** Reads compare.json back. */
    public static Comparison read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), Comparison.class);
    }

    public static String markdown(Comparison c) {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(MarkdownReport.mark(c.exitCode())).append(" ").append(MarkdownReport.cell(c.run().scenario()))
                .append(": ").append(MarkdownReport.cell(c.run().runId())).append(" against baseline ")
                .append(MarkdownReport.cell(c.base().runId())).append(" (exit ").append(c.exitCode()).append(")\n\n")
                .append(MarkdownReport.cell(c.outcome())).append("\n\n");
        b.append("| SLO | window | source | objective | baseline | run | change | verdicts | |\n|---|---|---|---|---:|---:|---:|---|---|\n");
        for (Row r : c.rows()) {
            b.append("| ").append(MarkdownReport.cell(r.slo())).append(" | ").append(MarkdownReport.cell(r.window()))
                    .append(" | ").append(MarkdownReport.cell(r.source())).append(" | ").append(MarkdownReport.cell(r.objective()))
                    .append(" | ").append(Comparison.shown(r.unit(), r.base())).append(" | ").append(Comparison.shown(r.unit(), r.run()))
                    .append(" | ").append(delta(r)).append(" | ").append(verdict(r.baseVerdict())).append(" → ")
                    .append(verdict(r.runVerdict())).append(" | ").append(mark(r.change())).append(" |\n");
        }
        b.append("\n| figure | baseline | run |\n|---|---:|---:|\n");
        for (Figure f : c.figures()) {
            b.append("| ").append(MarkdownReport.cell(f.name())).append(" | ").append(figure(f, f.base())).append(" | ")
                    .append(figure(f, f.run())).append(" |\n");
        }
        for (Distribution d : c.distributions()) {
            b.append("\n**Client latency, ").append(MarkdownReport.cell(d.window())).append("** (").append(d.baseCount())
                    .append(" → ").append(d.runCount()).append(" answered requests)\n\n| |");
            d.points().forEach(p -> b.append(' ').append(Comparison.percentileName(p.percentile())).append(" |"));
            b.append("\n|---|").append("---:|".repeat(d.points().size())).append("\n| baseline |");
            d.points().forEach(p -> b.append(' ').append(Format.ms(p.baseMs())).append(" |"));
            b.append("\n| run |");
            d.points().forEach(p -> b.append(' ').append(Format.ms(p.runMs())).append(" |"));
            b.append('\n');
        }
        if (!c.notes().isEmpty()) {
            b.append('\n');
            c.notes().forEach(n -> b.append("- ").append(MarkdownReport.cell(n)).append('\n'));
        }
        return b.toString();
    }

    public static String html(Comparison c) {
        StringBuilder b = new StringBuilder(32 * 1024);
        String title = c.run().scenario() + " · " + c.run().runId() + " vs " + c.base().runId();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(HtmlReport.esc(title)).append(" · slogate compare</title>\n<style>").append(HtmlReport.CSS)
                .append("</style>\n</head>\n<body>\n<header class=\"verdict ").append(HtmlReport.tone(c.exitCode()))
                .append("\">\n<div class=\"badge\">").append(badge(c.exitCode())).append("</div>\n<div>\n<h1>")
                .append(HtmlReport.esc(c.run().scenario())).append(": ").append(HtmlReport.esc(c.run().runId()))
                .append(" against ").append(HtmlReport.esc(c.base().runId())).append("</h1>\n<p class=\"outcome\">")
                .append(HtmlReport.esc(c.outcome())).append("</p>\n<p class=\"meta\">baseline ")
                .append(HtmlReport.esc(Format.instant(c.base().startMillis()))).append(" (exit ").append(c.base().exitCode())
                .append(") · run ").append(HtmlReport.esc(Format.instant(c.run().startMillis()))).append(" (exit ")
                .append(c.run().exitCode()).append(") · exit code ").append(c.exitCode()).append("</p>\n</div>\n</header>\n");

        b.append("<section>\n<h2>SLOs</h2>\n<table>\n<tr><th>SLO</th><th>window</th><th>source</th><th>objective</th>"
                + "<th>baseline</th><th>run</th><th>change</th><th>verdicts</th><th></th></tr>\n");
        for (Row r : c.rows()) {
            b.append("<tr").append(r.change() == Change.WORSE ? " class=\"fail\"" : r.change() == Change.NO_DATA ? " class=\"warn\"" : "")
                    .append("><td>").append(HtmlReport.esc(r.slo())).append("</td><td>").append(HtmlReport.esc(r.window()))
                    .append("</td><td>").append(HtmlReport.esc(r.source())).append("</td><td>").append(HtmlReport.esc(r.objective()))
                    .append("</td><td class=\"num\">").append(HtmlReport.esc(Comparison.shown(r.unit(), r.base())))
                    .append("</td><td class=\"num\">").append(HtmlReport.esc(Comparison.shown(r.unit(), r.run())))
                    .append("</td><td class=\"num\">").append(HtmlReport.esc(delta(r))).append("</td><td>")
                    .append(pill(r.baseVerdict())).append(" → ").append(pill(r.runVerdict())).append("</td><td>")
                    .append(HtmlReport.esc(r.change().name().toLowerCase(Locale.ROOT).replace('_', ' '))).append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n<section>\n<h2>Key figures</h2>\n<table>\n<tr><th>figure</th><th>baseline</th><th>run</th></tr>\n");
        for (Figure f : c.figures()) {
            b.append("<tr><td>").append(HtmlReport.esc(f.name())).append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(figure(f, f.base()))).append("</td><td class=\"num\">")
                    .append(HtmlReport.esc(figure(f, f.run()))).append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n<section>\n<h2>Client latency distributions</h2>\n");
        for (Distribution d : c.distributions()) {
            b.append(chart(d).svg(new SvgChart.XAxis("percentile", span -> 1, ComparisonReport::nines)));
        }
        b.append("<p class=\"hint\">Latency at each percentile of the requests that got an answer, from the exact merge of "
                + "every second's histograms in the window; dashed: the baseline. The x axis counts nines: p90, p99, p99.9.</p>\n</section>\n");
        if (!c.notes().isEmpty()) {
            b.append("<section>\n<h2>Notes</h2>\n<ul>\n");
            c.notes().forEach(n -> b.append("<li>").append(HtmlReport.esc(n)).append("</li>\n"));
            b.append("</ul>\n</section>\n");
        }
        return b.append("<footer>slogate compare · the data behind this page is in ").append(JSON)
                .append("</footer>\n</body>\n</html>\n").toString();
    }

    /** The distribution's curves: x in nines (p90 = 1, p99 = 2), up to p99.99; the maximum is in the tables. */
    static SvgChart chart(Distribution d) {
        List<SvgChart.Point> base = new ArrayList<>();
        List<SvgChart.Point> run = new ArrayList<>();
        for (Point p : d.points()) {
            if (p.percentile() < 100) {
                double x = -Math.log10(1 - p.percentile() / 100);
                base.add(new SvgChart.Point(x, p.baseMs()));
                run.add(new SvgChart.Point(x, p.runMs()));
            }
        }
        return new SvgChart("latency-" + d.window().replaceAll("[^A-Za-z0-9_-]", "-"), "client latency, " + d.window(), "ms", 4,
                List.of(new Series("baseline", BASE_COLOUR, true, base), new Series("run", RUN_COLOUR, false, run)),
                List.of(), List.of(), true, 1);
    }

    private static String nines(double x) {
        return x < 0.5 ? "p0" : "p" + Format.number(100 - 100 * Math.pow(10, -Math.round(x)));
    }

    private static String delta(Row r) {
        if (r.delta() == null) {
            return "";
        }
        String abs = (r.delta() >= 0 ? "+" : "-") + Comparison.shown(r.unit(), Math.abs(r.delta()));
        if ("ratio".equals(r.unit())) {
            abs = (r.delta() >= 0 ? "+" : "-") + Format.number(Math.abs(r.delta()) * 100) + " pp";
        }
        return r.deltaPercent() == null ? abs : abs + " (" + (r.deltaPercent() >= 0 ? "+" : "") + Format.number(r.deltaPercent()) + " %)";
    }

    private static String figure(Figure f, Double v) {
        if (v == null) {
            return Format.NONE;
        }
        return switch (f.unit()) {
            case "ms" -> Format.ms(v);
            case "%" -> Format.percent(v);
            case "s" -> Format.seconds(v);
            case "" -> Format.number(v);
            default -> Format.number(v) + " " + f.unit();
        };
    }

    private static String verdict(Verdict v) {
        return v == null ? "–" : v.name().replace('_', ' ');
    }

    private static String mark(Change c) {
        return switch (c) {
            case WORSE -> "❌ worse";
            case BETTER -> "✅ better";
            case SAME -> "same";
            case NO_DATA -> "⚠️ no data";
            case ONLY_BASE -> "only in baseline";
            case ONLY_RUN -> "only in run";
        };
    }

    private static String pill(Verdict v) {
        if (v == null) {
            return "–";
        }
        String tone = v == Verdict.PASS ? "pass" : v == Verdict.FAIL ? "fail" : "warn";
        return "<span class=\"pill " + tone + "\">" + v.name().replace('_', ' ') + "</span>";
    }

    private static String badge(int exitCode) {
        return switch (exitCode) {
            case 0 -> "NOT WORSE";
            case 1 -> "WORSE";
            default -> "NOT COMPARABLE";
        };
    }
}
