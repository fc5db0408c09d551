package dev.slogate.report;

import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Key figures of a whole run for the headline of the HTML and Markdown reports. Rates are averaged over the seconds
 * the client reported, so achieved and target rps compare like with like.
 */
record RunFigures(List<SecondStats> seconds, long sent, long completed, long failed, Double achievedRps,
                  Double targetRps, Double p50Ms, Double p99Ms, Double maxMs, Double errorPercent,
                  List<Recovery> recoveries) {

    /**
     * How long a fault took to recover: from an RTO result of its window when there is one, else from a
     * {@code RECOVERED} event whose subject is the fault name. {@code seconds} is null when neither says.
     */
    record Recovery(String fault, Double seconds, String shown, Verdict verdict) {
    }

    static final String FAULT_PREFIX = "fault:";

    static RunFigures of(RunReport r) {
        Histogram scratch = LatencyHistograms.create();
        List<SecondStats> seconds = r.client().stream().map(s -> SecondStats.of(s, scratch)).toList();
        Histogram all = LatencyHistograms.create();
        long sent = 0;
        double target = 0;
        for (ClientSecond s : r.client()) {
            s.latency().values().forEach(all::add);
            sent += s.sent();
            target += s.targetRps();
        }
        long completed = all.getTotalCount();
        long failed = seconds.stream().mapToLong(SecondStats::failed).sum();
        int n = seconds.size();
        boolean none = completed == 0;
        return new RunFigures(seconds, sent, completed, failed, n == 0 ? null : (double) completed / n,
                n == 0 ? null : target / n, none ? null : SecondStats.ms(all.getValueAtPercentile(50)),
                none ? null : SecondStats.ms(all.getValueAtPercentile(99)),
                none ? null : SecondStats.ms(all.getMaxValue()), none ? null : 100.0 * failed / completed,
                recoveries(r));
    }

    /** Fault names in the order they happened: from fault windows, then injection events without a window. */
    static List<String> faults(RunReport r) {
        Set<String> names = new LinkedHashSet<>();
        for (Window w : r.windows()) {
            if (w.name().startsWith(FAULT_PREFIX)) {
                names.add(w.name().substring(FAULT_PREFIX.length()));
            }
        }
        for (Event e : r.events()) {
            if (e.kind() == Event.Kind.FAULT_INJECTED && e.subject() != null) {
                names.add(e.subject());
            }
        }
        return List.copyOf(names);
    }

    private static List<Recovery> recoveries(RunReport r) {
        List<Recovery> out = new ArrayList<>();
        for (String fault : faults(r)) {
            out.add(recovery(r, fault));
        }
        return out;
    }

    private static Recovery recovery(RunReport r, String fault) {
        for (SloResult res : r.results()) {
            if ((FAULT_PREFIX + fault).equals(res.window()) && isRto(res)) {
                return new Recovery(fault, res.measured(), Format.measured(res), res.verdict());
            }
        }
        Long injected = null;
        for (Event e : r.events()) {
            if (!fault.equals(e.subject())) {
                continue;
            }
            if (e.kind() == Event.Kind.FAULT_INJECTED && injected == null) {
                injected = e.atMillis();
            } else if (e.kind() == Event.Kind.RECOVERED && injected != null && e.atMillis() >= injected) {
                double s = (e.atMillis() - injected) / 1000.0;
                return new Recovery(fault, s, Format.seconds(s), null);
            }
        }
        return new Recovery(fault, null, "not measured", null);
    }

    private static boolean isRto(SloResult res) {
        return contains(res.slo(), "rto") || contains(res.objective(), "rto") || contains(res.slo(), "recover");
    }

    private static boolean contains(String text, String word) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(word);
    }
}
