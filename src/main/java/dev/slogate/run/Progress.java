package dev.slogate.run;

import dev.slogate.experiment.ObjectiveKind;
import dev.slogate.experiment.SloDef;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LiveSecond;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Live progress, one update per second from the timeline's {@link LiveSecond}s: elapsed/total, target vs achieved rps,
 * p50/p99 and error % of the answers so far, requests stalled (unanswered past the stall threshold, counted as at risk),
 * active faults and the SLOs at risk over the last few seconds. On a terminal the status line is rewritten in place and events are
 * printed above it; elsewhere (CI logs) every update is a plain line.
 */
public final class Progress {
    private static final int RECENT_SECONDS = 5;

    private final PrintStream out;
    private final boolean tty;
    private volatile long startMillis;
    private final long totalSeconds;
    private final List<SloDef> slos;
    private final Supplier<List<String>> activeFaults;
    private final Deque<LiveSecond> recent = new ArrayDeque<>();
    private boolean statusShown;

    public Progress(PrintStream out, boolean tty, long startMillis, long totalSeconds, List<SloDef> slos,
                    Supplier<List<String>> activeFaults) {
        this.out = out;
        this.tty = tty;
        this.startMillis = startMillis;
        this.totalSeconds = totalSeconds;
        this.slos = slos;
        this.activeFaults = activeFaults;
    }

    /** The load's real start, once known: Gatling boots for a few seconds after the run is planned. */
    public void restartClock(long startMillis) {
        this.startMillis = startMillis;
    }

    public synchronized void second(LiveSecond s) {
        recent.addLast(s);
        while (recent.size() > RECENT_SECONDS) {
            recent.removeFirst();
        }
        String line = statusLine(s);
        if (tty) {
            out.print("\r\033[2K" + line);
            statusShown = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** An event line (fault injected, stop condition...), kept above the live status line. */
    public synchronized void event(String text) {
        long elapsed = Math.max(0, (System.currentTimeMillis() - startMillis) / 1000);
        if (tty && statusShown) {
            out.print("\r\033[2K");
        }
        out.printf(Locale.ROOT, "[%4ds] %s%n", elapsed, text);
        out.flush();
    }

    public synchronized void finish() {
        if (tty && statusShown) {
            out.println();
        }
    }

    String statusLine(LiveSecond live) {
        ClientSecond s = live.sofar();
        long elapsed = Math.max(0, s.epochSecond() - startMillis / 1000 + 1);
        Histogram h = s.merged();
        long done = s.completed();
        double errPct = done == 0 ? 0 : 100.0 * s.failed() / done;
        List<String> faults = activeFaults.get();
        List<String> atRisk = atRisk();
        String stalled = live.stalled() == 0 ? "" : String.format(Locale.ROOT, "  STALLED %d (unanswered > %.1fs)",
                live.stalled(), live.stallAfterMillis() / 1000.0);
        return String.format(Locale.ROOT, "%4d/%ds  rps %6.0f/%-6.0f  p50 %s  p99 %s  err %5.2f%%%s  faults: %s  at risk: %s",
                elapsed, totalSeconds, s.targetRps(), (double) s.sent(),
                ms(h, 50), ms(h, 99), errPct, stalled,
                faults.isEmpty() ? "-" : String.join(",", faults),
                atRisk.isEmpty() ? "-" : String.join(",", atRisk));
    }

    private static String ms(Histogram h, double p) {
        if (h.getTotalCount() == 0) {
            return "     -";
        }
        double v = h.getValueAtPercentile(p) / 1000.0;
        return v < 10 ? String.format(Locale.ROOT, "%4.1fms", v) : String.format(Locale.ROOT, "%4.0fms", v);
    }

    /** Client-side SLOs whose recent seconds already miss their target: a warning, not a verdict. */
    private List<String> atRisk() {
        Histogram all = LatencyHistograms.create();
        long completed = 0;
        long ok = 0;
        for (LiveSecond c : recent) {
            all.add(c.latencyCountingStalls());
            completed += c.atStake();
            ok += c.sofar().completed() - c.sofar().failed();
        }
        List<String> names = new ArrayList<>();
        if (completed == 0) {
            return names;
        }
        double okShare = (double) ok / completed;
        ObjectiveKind.Live live = new ObjectiveKind.Live() {
            @Override
            public double latencySeconds(double percentile) {
                return all.getValueAtPercentile(percentile) / 1e6;
            }

            @Override
            public double okShare() {
                return okShare;
            }
        };
        for (SloDef slo : slos) {
            OptionalDouble now = slo.kind().live(slo, live);
            if (now.isEmpty()) {
                continue;
            }
            double measured = now.getAsDouble();
            if (!slo.op().holds(measured, slo.target())) {
                names.add(slo.name());
            }
        }
        return names;
    }
}
