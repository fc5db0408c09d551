package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.probe.ProbeResult;
import dev.slogate.probe.Rpo;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeReportTest {
    private static final long S = SampleRuns.START;

    private static RunReport withProbe() {
        RunReport r = SampleRuns.failed();
        Rpo.Loss loss = new Rpo.Loss(S + 12_000, 400, 104, 150, 0, S + 10_050, S + 12_100, S + 10_030, 1_970, false);
        ProbeResult p = new ProbeResult("writes", S, S + 20_000, 50, 1000, 850, 150, 104, new Rpo.Integrity(746, 746, 0, 5),
                List.of(new ProbeResult.FaultLoss("pause-region-a", S + 12_000, S + 15_000, S + 15_010, loss, null)), List.of());
        List<SloResult> results = new ArrayList<>(r.results());
        results.add(new SloResult("rpo", "fault:pause-region-a", "probe", "RPO <= 5 s", 1.97, "s", Verdict.PASS,
                "RPO 1.97 s < 5 s in fault:pause-region-a (probe writes): 104 of 400 acknowledged writes lost"));
        return new RunReport(r.schemaVersion(), r.runId(), r.scenario(), r.target(), r.startMillis(), r.endMillis(), r.exitCode(),
                r.outcome(), r.events(), r.windows(), results, r.client(), r.notes(), List.of(p));
    }

    @Test
    void reportJsonCarriesTheProbesAndReadsThemBack(@TempDir Path dir) throws Exception {
        RunReport r = withProbe();
        new JsonReport().write(r, dir);
        String json = Files.readString(dir.resolve(JsonReport.FILE_NAME));
        assertTrue(json.contains("\"probes\"") && json.contains("\"rpoMillis\" : 1970"), json.substring(json.indexOf("\"probes\"")));
        assertEquals(r.probes(), JsonReport.read(dir).probes());
        assertEquals(List.of(), JsonReport.read(writeWithout(dir.resolve("old"))).probes());
    }

    private static Path writeWithout(Path dir) throws Exception {
        Files.createDirectories(dir);
        new JsonReport().write(SampleRuns.failed(), dir);
        return dir;
    }

    @Test
    void markdownAndHtmlShowLostWritesTheirSpanAndTheRpoAgainstTheObjective() {
        String md = MarkdownReport.render(withProbe());
        assertTrue(md.contains("104 of 400 acknowledged writes lost, acknowledged +10.1 s to +12.1 s (2.05 s span); RPO 1.97 s"
                + " vs objective RPO &lt;= 5 s: PASS; 150 writes refused"), md);
        assertTrue(md.contains("Probe writes (50 writes/s): 1000 writes, 850 acknowledged, 150 refused; 104 acknowledged writes lost"), md);
        String html = HtmlReport.render(withProbe());
        assertTrue(html.contains("<h2>Data integrity</h2>"), html);
        assertTrue(html.contains("RPO 1.97 s vs objective RPO &lt;= 5 s: PASS"), html);
        assertTrue(!MarkdownReport.render(SampleRuns.failed()).contains("Probe "), "no probe section without probes");
    }
}
