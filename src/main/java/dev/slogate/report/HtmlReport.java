package dev.slogate.report;

import dev.slogate.report.SvgChart.Band;
import dev.slogate.report.SvgChart.Marker;
import dev.slogate.report.SvgChart.Point;
import dev.slogate.report.SvgChart.Series;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code report.html}: one self-contained page that works offline (no scripts, fonts or stylesheets from elsewhere):
 * the verdict, key figures, three timeline charts as inline SVG with fault windows shaded and events marked, the
 * verdict table, windows, events and notes. Every text from the run is escaped.
 */
public final class HtmlReport implements ReportWriter {
    public static final String FILE_NAME = "report.html";

    @Override
    public String fileName() {
        return FILE_NAME;
    }

    @Override
    public void write(RunReport r, Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE_NAME), render(r), StandardCharsets.UTF_8);
    }

    public static String render(RunReport r) {
        RunFigures f = RunFigures.of(r);
        StringBuilder b = new StringBuilder(64 * 1024);
        String tone = tone(r.exitCode());
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(r.scenario())).append(" · ").append(Format.exitLabel(r.exitCode()))
                .append(" · slogate</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");

        b.append("<header class=\"verdict ").append(tone).append("\">\n<div class=\"badge\">")
                .append(Format.exitLabel(r.exitCode())).append("</div>\n<div>\n<h1>").append(esc(r.scenario()))
                .append("</h1>\n<p class=\"outcome\">").append(esc(r.outcome())).append("</p>\n<p class=\"meta\">run <code>")
                .append(esc(r.runId())).append("</code> · target <code>").append(esc(r.target())).append("</code> · ")
                .append(esc(Format.instant(r.startMillis()))).append(" · ")
                .append(esc(Format.seconds((r.endMillis() - r.startMillis()) / 1000.0))).append(" · exit code ")
                .append(r.exitCode()).append(" (").append(esc(Format.exitMeaning(r.exitCode()))).append(")</p>\n</div>\n</header>\n");

        if (!r.problems().isEmpty()) { // never started: no figures or charts to show, only why
            b.append("<section>\n<h2>Problems</h2>\n<p>The run stopped before the load started; fix these and run again.</p>\n");
            r.problems().forEach(p -> b.append("<pre>").append(esc(p)).append("</pre>\n"));
            b.append("</section>\n");
            return footer(b, r);
        }
        figures(b, r, f);

        b.append("<section>\n<h2>Timeline</h2>\n");
        charts(r, f).forEach(c -> b.append(c.svg()));
        b.append("<p class=\"hint\">Shaded: fault windows (red) and recovery windows (green). Triangles mark events; "
                + "hover for details. Seconds without completed requests leave gaps.</p>\n</section>\n");

        verdicts(b, r);
        List<ProbeSummary.Probe> probes = ProbeSummary.of(r);
        if (!probes.isEmpty()) {
            b.append("<section>\n<h2>Data integrity</h2>\n");
            for (ProbeSummary.Probe p : probes) {
                b.append("<p>").append(esc(p.headline())).append("</p>\n<ul>\n");
                p.faults().forEach(x -> b.append("<li>").append(esc(x)).append("</li>\n"));
                b.append("</ul>\n");
            }
            b.append("<p class=\"hint\">A lost write was acknowledged and is missing from the read-back after the fault's recovery. "
                    + "RPO: the injection time minus the acknowledgement of the newest write that survived before the first lost one.</p>\n</section>\n");
        }
        if (!r.journeys().isEmpty()) {
            b.append("<section>\n<h2>Journeys</h2>\n<ul>\n");
            r.journeys().forEach(j -> b.append("<li>").append(esc(Format.journey(j))).append("</li>\n"));
            b.append("</ul>\n<p class=\"hint\">From the first request's intended send time to the last answer of each user"
                    + " that completed its journey; without think time: the sum of its steps' latencies.</p>\n</section>\n");
        }
        windows(b, r);
        events(b, r);
        if (!r.notes().isEmpty()) {
            b.append("<section>\n<h2>Notes</h2>\n<ul>\n");
            r.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
            b.append("</ul>\n</section>\n");
        }
        return footer(b, r);
    }

    private static String footer(StringBuilder b, RunReport r) {
        b.append("<footer>slogate report · schema version ").append(r.schemaVersion())
                .append(" · the data behind this page is in report.json</footer>\n</body>\n</html>\n");
        return b.toString();
    }

    /** HTML text and attribute escaping; null prints as nothing. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String tone(int exitCode) {
        return switch (exitCode) {
            case 0 -> "pass";
            case 1, 3 -> "fail";
            default -> "warn";
        };
    }

    private static void figures(StringBuilder b, RunReport r, RunFigures f) {
        long pass = count(r, Verdict.PASS);
        long fail = count(r, Verdict.FAIL);
        long noData = count(r, Verdict.NO_DATA);
        b.append("<section class=\"figures\">\n");
        card(b, "achieved", Format.rps(f.achievedRps()), "target " + (r.journeys().isEmpty() || f.targetRps() == null
                ? Format.rps(f.targetRps()) : Format.number(f.targetRps()) + " users/s"));
        card(b, "requests", String.valueOf(f.completed()), f.sent() + " sent");
        card(b, "p50 / p99", Format.ms(f.p50Ms()) + " / " + Format.ms(f.p99Ms()), "max " + Format.ms(f.maxMs()));
        card(b, "errors", Format.percent(f.errorPercent()), f.failed() + " failed");
        card(b, "SLO checks", pass + " / " + r.results().size() + " passed",
                fail + " failed · " + noData + " no data");
        for (RunFigures.Recovery rec : f.recoveries()) {
            card(b, "RTO " + rec.fault(), rec.shown(), rec.verdict() == null ? "" : rec.verdict().name());
        }
        b.append("</section>\n");
    }

    private static void card(StringBuilder b, String label, String value, String sub) {
        b.append("<div class=\"card\"><div class=\"label\">").append(esc(label)).append("</div><div class=\"value\">")
                .append(esc(value)).append("</div><div class=\"sub\">").append(esc(sub)).append("</div></div>\n");
    }

    private static long count(RunReport r, Verdict v) {
        return r.results().stream().filter(res -> res.verdict() == v).count();
    }

    static List<SvgChart> charts(RunReport r, RunFigures f) {
        double xMax = (r.endMillis() - r.startMillis()) / 1000.0;
        for (SecondStats s : f.seconds()) {
            xMax = Math.max(xMax, x(r, s) + 0.5);
        }
        List<Band> bands = bands(r);
        List<Marker> markers = markers(r);
        List<SecondStats> sec = f.seconds();
        return List.of(
                new SvgChart("chart-throughput", "Throughput: target vs achieved", "rps", xMax, List.of(
                        series(r, sec, "target", "#6e7781", true, s -> s.targetRps()),
                        series(r, sec, "sent", "#0969da", false, s -> (double) s.sent()),
                        series(r, sec, "ok responses", "#1a7f37", false,
                                s -> (double) (s.completed() - s.failed()))), bands, markers, false, 1),
                new SvgChart("chart-latency", "Latency", "ms", xMax, List.of(
                        series(r, sec, "p50", "#0969da", false, SecondStats::p50Ms),
                        series(r, sec, "p95", "#bf8700", false, SecondStats::p95Ms),
                        series(r, sec, "p99", "#cf222e", false, SecondStats::p99Ms)), bands, markers, true, 1),
                new SvgChart("chart-errors", "Error rate", "%", xMax, List.of(
                        series(r, sec, "errors", "#cf222e", false, SecondStats::errorPercent)), bands, markers, false, 1));
    }

    /** A second is drawn at its middle; a second missing from the client timeline breaks the line. */
    private static Series series(RunReport r, List<SecondStats> seconds, String name, String colour, boolean dashed,
                                 Function<SecondStats, Double> value) {
        List<Point> points = new ArrayList<>();
        Long previous = null;
        for (SecondStats s : seconds) {
            if (previous != null && s.epochSecond() - previous > 1) {
                points.add(new Point(x(r, s), null));
            }
            points.add(new Point(x(r, s), value.apply(s)));
            previous = s.epochSecond();
        }
        return new Series(name, colour, dashed, points);
    }

    private static double x(RunReport r, SecondStats s) {
        return (s.epochSecond() * 1000 + 500 - r.startMillis()) / 1000.0;
    }

    private static List<Band> bands(RunReport r) {
        List<Band> bands = new ArrayList<>();
        for (Window w : r.windows()) {
            boolean fault = w.name().startsWith("fault:");
            if (fault || w.name().startsWith("recovery:")) {
                String title = w.name() + " " + Format.offset(w.startMillis(), r.startMillis()) + " → "
                        + Format.offset(w.endMillis(), r.startMillis());
                bands.add(new Band((w.startMillis() - r.startMillis()) / 1000.0, (w.endMillis() - r.startMillis()) / 1000.0,
                        fault ? w.name().substring("fault:".length()) : "", fault ? "fault-window" : "recovery-window",
                        fault ? "#cf222e" : "#1a7f37", fault ? 0.10 : 0.06, title));
            }
        }
        return bands;
    }

    private static List<Marker> markers(RunReport r) {
        List<Marker> markers = new ArrayList<>();
        for (Event e : r.events()) {
            if (e.kind() == Event.Kind.RUN_START || e.kind() == Event.Kind.RUN_END) {
                continue;
            }
            String title = Format.offset(e.atMillis(), r.startMillis()) + " " + e.kind() + " " + nz(e.subject())
                    + (e.detail() == null ? "" : ": " + e.detail());
            markers.add(new Marker((e.atMillis() - r.startMillis()) / 1000.0, colour(e.kind()), title.trim()));
        }
        return markers;
    }

    private static String colour(Event.Kind kind) {
        return switch (kind) {
            case FAULT_INJECTED -> "#cf222e";
            case FAULT_REVERTED, RECOVERED -> "#1a7f37";
            case STOP_CONDITION -> "#8250df";
            case FAILOVER -> "#bc4c00";
            default -> "#6e7781";
        };
    }

    private static void verdicts(StringBuilder b, RunReport r) {
        b.append("<section>\n<h2>SLO verdicts</h2>\n");
        if (r.results().isEmpty()) {
            b.append("<p class=\"hint\">No SLO was judged in this run.</p>\n</section>\n");
            return;
        }
        b.append("<table>\n<thead><tr><th>SLO</th><th>Window</th><th>Source</th><th>Objective</th><th>Measured</th>"
                + "<th>Verdict</th><th>Detail</th></tr></thead>\n<tbody>\n");
        for (SloResult res : r.results()) {
            String v = switch (res.verdict()) {
                case PASS -> "pass";
                case FAIL -> "fail";
                case NO_DATA -> "warn";
            };
            b.append("<tr class=\"").append(v).append("\"><td>").append(esc(res.slo())).append("</td><td>")
                    .append(esc(res.window())).append("</td><td>").append(esc(res.source())).append("</td><td>")
                    .append(esc(res.objective())).append("</td><td class=\"num\">").append(esc(Format.measured(res)))
                    .append("</td><td><span class=\"pill ").append(v).append("\">").append(res.verdict().name().replace('_', ' '))
                    .append("</span></td><td>").append(esc(Format.sentence(res))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }

    private static void windows(StringBuilder b, RunReport r) {
        if (r.windows().isEmpty()) {
            return;
        }
        b.append("<section>\n<h2>Windows</h2>\n<table>\n<thead><tr><th>Window</th><th>From</th><th>To</th><th>Length</th>"
                + "</tr></thead>\n<tbody>\n");
        for (Window w : r.windows()) {
            b.append("<tr><td>").append(esc(w.name())).append("</td><td class=\"num\">")
                    .append(esc(Format.offset(w.startMillis(), r.startMillis()))).append("</td><td class=\"num\">")
                    .append(esc(Format.offset(w.endMillis(), r.startMillis()))).append("</td><td class=\"num\">")
                    .append(esc(Format.seconds(w.lengthMillis() / 1000.0))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }

    private static void events(StringBuilder b, RunReport r) {
        b.append("<section>\n<h2>Events</h2>\n");
        if (r.events().isEmpty()) {
            b.append("<p class=\"hint\">No events were recorded.</p>\n</section>\n");
            return;
        }
        b.append("<table>\n<thead><tr><th>At</th><th>Event</th><th>Subject</th><th>Detail</th></tr></thead>\n<tbody>\n");
        for (Event e : r.events()) {
            b.append("<tr><td class=\"num\">").append(esc(Format.offset(e.atMillis(), r.startMillis())))
                    .append("</td><td>").append(esc(e.kind().name())).append("</td><td>").append(esc(e.subject()))
                    .append("</td><td>").append(esc(e.detail())).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static final String CSS = """
            :root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--ink:#24292f;--muted:#57606a;--line:#d0d7de}
            *{box-sizing:border-box}
            body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#fff}
            h1{margin:0;font-size:22px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
            .verdict{display:flex;gap:18px;align-items:center;padding:16px 20px;border-radius:10px;border:1px solid var(--line);border-left-width:8px}
            .verdict.pass{border-left-color:var(--pass)}.verdict.fail{border-left-color:var(--fail)}.verdict.warn{border-left-color:var(--warn)}
            .badge{font-weight:700;font-size:18px;color:#fff;padding:8px 14px;border-radius:8px;letter-spacing:.04em}
            .pass .badge{background:var(--pass)}.fail .badge{background:var(--fail)}.warn .badge{background:var(--warn)}
            .outcome{margin:2px 0;font-size:15px}.meta,.hint,footer{color:var(--muted);font-size:12px;margin:2px 0}
            .figures{display:flex;flex-wrap:wrap;gap:10px;margin-top:16px}
            .card{flex:1 1 150px;border:1px solid var(--line);border-radius:8px;padding:8px 12px}
            .card .label{color:var(--muted);font-size:12px}.card .value{font-size:18px;font-weight:600}.card .sub{color:var(--muted);font-size:12px}
            svg.chart{display:block;margin:10px 0 4px;border:1px solid var(--line);border-radius:8px;background:#fff}
            table{border-collapse:collapse;width:100%;font-size:13px}
            th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
            th{background:#f6f8fa;font-weight:600}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            tr.fail td{background:#ffebe9}tr.warn td{background:#fff8c5}
            .pill{display:inline-block;color:#fff;font-size:11px;font-weight:700;padding:1px 8px;border-radius:10px;white-space:nowrap}
            .pill.pass{background:var(--pass)}.pill.fail{background:var(--fail)}.pill.warn{background:var(--warn)}
            footer{margin-top:32px;border-top:1px solid var(--line);padding-top:8px}
            """;
}
