package dev.slogate.slo;

import static dev.slogate.slo.Traffic.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Latency;
import dev.slogate.experiment.SloDef.Ratio;
import dev.slogate.experiment.SloDef.Source;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Objectives with {@code selector: {request|group|journey: ...}} judge only the requests it stands for. */
class SelectedRequestsTest {
    private final SloEvaluator evaluator = new SloEvaluator(null);

    private static Histogram at(double millis, int count) {
        Histogram h = LatencyHistograms.create();
        h.recordValueWithCount(Math.round(millis * 1000), count);
        return h;
    }

    /** Each second: login 10 ok at 20 ms, cart 8 ok at 300 ms and 2 http errors, home 5 extract errors at 50 ms. */
    private static List<ClientSecond> seconds() {
        List<ClientSecond> out = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            Map<SeriesKey, Histogram> m = new HashMap<>();
            m.put(new SeriesKey("login", StatusClass.OK), at(20, 10));
            m.put(new SeriesKey("cart", StatusClass.OK), at(300, 8));
            m.put(new SeriesKey("cart", StatusClass.HTTP_ERROR), at(300, 2));
            m.put(new SeriesKey("home", StatusClass.EXTRACT_ERROR), at(50, 5));
            out.add(new ClientSecond(Traffic.T0 + s, 25, 25, m));
        }
        return out;
    }

    private SloResult judge(SloDef.Indicator indicator, Op op, double target) {
        SloDef slo = new SloDef("s", "", indicator, op, target, List.of("run"), null, 1);
        List<Window> windows = Windows.of(ms(0), ms(10), List.of());
        return evaluator.evaluate(List.of(slo), windows, seconds(), List.of()).get(0);
    }

    private static dev.slogate.experiment.Traffic select(dev.slogate.experiment.Traffic.Kind kind, String name, String... requests) {
        return new dev.slogate.experiment.Traffic(kind, name, Set.of(requests));
    }

    @Test
    void aLatencyOfOneRequestLeavesTheOthersOut() {
        SloResult login = judge(new Latency(95, null, null, null, select(dev.slogate.experiment.Traffic.Kind.REQUEST, "login", "login")),
                Op.LT, 0.1);
        assertEquals(0.020, login.measured(), 0.001);
        assertEquals(Verdict.PASS, login.verdict());
        SloResult all = judge(new Latency(95, null, null), Op.LT, 0.1);
        assertEquals(0.300, all.measured(), 0.003);
    }

    @Test
    void anErrorRateOfAGroupCountsItsRequestsOnlyAndExtractErrorsAsFailures() {
        Ratio errors = new Ratio(Source.CLIENT, null, null, null, true, null,
                select(dev.slogate.experiment.Traffic.Kind.GROUP, "shop", "cart", "home"));
        SloResult r = judge(errors, Op.LT, 0.01);
        // (2 + 5) failed of 15 each second
        assertEquals(7.0 / 15, r.measured(), 1e-12);
        assertEquals("error rate 46.667 % > 1 % in run (client); 70 of 150 requests failed", r.message());
        SloResult none = judge(new Ratio(Source.CLIENT, null, null, null, true, null,
                select(dev.slogate.experiment.Traffic.Kind.JOURNEY, "gone", "nothing")), Op.LT, 0.01);
        assertEquals(Verdict.NO_DATA, none.verdict());
        assertEquals("no data: no request of journey gone completed in run (client)", none.message());
    }
}
