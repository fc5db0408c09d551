package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.load.ClientSecond;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    @Test
    void oneSelfContainedFileWithAnSvgPerChart() throws Exception {
        new HtmlReport().write(SampleRuns.failed(), dir);
        String html = Files.readString(dir.resolve("report.html"));

        assertEquals(3, count(html, "<svg "), "throughput, latency, error rate");
        for (String id : List.of("chart-throughput", "chart-latency", "chart-errors")) {
            assertTrue(html.contains("<svg id=\"" + id + "\""), id);
        }
        assertFalse(html.contains("http://"), "works offline: no external references");
        assertFalse(html.contains("https://"), "works offline: no external references");
        assertFalse(html.toLowerCase().contains("<script"), "no scripts at all, not even escaped ones unescaped");
        assertFalse(html.contains("<link"), "no external stylesheet");
        assertTrue(html.contains("<style>"));
    }

    @Test
    void shadesEveryFaultWindowWithItsLabelInEveryChart() {
        String html = HtmlReport.render(SampleRuns.failed());
        for (String fault : List.of("kill-one-pod", "pause-region-a")) {
            Pattern band = Pattern.compile("<g class=\"fault-window\"><title>fault:" + Pattern.quote(fault)
                    + " [^<]*</title><rect [^>]*/><text [^>]*>" + Pattern.quote(fault) + "</text></g>");
            Matcher m = band.matcher(html);
            int n = 0;
            while (m.find()) {
                n++;
            }
            assertEquals(3, n, "fault " + fault + " shaded in each chart");
        }
        assertEquals(6, count(html, "<g class=\"recovery-window\">"), "two recovery windows in three charts");
        // six events besides run start and end, marked in three charts
        assertEquals(18, count(html, "<g class=\"event\">"));
    }

    @Test
    void escapesEveryTextFromTheRun() {
        String html = HtmlReport.render(SampleRuns.failed());
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"), "SLO name escaped");
        assertTrue(html.contains("prometheus &lt;scrape&gt; gap &amp; retry"), "note escaped");
    }

    @Test
    void showsVerdictExitCodeAndTheTableWithColours() {
        String html = HtmlReport.render(SampleRuns.failed());
        assertTrue(html.contains("<div class=\"badge\">FAILED</div>"));
        assertTrue(html.contains("exit code 1 (an SLO failed)"));
        assertEquals(2, count(html, "<tr class=\"fail\">"));
        assertEquals(1, count(html, "<tr class=\"warn\">"));
        assertEquals(3, count(html, "<tr class=\"pass\">"));
        assertTrue(html.contains("<td class=\"num\">312 ms</td>"), "measured shown in the unit people read");
        assertTrue(html.contains("4.5 s"), "RTO of kill-one-pod among the key figures");
    }

    @Test
    void secondsWithoutRequestsAreGapsNotZeros() {
        RunReport r = SampleRuns.failed();
        String latency = chart(HtmlReport.render(r), "chart-latency");
        // p50, p95 and p99 each break at the idle second 10 and the missing second 15: three pieces per line
        assertEquals(9, count(latency, "<polyline "));
        String throughput = chart(HtmlReport.render(r), "chart-throughput");
        // throughput is really zero in the idle second, so it only breaks where the timeline has no second
        assertEquals(6, count(throughput, "<polyline "));
    }

    @Test
    void rendersAZeroLengthRunWithoutData() {
        RunReport empty = new RunReport(RunReport.SCHEMA_VERSION, "r0", "nothing", "http://127.0.0.1:1", 5_000, 5_000,
                4, "no data at all", List.of(new Event(5_000, Event.Kind.FAULT_INJECTED, "f", null)),
                List.of(new Window("run", 5_000, 5_000), new Window("fault:f", 5_000, 5_000)), List.of(), List.of(),
                List.of());
        String html = HtmlReport.render(empty);
        assertEquals(3, count(html, "<svg "));
        assertEquals(3, count(html, ">no data</text>"));
        assertEquals(3, count(html, "<g class=\"fault-window\">"));
        assertFalse(html.contains("NaN"), "no NaN coordinates");
        assertFalse(html.contains("Infinity"), "no infinite coordinates");
        assertTrue(html.contains("INCONCLUSIVE"));
    }

    @Test
    void chartsKeepFiniteCoordinatesForAnIdleClient() {
        long start = SampleRuns.START;
        List<ClientSecond> idle = List.of(new ClientSecond(start / 1000, 0, 0, Map.of()),
                new ClientSecond(start / 1000 + 1, 0, 0, Map.of()));
        RunReport r = new RunReport(RunReport.SCHEMA_VERSION, "r1", "idle", "t", start, start + 2_000, 4, "idle",
                List.of(), List.of(), List.of(), idle, List.of());
        String html = HtmlReport.render(r);
        assertFalse(html.contains("NaN"));
        assertTrue(chart(html, "chart-latency").contains(">no data</text>"));
        assertTrue(chart(html, "chart-throughput").contains("<polyline "), "zero rps is drawn, it is data");
    }

    private static String chart(String html, String id) {
        int from = html.indexOf("<svg id=\"" + id + "\"");
        return html.substring(from, html.indexOf("</svg>", from));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
