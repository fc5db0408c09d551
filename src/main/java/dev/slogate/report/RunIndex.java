package dev.slogate.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slogate.report.SvgChart.Point;
import dev.slogate.report.SvgChart.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code reports/index.html}: every run of the reports folder, newest first, with its verdict, exit code, scenario,
 * date and key figures (p99, error rate, RTO per fault) and a link to its report.html; and per scenario with several
 * runs, the trend of those figures across its runs. Rewritten after every run; {@code slogate report --index} rebuilds it.
 * The figures of each run are kept in {@code reports/index.json} with the size and time of its report.json, so a
 * rewrite only reads the reports that are new or changed.
 */
public final class RunIndex {
    public static final String HTML = "index.html";
    public static final String JSON = "index.json";
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final String[] COLOURS = {"#0969da", "#cf222e", "#1a7f37", "#8250df", "#9a6700", "#57606a"};

    private RunIndex() {
    }

    /** One run as the index lists it; {@code problem} is set (and the figures null) when its report.json is unreadable. */
    public record Entry(String dir, String runId, String scenario, long startMillis, int exitCode, String outcome,
                        Double p99Ms, Double errorPercent, Map<String, Double> rtoSeconds, String problem,
                        long reportSize, long reportModified) {
        public Entry {
            rtoSeconds = rtoSeconds == null ? Map.of() : new LinkedHashMap<>(rtoSeconds);
        }
    }

    record Doc(List<Entry> runs) {
    }

    /** Rewrites index.html and index.json of {@code reportsDir}; returns the path of index.html. */
    public static Path update(Path reportsDir) throws IOException {
        List<Entry> runs = scan(reportsDir);
        Reports.writeAtomically(reportsDir.resolve(JSON), MAPPER.writeValueAsString(new Doc(runs)));
        Path html = reportsDir.resolve(HTML);
        Reports.writeAtomically(html, html(runs));
        return html;
    }

    /** Every run folder with a report.json, newest first; unchanged runs are taken from index.json. */
    public static List<Entry> scan(Path reportsDir) throws IOException {
        Map<String, Entry> known = new HashMap<>();
        Path json = reportsDir.resolve(JSON);
        if (Files.isRegularFile(json)) {
            try {
                MAPPER.readValue(json.toFile(), Doc.class).runs().forEach(e -> known.put(e.dir(), e));
            } catch (IOException | RuntimeException e) {
                // rebuilt from the reports below
            }
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(reportsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path report = dir.resolve(JsonReport.FILE_NAME);
                if (dir.getFileName().toString().startsWith(".") || !Files.isRegularFile(report)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(report, BasicFileAttributes.class);
                Entry was = known.get(dir.getFileName().toString());
                out.add(was != null && was.reportSize() == a.size() && was.reportModified() == a.lastModifiedTime().toMillis()
                        ? was : entry(dir, a));
            }
        }
        out.sort(Comparator.comparingLong(Entry::startMillis).reversed().thenComparing(Entry::dir));
        return out;
    }

    private static Entry entry(Path dir, BasicFileAttributes a) {
        String name = dir.getFileName().toString();
        try {
            RunReport r = JsonReport.read(dir);
            RunFigures f = RunFigures.of(r);
            Map<String, Double> rto = new LinkedHashMap<>();
            f.recoveries().forEach(x -> rto.put(x.fault(), x.seconds()));
            return new Entry(name, r.runId(), r.scenario(), r.startMillis(), r.exitCode(), r.outcome(), f.p99Ms(),
                    f.errorPercent(), rto, null, a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException | RuntimeException e) {
            return new Entry(name, name, null, a.lastModifiedTime().toMillis(), -1, null, null, null, Map.of(),
                    Reports.reason(e), a.size(), a.lastModifiedTime().toMillis());
        }
    }

    static String html(List<Entry> runs) {
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>slogate runs</title>\n<style>").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>slogate runs</h1>\n<p class=\"meta\">").append(runs.size())
                .append(runs.size() == 1 ? " run" : " runs").append(" in this reports folder, newest first</p>\n");
        b.append("<section>\n<table>\n<tr><th>run</th><th>verdict</th><th>scenario</th><th>date</th><th>p99</th>"
                + "<th>error rate</th><th>RTO per fault</th></tr>\n");
        for (Entry e : runs) {
            String link = e.dir() + "/" + HtmlReport.FILE_NAME;
            b.append("<tr").append(e.problem() != null ? " class=\"warn\"" : e.exitCode() == 1 || e.exitCode() == 3 ? " class=\"fail\"" : "")
                    .append("><td><a href=\"").append(HtmlReport.esc(link)).append("\"><code>").append(HtmlReport.esc(e.runId()))
                    .append("</code></a></td>");
            if (e.problem() != null) {
                b.append("<td colspan=\"6\">unreadable: ").append(HtmlReport.esc(e.problem())).append("</td></tr>\n");
                continue;
            }
            b.append("<td><span class=\"pill ").append(HtmlReport.tone(e.exitCode())).append("\" title=\"")
                    .append(HtmlReport.esc(e.outcome())).append("\">").append(Format.exitLabel(e.exitCode())).append("</span> exit ")
                    .append(e.exitCode()).append("</td><td>").append(HtmlReport.esc(e.scenario())).append("</td><td>")
                    .append(HtmlReport.esc(Format.instant(e.startMillis()))).append("</td><td class=\"num\">")
                    .append(Format.ms(e.p99Ms())).append("</td><td class=\"num\">").append(Format.percent(e.errorPercent()))
                    .append("</td><td>");
            List<String> rto = new ArrayList<>();
            e.rtoSeconds().forEach((fault, s) -> rto.add(HtmlReport.esc(fault) + " " + Format.seconds(s)));
            b.append(rto.isEmpty() ? Format.NONE : String.join("<br>", rto)).append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n");
        trends(b, runs);
        return b.append("<footer>slogate · rewritten after every run; <code>slogate report --index</code> rebuilds it</footer>\n</body>\n</html>\n")
                .toString();
    }

    /** Per scenario with at least two readable runs: p99, error rate and RTO per fault, oldest run first. */
    private static void trends(StringBuilder b, List<Entry> runs) {
        Map<String, List<Entry>> byScenario = new LinkedHashMap<>();
        for (Entry e : runs) {
            if (e.problem() == null && e.scenario() != null) {
                byScenario.computeIfAbsent(e.scenario(), k -> new ArrayList<>()).add(0, e); // runs are newest first
            }
        }
        byScenario.values().removeIf(list -> list.size() < 2);
        if (byScenario.isEmpty()) {
            return;
        }
        b.append("<section>\n<h2>Trends</h2>\n<p class=\"hint\">Per scenario, one point per run, oldest first (#1 is the oldest; the table above names the runs).</p>\n");
        int n = 0;
        for (Map.Entry<String, List<Entry>> s : byScenario.entrySet()) {
            List<Entry> list = s.getValue();
            String id = "trend-" + n++;
            b.append("<h3>").append(HtmlReport.esc(s.getKey())).append("</h3>\n");
            b.append(trend(id + "-p99", s.getKey() + ": p99 latency", "ms", list, List.of(series("p99", COLOURS[0], list, Entry::p99Ms))));
            b.append(trend(id + "-errors", s.getKey() + ": error rate", "%", list, List.of(series("error rate", COLOURS[1], list, Entry::errorPercent))));
            Set<String> faults = new LinkedHashSet<>();
            list.forEach(e -> faults.addAll(e.rtoSeconds().keySet()));
            if (!faults.isEmpty()) {
                List<Series> rto = new ArrayList<>();
                int c = 0;
                for (String fault : faults) {
                    rto.add(series(fault, COLOURS[c++ % COLOURS.length], list, e -> e.rtoSeconds().get(fault)));
                }
                b.append(trend(id + "-rto", s.getKey() + ": RTO per fault", "s", list, rto));
            }
        }
        b.append("</section>\n");
    }

    private static Series series(String name, String colour, List<Entry> list, Function<Entry, Double> value) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            points.add(new Point(i, value.apply(list.get(i))));
        }
        return new Series(name, colour, false, points);
    }

    private static String trend(String id, String title, String unit, List<Entry> list, List<Series> series) {
        // a floor for the y axis, so a flat line at 0 (no errors) still gets readable ticks
        double minTop = unit.equals("%") ? 1 : unit.equals("s") ? 5 : 10;
        return new SvgChart(id, title, unit, list.size() - 1, series, List.of(), List.of(), false, minTop)
                .svg(new SvgChart.XAxis("run, oldest to newest", span -> Math.max(1, SvgChart.niceStep(span / 8)),
                        x -> "#" + Math.round(x + 1)));
    }
}
