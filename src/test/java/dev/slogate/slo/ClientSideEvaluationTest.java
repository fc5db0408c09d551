package dev.slogate.slo;

import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ClientSideEvaluationTest {
    private final SloEvaluator evaluator = new SloEvaluator(null);

    static SloDef slo(String name, SloDef.Indicator indicator, Op op, double target, String... windows) {
        return new SloDef(name, "", indicator, op, target, List.of(windows), null, 1);
    }

    @Test
    void latencyMergesEveryAnsweredRequestExactly() {
        Random random = new Random(42);
        Histogram expected = LatencyHistograms.create();
        List<ClientSecond> seconds = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            Traffic t = Traffic.at(s);
            for (int i = 0; i < 200; i++) {
                double millis = 1 + random.nextInt(400);
                StatusClass status = i % 10 == 0 ? StatusClass.HTTP_ERROR : StatusClass.OK;
                t.add(status, 1, millis);
                expected.recordValue(Math.round(millis * 1000));
            }
            t.add(StatusClass.TIMEOUT, 5, 5000); // failed, but no latency of the service
            seconds.add(t.build());
        }
        List<Window> windows = Windows.of(ms(0), ms(10), List.of());
        SloResult r = evaluator.evaluate(List.of(slo("p95", new Latency(95, null, null), Op.LT, 0.2, "run")), windows, seconds, List.of()).get(0);

        assertEquals(expected.getValueAtPercentile(95) / 1e6, r.measured(), 1e-12);
        assertEquals("client", r.source());
        assertEquals("s", r.unit());
        assertEquals("p95 < 200 ms", r.objective());
        assertEquals(Verdict.FAIL, r.verdict());
        assertTrue(r.measured() > 0.3, "p95 of uniform 1..400 ms is about 380 ms, got " + r.measured());
    }

    @Test
    void latencyMessageNamesTheNumberThatMissed() {
        List<ClientSecond> seconds = new ArrayList<>(Traffic.steady(0, 30, 100, 20, 0));
        seconds.addAll(Traffic.steady(30, 40, 100, 312, 0));
        List<Window> windows = Windows.of(ms(0), ms(40), List.of(new FaultSpan("kill-one-pod", ms(30), ms(40))));
        List<SloResult> rs = evaluator.evaluate(List.of(slo("p95", new Latency(95, null, null), Op.LT, 0.2, "steady", "fault:*")),
                windows, seconds, List.of());

        assertEquals(2, rs.size());
        assertEquals(Verdict.PASS, rs.get(0).verdict());
        assertEquals("p95 latency 20 ms < 200 ms in steady (client)", rs.get(0).message());
        assertEquals(Verdict.FAIL, rs.get(1).verdict());
        // histograms keep two significant digits: the value is 312 ms within 1 %, and the message names that value
        assertEquals(0.312, rs.get(1).measured(), 0.312 * 0.01);
        assertEquals("p95 latency " + Math.round(rs.get(1).measured() * 1000) + " ms > 200 ms in fault:kill-one-pod (client)",
                rs.get(1).message());
    }

    @Test
    void errorRateCountsEveryNonOkCompletion() {
        List<ClientSecond> seconds = List.of(
                Traffic.at(0).ok(990, 10).add(StatusClass.HTTP_ERROR, 5, 10).add(StatusClass.CONNECT_ERROR, 3, 1).build(),
                Traffic.at(1).ok(1000, 10).add(StatusClass.TIMEOUT, 2, 5000).build());
        List<Window> windows = Windows.of(ms(0), ms(2), List.of());
        SloResult errors = evaluator.evaluate(List.of(slo("errors", new Ratio(Source.CLIENT, null, null, null, true), Op.LT, 0.01, "run")),
                windows, seconds, List.of()).get(0);
        assertEquals(10.0 / 2000, errors.measured(), 1e-12);
        assertEquals(Verdict.PASS, errors.verdict());
        assertEquals("error rate < 1 %", errors.objective());
        assertEquals("error rate 0.5 % < 1 % in run (client); 10 of 2000 requests failed", errors.message());

        SloResult availability = evaluator.evaluate(List.of(slo("avail", new Ratio(Source.CLIENT, "ok", null, null, true), Op.GTE, 0.999, "run")),
                windows, seconds, List.of()).get(0);
        assertEquals(1990.0 / 2000, availability.measured(), 1e-12);
        assertEquals(Verdict.FAIL, availability.verdict());
        assertEquals("availability 99.5 % < 99.9 % in run (client); 1990 of 2000 requests succeeded", availability.message());
    }

    @Test
    void aSecondCountsInTheWindowHoldingItsMiddle() {
        // second 5 is all errors; the fault starts at 5.4 s, so second 5 (middle at 5.5 s) belongs to the fault window
        List<ClientSecond> seconds = new ArrayList<>(Traffic.steady(0, 5, 100, 10, 0));
        seconds.add(Traffic.at(5).add(StatusClass.HTTP_ERROR, 100, 10).build());
        seconds.addAll(Traffic.steady(6, 10, 100, 10, 0));
        List<Window> windows = Windows.of(ms(0), ms(10), List.of(new FaultSpan("f", ms(5.4), ms(7))));
        List<SloResult> rs = evaluator.evaluate(List.of(slo("errors", new Ratio(Source.CLIENT, null, null, null, true), Op.LT, 0.01, "steady", "fault:f")),
                windows, seconds, List.of());
        assertEquals(0.0, rs.get(0).measured());
        assertEquals(0.5, rs.get(1).measured(), 1e-12); // seconds 5 and 6
    }

    @Test
    void noRequestsIsNoDataNeverAPass() {
        List<Window> windows = Windows.of(ms(0), ms(10), List.of());
        List<SloResult> rs = evaluator.evaluate(List.of(
                        slo("p99", new Latency(99, null, null), Op.LT, 0.5, "run"),
                        slo("errors", new Ratio(Source.CLIENT, null, null, null, true), Op.LT, 0.01, "run")),
                windows, List.of(Traffic.at(20).ok(5, 1).build()), List.of());
        assertEquals(2, rs.size());
        rs.forEach(r -> {
            assertEquals(Verdict.NO_DATA, r.verdict());
            assertNull(r.measured());
            assertTrue(r.message().startsWith("no data: no request"), r.message());
        });
    }

    @Test
    void onlyConnectionErrorsGiveNoLatencyButAFullErrorRate() {
        List<ClientSecond> seconds = Traffic.steady(0, 5, 0, 1, 50);
        List<Window> windows = Windows.of(ms(0), ms(5), List.of());
        List<SloResult> rs = evaluator.evaluate(List.of(
                        slo("p99", new Latency(99, null, null), Op.LT, 0.5, "run"),
                        slo("errors", new Ratio(Source.CLIENT, null, null, null, true), Op.LT, 0.01, "run")),
                windows, seconds, List.of());
        assertEquals(Verdict.NO_DATA, rs.get(0).verdict());
        assertEquals(Verdict.FAIL, rs.get(1).verdict());
        assertEquals(1.0, rs.get(1).measured());
    }

    @Test
    void unknownAndEmptyWindowsAreReportedAsNoData() {
        List<Window> windows = Windows.of(ms(0), ms(10), List.of());
        List<SloResult> rs = evaluator.evaluate(List.of(
                        slo("a", new Latency(99, null, null), Op.LT, 0.5, "fault:kill-one-pod"),
                        slo("b", new Latency(99, null, null), Op.LT, 0.5, "fault:*")),
                windows, Traffic.steady(0, 10, 10, 1, 0), List.of());
        assertEquals(2, rs.size());
        assertEquals("fault:kill-one-pod", rs.get(0).window());
        assertEquals(Verdict.NO_DATA, rs.get(0).verdict());
        assertTrue(rs.get(0).message().contains("did not occur"), rs.get(0).message());
        assertEquals(Verdict.NO_DATA, rs.get(1).verdict());
        assertTrue(rs.get(1).message().contains("no fault was injected"), rs.get(1).message());
    }

    @Test
    void serverSideIndicatorsWithoutPrometheusAreNoData() {
        List<Window> windows = Windows.of(ms(0), ms(10), List.of());
        List<SloResult> rs = evaluator.evaluate(List.of(
                        slo("p99", new Latency(99, "demo_request_duration_seconds", null), Op.LT, 0.5, "run"),
                        slo("5xx", new Ratio(Source.PROMETHEUS, null, "bad", "total", true), Op.LT, 0.01, "run")),
                windows, Traffic.steady(0, 10, 10, 1, 0), List.of());
        assertEquals(List.of("client", "prometheus", "prometheus"), rs.stream().map(SloResult::source).toList());
        assertEquals(Verdict.PASS, rs.get(0).verdict());
        assertEquals(Verdict.NO_DATA, rs.get(1).verdict());
        assertTrue(rs.get(1).message().contains("target.prometheus"), rs.get(1).message());
        assertEquals(Verdict.NO_DATA, rs.get(2).verdict());
    }

    @Test
    void counterQueriesBecomeIncreasesOverTheWindow() {
        Window w = new Window("run", 0, 30_000);
        assertEquals("sum(increase(http_requests_total{code=~\"5..\"}[30s]))",
                SloEvaluator.ratioQuery("http_requests_total{code=~\"5..\"}", true, w));
        assertEquals("sum(increase((sum by (code) (http_requests_total))[30s:1s]))",
                SloEvaluator.ratioQuery("sum by (code) (http_requests_total)", true, w));
        assertEquals("sum(rate(x[30s]))", SloEvaluator.ratioQuery("sum(rate(x[$window]))", false, w));
        assertTrue(SloEvaluator.isPlainSelector("{__name__=\"x\", a=\"}\"}"));
        assertTrue(!SloEvaluator.isPlainSelector("a{x=\"1\"} / b{y=\"2\"}"));
        assertTrue(!SloEvaluator.isPlainSelector("a or vector(0)"));
    }

    @Test
    void disagreementNeedsBothFactorAndDistance() {
        assertTrue(SloEvaluator.disagree(0.020, 0.200));
        assertTrue(!SloEvaluator.disagree(0.010, 0.030)); // 3x but only 20 ms apart
        assertTrue(!SloEvaluator.disagree(0.300, 0.500)); // 200 ms apart but under 2x
    }
}
