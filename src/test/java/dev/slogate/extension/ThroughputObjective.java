package dev.slogate.extension;

import dev.slogate.experiment.ObjectiveInput;
import dev.slogate.experiment.Op;
import dev.slogate.experiment.SloDef;
import dev.slogate.slo.ClientTally;
import dev.slogate.slo.Evidence;
import dev.slogate.slo.Objective;
import dev.slogate.timeline.Window;
import java.util.List;
import java.util.Locale;

/**
 * A test-only objective kind, added the way the architecture page tells: this one class and one line in
 * {@code src/test/resources/META-INF/services/dev.slogate.experiment.ObjectiveKind}. {@code throughput: {atLeast: 20}}
 * holds when the client completed at least 20 requests per second on average over each window. It uses slogate's
 * public API only (it lives in a package of its own).
 */
public final class ThroughputObjective implements Objective {
    /** The indicator: nothing to remember but the kind; the target is the rate. */
    public record Throughput() implements SloDef.Indicator {
    }

    @Override
    public Class<Throughput> indicator() {
        return Throughput.class;
    }

    @Override
    public List<String> keys() {
        return List.of("throughput");
    }

    @Override
    public Reading read(ObjectiveInput block) {
        ObjectiveInput t = block.keys(List.of("atLeast"));
        Double atLeast = t.requireNumber("atLeast", "write atLeast: 20 (completed requests per second)");
        if (atLeast != null && atLeast <= 0) {
            t.problem("atLeast", t.path("atLeast") + " is " + atLeast + ", but a throughput objective needs more than 0 requests per second",
                    "write atLeast: 20");
            atLeast = null;
        }
        return new Reading(new Throughput(), Op.GTE, atLeast, false);
    }

    @Override
    public String sentence(SloDef slo) {
        return "throughput " + slo.op().symbol() + " " + rate(slo.target()) + " (client, completed requests)";
    }

    @Override
    public String objective(SloDef slo) {
        return "throughput " + slo.op().symbol() + " " + rate(slo.target());
    }

    @Override
    public String source(SloDef slo) {
        return Evidence.CLIENT;
    }

    @Override
    public void judge(SloDef slo, Window w, Evidence evidence) {
        ClientTally t = evidence.tally(w);
        if (t.completed() == 0) {
            evidence.add(Evidence.noData(slo, w.name(), Evidence.CLIENT, "no request completed in " + w.name() + " (client)"));
            return;
        }
        double seconds = Math.max(1, Math.round(w.lengthMillis() / 1000.0));
        evidence.add(Evidence.judge(slo, w, Evidence.CLIENT, t.completed() / seconds, "rps", "throughput", ThroughputObjective::rate,
                "; " + t.completed() + " requests in " + (long) seconds + " s"));
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f req/s", perSecond);
    }
}
