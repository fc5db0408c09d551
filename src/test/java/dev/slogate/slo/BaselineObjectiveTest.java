package dev.slogate.slo;

import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Baseline;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Rto;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.yaml.ValidationException;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.StatusClass;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objectives relative to an earlier run: judged against the baseline's same window, never passing without it. */
class BaselineObjectiveTest {
    private static final FaultSpan KILL = new FaultSpan("kill", ms(20), ms(30));
    private static final List<Window> WINDOWS = Windows.of(ms(0), ms(60), List.of(KILL));

    @TempDir
    Path dir;

    private static SloDef slo(String name, SloDef.Indicator indicator, Op op, double allowance, String... windows) {
        return new SloDef(name, "", indicator, op, allowance, List.of(windows), null, 1);
    }

    private static Latency p95(double allowance, boolean relative) {
        return new Latency(95, null, null, new Baseline("base-1", allowance, relative));
    }

    /** 60 s of 100 requests a second at {@code millis}, {@code errors} of them failing each second. */
    private static List<ClientSecond> traffic(double millis, int errors) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = 0; s < 60; s++) {
            Traffic t = Traffic.at(s).ok(100 - errors, millis);
            if (errors > 0) {
                t.add(StatusClass.HTTP_ERROR, errors, millis);
            }
            out.add(t.build());
        }
        return out;
    }

    private static Baselines baseline(List<ClientSecond> client, List<FaultSpan> faults) {
        return ref -> new BaselineRun("base-1", "checkout", Windows.of(ms(0), ms(60), faults), client, faults);
    }

    private static List<SloResult> judge(Baselines earlier, List<ClientSecond> run, SloDef... slos) {
        return new SloEvaluator(null).withBaselines(earlier).evaluate(List.of(slos), WINDOWS, run, List.of(KILL));
    }

    @Test
    void latencyPassesUpToTheBaselinesValuePlusItsShareAndFailsBeyond() {
        Baselines base = baseline(traffic(100, 0), List.of(KILL));
        SloResult within = judge(base, traffic(105, 0), slo("p95", p95(0.10, true), Op.LTE, 0.10, "run")).get(0);
        SloResult beyond = judge(base, traffic(130, 0), slo("p95", p95(0.10, true), Op.LTE, 0.10, "run")).get(0);

        assertEquals(Verdict.PASS, within.verdict(), within.message());
        assertEquals(Verdict.FAIL, beyond.verdict(), beyond.message());
        assertEquals(0.130, beyond.measured(), 0.130 * 0.01);
        assertEquals("p95 <= baseline + 10 %", beyond.objective());
        // both values are in the message: the run's, the limit, and the baseline's
        assertTrue(beyond.message().matches("p95 latency 130 ms > 110 ms in run \\(client\\): baseline run base-1 had 100 ms, \\+ 10 % of it allowed"),
                beyond.message());
        // an absolute allowance: 100 ms + 20 ms
        SloResult absolute = judge(base, traffic(118, 0), slo("p95", p95(0.020, false), Op.LTE, 0.020, "run")).get(0);
        assertEquals(Verdict.PASS, absolute.verdict(), absolute.message());
        assertEquals("p95 <= baseline + 20 ms", absolute.objective());
    }

    @Test
    void aBaselineThatCannotBeReadOrLacksTheWindowOrItsDataIsNoDataNeverAPass() {
        SloDef overFault = slo("p95", p95(0.5, true), Op.LTE, 0.5, "fault:kill");
        Baselines missing = ref -> {
            throw new IOException("no run '" + ref + "' in reports");
        };
        SloResult unreadable = judge(missing, traffic(10, 0), overFault).get(0);
        assertEquals(Verdict.NO_DATA, unreadable.verdict());
        assertTrue(unreadable.message().contains("baseline base-1 cannot be read: no run 'base-1' in reports"), unreadable.message());

        SloResult noFault = judge(baseline(traffic(10, 0), List.of()), traffic(10, 0), overFault).get(0);
        assertEquals(Verdict.NO_DATA, noFault.verdict());
        assertTrue(noFault.message().contains("baseline run base-1 has no window fault:kill"), noFault.message());

        List<ClientSecond> silentDuringFault = traffic(10, 0).stream().filter(s -> s.epochSecond() < Traffic.T0 + 20).toList();
        SloResult noData = judge(baseline(silentDuringFault, List.of(KILL)), traffic(10, 0), overFault).get(0);
        assertEquals(Verdict.NO_DATA, noData.verdict());
        assertTrue(noData.message().contains("baseline run base-1: no request got an answer in fault:kill"), noData.message());

        SloResult noBaselines = new SloEvaluator(null).evaluate(List.of(overFault), WINDOWS, traffic(10, 0), List.of(KILL)).get(0);
        assertEquals(Verdict.NO_DATA, noBaselines.verdict());
        assertNull(noBaselines.measured());
    }

    @Test
    void ratiosAllowPercentagePointsBothWays() {
        Baselines base = baseline(traffic(10, 1), List.of(KILL)); // 1 % errors
        Ratio errors = new Ratio(Source.CLIENT, null, null, null, true, new Baseline("base-1", 0.005, false));
        Ratio availability = new Ratio(Source.CLIENT, "ok", null, null, true, new Baseline("base-1", 0.005, false));
        List<SloResult> same = judge(base, traffic(10, 1), slo("errors", errors, Op.LTE, 0.005), slo("avail", availability, Op.GTE, 0.005));
        List<SloResult> worse = judge(base, traffic(10, 2), slo("errors", errors, Op.LTE, 0.005), slo("avail", availability, Op.GTE, 0.005));

        assertEquals(List.of(Verdict.PASS, Verdict.PASS), same.stream().map(SloResult::verdict).toList());
        assertEquals(List.of(Verdict.FAIL, Verdict.FAIL), worse.stream().map(SloResult::verdict).toList());
        assertEquals("error rate <= baseline + 0.5 pp", worse.get(0).objective());
        assertEquals("availability >= baseline - 0.5 pp", worse.get(1).objective());
        assertEquals(0.02, worse.get(0).measured(), 1e-12);
        assertTrue(worse.get(0).message().startsWith("error rate 2 % > 1.5 % in run (client): baseline run base-1 had 1 %"), worse.get(0).message());
    }

    /** Errors in seconds [from, to) of 60; healthy (20 ms) otherwise. */
    private static List<ClientSecond> outage(long from, long to) {
        List<ClientSecond> out = new ArrayList<>();
        for (long s = 0; s < 60; s++) {
            out.add(s >= from && s < to ? Traffic.at(s).add(StatusClass.CONNECT_ERROR, 100, 1).build() : Traffic.at(s).ok(100, 20).build());
        }
        return out;
    }

    @Test
    void rtoIsComparedWithTheRecoveryFromTheSameFaultInTheBaseline() {
        Rto criteria = new Rto(0.01, 99, 0.5, 1, 5).against(new Baseline("base-1", 0.20, true));
        SloDef rto = slo("rto", criteria, Op.LTE, 0.20, "fault:kill");
        Baselines base = baseline(outage(20, 30), List.of(KILL)); // recovers after 10 s

        SloResult same = judge(base, outage(20, 32), rto).get(0); // 12 s <= 10 s + 20 %
        SloResult slower = judge(base, outage(20, 34), rto).get(0); // 14 s
        assertEquals(Verdict.PASS, same.verdict(), same.message());
        assertEquals(12.0, same.measured());
        assertEquals(Verdict.FAIL, slower.verdict(), slower.message());
        assertTrue(slower.message().contains("baseline run base-1 had 10 s"), slower.message());
        assertEquals("RTO <= baseline + 20 %", slower.objective());

        SloResult neverRecovered = judge(baseline(outage(20, 60), List.of(KILL)), outage(20, 30), rto).get(0);
        assertEquals(Verdict.NO_DATA, neverRecovered.verdict());
        assertTrue(neverRecovered.message().contains("never recovered from kill"), neverRecovered.message());
    }

    @Test
    void theBaselineIsReadOncePerEvaluation() {
        AtomicInteger loads = new AtomicInteger();
        Baselines counted = ref -> {
            loads.incrementAndGet();
            return baseline(traffic(100, 0), List.of(KILL)).load(ref);
        };
        List<SloResult> rs = judge(counted, traffic(100, 0), slo("p95", p95(0.1, true), Op.LTE, 0.1, "run", "steady", "fault:kill"),
                slo("p99", new Latency(99, null, null, new Baseline("base-1", 0.1, true)), Op.LTE, 0.1, "run"));
        assertEquals(4, rs.size());
        assertTrue(rs.stream().allMatch(r -> r.verdict() == Verdict.PASS), rs.toString());
        assertEquals(1, loads.get());
    }

    @Test
    void relativeObjectivesReadTheirOwnKeysAndSayWhatTheyCompareWith() throws IOException {
        Path file = Files.writeString(dir.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: against-last-release}
                spec:
                  objectives:
                    - {name: p95, latency: {percentile: 95, notWorseThan: 10%, baseline: 20261201-101500-checkout}}
                    - {name: p99, latency: {percentile: 99, notWorseThan: 25ms, baseline: reports/last}}
                    - {name: errors, errorRate: {notWorseThan: 0.1%, baseline: 20261201-101500-checkout}}
                    - {name: rto, rto: {notWorseThan: 20%, baseline: 20261201-101500-checkout}, faults: [all]}
                """);
        List<SloDef> slos = new ExperimentLoader().loadSlos(file);

        assertEquals(new Latency(95, null, null, new Baseline("20261201-101500-checkout", 0.10, true)), slos.get(0).indicator());
        assertEquals(List.of(
                        "p95 latency not worse than baseline 20261201-101500-checkout +10% (client)",
                        "p99 latency not worse than baseline reports/last +25ms (client)",
                        "error rate not worse than baseline 20261201-101500-checkout +0.1% (percentage points) (client)",
                        "recovery time not worse than baseline 20261201-101500-checkout +20% (back to error rate < 1% over 3s, stable for 5s)"),
                slos.stream().map(s -> s.kind().sentence(s)).toList());
        assertEquals(0.025, ((Latency) slos.get(1).indicator()).baseline().allowance(), 1e-12);
        assertEquals(false, ((Latency) slos.get(1).indicator()).baseline().relative());
    }

    @Test
    void aFixedAndARelativeLimitTogetherOrABaselineWithoutAllowanceAreProblems() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: bad}
                spec:
                  objectives:
                    - {name: both, latency: {percentile: 95, below: 200ms, notWorseThan: 10%, baseline: x}}
                    - {name: half, errorRate: {baseline: x}}
                    - {name: server, latency: {percentile: 95, histogram: http_seconds, notWorseThan: 10%, baseline: x}}
                """);
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().loadSlos(file));
        String all = e.getMessage();
        assertTrue(all.contains("below and notWorseThan both set a limit"), all);
        assertTrue(all.contains("notWorseThan"), all);
        assertTrue(all.contains("judged from the client's histograms only"), all);
        assertEquals(3, e.getProblems().size(), all);
    }
}
