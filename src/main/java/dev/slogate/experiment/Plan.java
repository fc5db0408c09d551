package dev.slogate.experiment;

import dev.slogate.redact.Redaction;
import dev.slogate.timeline.FaultSpan;
import dev.slogate.timeline.Window;
import dev.slogate.timeline.Windows;
import dev.slogate.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The whole timeline of a scenario as text, for {@code slogate plan}: stages, faults, windows and which SLO judges
 * which window. A pure function of the scenario; it touches nothing.
 */
public final class Plan {
    private Plan() {
    }

    /** A planned window, as offsets from the start of the run: {@code [start, end)}. */
    public record Span(String name, Duration start, Duration end) {
    }

    /**
     * The windows the run will have if everything happens on schedule: those of {@link Windows#of(long, long, List)}
     * for the scheduled faults ({@code run}, {@code steady}, per fault {@code fault:<name>} and {@code recovery:<name>}),
     * so the plan and the run cut them by the same rule, and the {@code step:} windows when an SLO judges them.
     */
    public static List<Span> windows(Scenario s) {
        List<FaultSpan> faults = s.faults().stream()
                .map(f -> new FaultSpan(f.name(), f.at().toMillis(), f.end().toMillis())).toList();
        List<Span> out = new ArrayList<>();
        for (Window w : Windows.of(0, s.duration().toMillis(), faults)) {
            out.add(new Span(w.name(), Duration.ofMillis(w.startMillis()), Duration.ofMillis(w.endMillis())));
        }
        if (judgesSteps(s)) {
            out.addAll(steps(s.load().stages()));
        }
        return out;
    }

    /** Whether an SLO of the scenario is judged over a {@code step:} window; only then does the run have them. */
    public static boolean judgesSteps(Scenario s) {
        return s.slos().stream().anyMatch(slo -> slo.windows().stream().anyMatch(w -> w.startsWith("step:")));
    }

    /** The {@code step:<n>} windows of a load: one per step stage and per ramp, as long as the stage. */
    public static List<Span> steps(List<Stage> stages) {
        List<Span> out = new ArrayList<>();
        Duration at = Duration.ZERO;
        for (int i = 0; i < stages.size(); i++) {
            Duration end = at.plus(stages.get(i).duration());
            if (stages.get(i).kind() != Stage.Kind.HOLD) {
                out.add(new Span("step:" + (i + 1), at, end));
            }
            at = end;
        }
        return out;
    }

    /** The windows an SLO is judged over, with {@code fault:*} and {@code recovery:*} expanded to every fault. */
    public static List<String> expand(List<String> windows, List<ScheduledFault> faults) {
        return expand(windows, faults, List.of());
    }

    /** As {@link #expand(List, List)}, with {@code step:*} expanded to every step of {@code stages}. */
    public static List<String> expand(List<String> windows, List<ScheduledFault> faults, List<Stage> stages) {
        List<String> out = new ArrayList<>();
        for (String w : windows) {
            if (w.equals("step:*")) {
                steps(stages).forEach(x -> out.add(x.name()));
            } else if (w.endsWith(":*")) {
                String prefix = w.substring(0, w.length() - 1);
                faults.stream().sorted(Comparator.comparing(ScheduledFault::at)).forEach(f -> out.add(prefix + f.name()));
            } else {
                out.add(w);
            }
        }
        return out.stream().distinct().toList();
    }

    public static String render(Scenario s) {
        StringBuilder b = new StringBuilder();
        b.append("Scenario ").append(s.name()).append(" (").append(s.source()).append("), ").append(Durations.format(s.duration())).append('\n');
        if (s.description() != null && !s.description().isBlank()) {
            b.append("  ").append(s.description().strip()).append('\n');
        }
        b.append("\nTarget\n  ").append(target(s.target())).append('\n');

        b.append("\nLoad (request timeout ").append(Durations.format(s.load().requestTimeout()))
                .append(s.load().simulation() == null ? "" : ", simulation " + s.load().simulation()).append(")\n");
        Duration at = Duration.ZERO;
        boolean users = s.load().hasJourneys();
        double perUser = s.load().requestsPerArrival();
        for (Stage st : s.load().stages()) {
            Duration end = at.plus(st.duration());
            String what = switch (st.kind()) {
                case HOLD -> "hold " + rate(st.to(), users, perUser);
                case RAMP -> "ramp " + rate(st.from(), users, perUser) + " -> " + rate(st.to(), users, perUser);
                case STEP -> "step " + rate(st.from(), users, perUser) + " -> " + rate(st.to(), users, perUser);
            };
            b.append(row(at, end, what));
            at = end;
        }
        journeys(b, s.load());
        int weights = s.load().requests().stream().mapToInt(RequestSpec::weight).sum();
        for (RequestSpec r : s.load().requests()) {
            b.append(String.format(Locale.ROOT, "  request %s: %s %s, weight %d (%.0f%%), expects %d%s%n", r.name(), r.method(),
                    Redaction.url(r.path()), r.weight(), 100.0 * r.weight() / weights, r.expectStatus(), headers(r)));
        }

        b.append("\nFaults\n");
        if (s.faults().isEmpty()) {
            b.append("  none\n");
        }
        s.faults().stream().sorted(Comparator.comparing(ScheduledFault::at))
                .forEach(f -> b.append(row(f.at(), f.end(), f.name() + ": " + FaultReader.describe(f.fault()))));

        if (!s.probes().isEmpty()) {
            b.append("\nProbes\n");
            s.probes().forEach(p -> b.append("  ").append(p.name()).append(": ").append(FaultReader.fmt(p.ratePerSecond()))
                    .append(" writes/s ").append(p.isJdbc() ? jdbc(p.jdbc()) : p.writeMethod() + " " + Redaction.url(p.writePath())
                            + ", read back from GET " + Redaction.url(p.readPath())).append(" after each fault's recovery and at the end\n"));
        }

        b.append("\nWindows\n");
        windows(s).forEach(w -> b.append(row(w.start(), w.end(), w.name())));

        b.append("\nSLOs\n");
        if (s.slos().isEmpty()) {
            b.append("  none\n");
        }
        for (SloDef slo : s.slos()) {
            b.append("  ").append(slo.name()).append(": ").append(sentence(slo)).append('\n')
                    .append("      over ").append(String.join(", ", expand(slo.windows(), s.faults(), s.load().stages()))).append('\n');
        }
        b.append("\nStop conditions\n");
        if (s.stopConditions().isEmpty()) {
            b.append("  none\n");
        }
        for (StopCondition c : s.stopConditions()) {
            String value = c.metric() == StopCondition.Metric.ERROR_RATE ? "error rate " + c.op().symbol() + " " + percent(c.threshold())
                    : "p99 latency " + c.op().symbol() + " " + seconds(c.threshold());
            b.append("  ").append(value).append(" for ").append(Durations.format(c.sustained())).append('\n');
        }
        return b.toString();
    }

    /** A request's headers as the plan shows them: every value of a secret header masked. */
    /** {@code 10/s}, or for users walking journeys {@code 10 users/s (~35 requests/s)}. */
    private static String rate(Rate r, boolean users, double perUser) {
        return !users ? r.toString() : String.format(Locale.ROOT, "%s users/s (~%s requests/s)", FaultReader.fmt(r.perSecond()),
                FaultReader.fmt(Math.round(r.perSecond() * perUser * 10) / 10.0));
    }

    private static void journeys(StringBuilder b, Load load) {
        if (!load.hasJourneys()) {
            return;
        }
        int weights = load.journeys().stream().mapToInt(Journey::weight).sum();
        b.append(String.format(Locale.ROOT, "  users arrive at the stages' rate, each walks one journey (%s requests per user"
                + " on average); about %.0f users in all%n", FaultReader.fmt(Math.round(load.requestsPerArrival() * 100) / 100.0), load.arrivals()));
        for (Journey j : load.journeys()) {
            b.append(String.format(Locale.ROOT, "  journey %s: weight %d (%.0f%%), %d steps, think %s on average%n", j.name(), j.weight(),
                    100.0 * j.weight() / weights, j.steps().size(), Durations.format(j.meanThink())));
            for (Journey.Step st : j.steps()) {
                b.append(String.format(Locale.ROOT, "    step %s: %s %s, expects %d%s%s%s%n", st.name(), st.method(), Redaction.url(st.path()),
                        st.expectStatus(), st.group() == null ? "" : ", group " + st.group(),
                        st.extract().isEmpty() ? "" : ", extracts " + st.extract().stream().map(e -> e.variable() + " (" + e.source().key()
                                + " " + e.expression() + ")").collect(Collectors.joining(", ")),
                        st.think() == null ? "" : ", then think " + think(st.think())));
            }
        }
        for (Feeder f : load.feeders()) {
            b.append(String.format(Locale.ROOT, "  feeder %s: %s, %d rows (%s), columns %s%n", f.name(), f.file(), f.rows().size(),
                    f.strategy().id(), String.join(", ", f.columns())));
        }
    }

    private static String think(Journey.Think t) {
        return switch (t.distribution()) {
            case FIXED -> Durations.format(t.min());
            case UNIFORM -> "uniform " + Durations.format(t.min()) + "-" + Durations.format(t.max());
            case EXPONENTIAL -> "exponential mean " + Durations.format(t.mean()) + " in " + Durations.format(t.min()) + "-" + Durations.format(t.max());
        };
    }

    private static String headers(RequestSpec r) {
        if (r.headers().isEmpty()) {
            return "";
        }
        return ", headers " + new TreeMap<>(Redaction.headers(r.headers())).entrySet().stream()
                .map(h -> h.getKey() + ": " + h.getValue()).collect(Collectors.joining(", "));
    }

    private static String row(Duration start, Duration end, String what) {
        return String.format(Locale.ROOT, "  %8s - %-8s %s%n", Durations.format(start), Durations.format(end), what);
    }

    private static String target(Target t) {
        if (t.kind() == Target.Kind.URL) {
            return "url " + Redaction.url(t.url()) + (t.prometheus() == null ? ", no Prometheus" : ", Prometheus " + Redaction.url(t.prometheus()));
        }
        SandboxSpec x = t.sandbox();
        return String.format(Locale.ROOT, "sandbox: %d regions x %d nodes x %d pods = %d pods; service time %s, error ratio %s, concurrency %d per pod, restart delay %s",
                x.regions(), x.nodesPerRegion(), x.podsPerNode(), x.pods(), duration(x.serviceTime()), percent(x.errorRatio()),
                x.concurrency(), Durations.format(x.restartDelay()))
                + (x.autoscaler() == null ? "" : String.format(Locale.ROOT, "; autoscaler %d..%d pods at %s %s per pod, start delay %s, every %s",
                x.autoscaler().min(), x.autoscaler().max(), FaultReader.fmt(x.autoscaler().targetPerPod()),
                x.autoscaler().metric().name().toLowerCase(Locale.ROOT), Durations.format(x.autoscaler().startDelay()), Durations.format(x.autoscaler().period())))
                + (x.database() == null ? "" : "; PostgreSQL primary in region a, standby in b, " + x.database().replication().name().toLowerCase(Locale.ROOT)
                + " replication" + (x.database().replication() == DatabaseSpec.Replication.ASYNC ? " lagging " + Durations.format(x.database().lag()) : "")
                + ", failover after " + Durations.format(x.database().failoverAfter()));
    }

    /**
     * The SLO as a sentence: {@code p95 latency < 200ms (client)}; in time slices {@code ..., in each 1m slice; met when
     * >= 99.5% of the slices are}.
     */
    static String sentence(SloDef slo) {
        SloDef.TimeSlices ts = slo.slices();
        if (ts == null) {
            return wholeWindow(slo);
        }
        return ts.goodShare() == null ? "average over " + Durations.format(ts.length()) + " slices of " + wholeWindow(slo)
                : wholeWindow(slo) + " in each " + Durations.format(ts.length()) + " slice; met when >= " + percent(ts.goodShare()) + " of the slices are";
    }

    private static String wholeWindow(SloDef slo) {
        return slo.kind().sentence(slo);
    }

    private static String seconds(double s) {
        return Wording.seconds(s);
    }

    /** Like {@link Durations#format} but keeps sub-second values in milliseconds (200ms, not 0.2s). */
    private static String duration(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) < 0 && d.toNanos() % 1_000_000 == 0 && !d.isZero() ? d.toMillis() + "ms" : Durations.format(d);
    }

    private static String percent(double fraction) {
        return Wording.percent(fraction);
    }

    private static String jdbc(ProbeSpec.Jdbc j) {
        return "INSERT INTO " + j.table() + " at " + (j.sandboxTarget() ? "the sandbox's primary (following a failover)" : Redaction.url(j.url()))
                + " as " + j.user() + (j.passwordEnv() == null ? "" : " (password from $" + j.passwordEnv() + ")") + ", read back";
    }
}
