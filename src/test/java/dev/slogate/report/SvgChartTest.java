package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.report.SvgChart.YScale;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void latencySpanningDecadesGetsALogScaleWithDecadeTicks() {
        YScale y = YScale.of(List.of(3.0, 12.0, 400.0), true, 1);
        assertTrue(y.log());
        assertEquals(1, y.lo());
        assertEquals(1000, y.hi());
        assertTrue(y.ticks().containsAll(List.of(1.0, 10.0, 100.0, 1000.0)), y.ticks().toString());
        assertTrue(y.px(10) > y.px(100), "higher values are drawn higher up");
    }

    @Test
    void narrowRangesStayLinearFromZeroWithRoundTicks() {
        YScale y = YScale.of(List.of(40.0, 47.0, 50.0), true, 1);
        assertFalse(y.log());
        assertEquals(0, y.lo());
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0), y.ticks());
        YScale errors = YScale.of(List.of(0.0, 0.0), false, 1);
        assertEquals(1, errors.hi(), "a clean error chart still has a 1 % top, not a flat line at the edge");
    }

    @Test
    void timeAxisStepsReadLikeAClock() {
        assertEquals(30, SvgChart.timeStep(20));
        assertEquals(300, SvgChart.timeStep(3600.0 / 8 * 0.6));
        assertEquals(600, SvgChart.timeStep(3600.0 / 8));
        assertEquals(0.2, SvgChart.timeStep(0.125), 1e-9);
    }
}
