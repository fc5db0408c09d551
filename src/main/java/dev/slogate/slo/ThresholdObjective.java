package dev.slogate.slo;

import dev.slogate.experiment.SloDef;
import dev.slogate.experiment.SloDef.Threshold;
import dev.slogate.experiment.Wording;
import dev.slogate.timeline.Window;
import java.util.List;
import java.util.function.DoubleFunction;

/** An OpenSLO threshold indicator: a PromQL expression read at each window's end and compared as it is. */
public final class ThresholdObjective implements Objective {
    @Override
    public Class<Threshold> indicator() {
        return Threshold.class;
    }

    @Override
    public List<String> keys() {
        return List.of(); // made from OpenSLO documents only
    }

    @Override
    public String sentence(SloDef slo) {
        return ((Threshold) slo.indicator()).query() + " " + slo.op().symbol() + " " + Wording.number(slo.target());
    }

    @Override
    public String objective(SloDef slo) {
        return "value " + slo.op().symbol() + " " + Units.number(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return Evidence.PROMETHEUS;
    }

    @Override
    public boolean readsPrometheus(SloDef slo) {
        return true;
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence e) {
        String query = ((Threshold) slo.indicator()).query();
        e.add(e.prometheusReading(slo, w, Evidence.withWindow(query.strip(), w), Evidence.mentionsWindow(query),
                value -> Evidence.judge(slo, w, Evidence.PROMETHEUS, value, "", slo.name(), Units::number, ""), ""));
    }

    @Override
    public Sliced sliced(SloDef slo) {
        String query = ((Threshold) slo.indicator()).query();
        return new Sliced() {
            @Override
            public String label() {
                return "value";
            }

            @Override
            public DoubleFunction<String> format() {
                return Units::number;
            }

            @Override
            public double client(ClientTally slice) {
                return Double.NaN; // read from Prometheus only
            }

            @Override
            public Evidence.SliceValues prometheus(List<Window> slices, Evidence e) {
                return e.sliceReadings(slices, sw -> Evidence.withWindow(query.strip(), sw), true);
            }
        };
    }
}
