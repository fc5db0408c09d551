package dev.slogate.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.LiveSecond;
import dev.slogate.load.StatusClass;
import dev.slogate.redact.Redaction;
import dev.slogate.report.Format;
import dev.slogate.report.RunReport;
import dev.slogate.slo.SloStatus;
import dev.slogate.timeline.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What the dashboard knows of a run, as the page reads it: the run, one point per second, the events, the faults
 * (scheduled, injected, reverted), the SLO statuses and the verdict. Each change returns the message that tells a
 * browser about it ({@link Message}); {@link #snapshot()} is the whole state, what a new browser gets first and what
 * dashboard.html inlines. Every message is redacted like every other output. Times are milliseconds since the run's
 * start (the load's first scheduled user) so the page needs no clock of its own; {@code now} in each message lets it
 * count down the active faults without trusting the browser's clock.
 */
final class DashboardState {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One Server-Sent Event: its type and its JSON data (one line, redacted). */
    record Message(String type, String json) {
        /** The SSE frame: {@code event:} and {@code data:} lines and the blank line that ends it. */
        String frame() {
            return "event: " + type + "\ndata: " + json + "\n\n";
        }
    }

    /** The figures of one second on the charts; latencies null when nothing was answered (a gap, not a zero). */
    record Point(long epochSecond, double target, long sent, long ok, long failed, long stalled, Double p50, Double p95,
                 Double p99, boolean fin) {
    }

    private final String runIdHint;
    private String runId;
    private String scenario = "";
    private Long startMillis;
    private long durationSeconds;
    private final List<ScheduledFault> schedule = new ArrayList<>();
    private final Map<String, Long> injected = new LinkedHashMap<>();
    private final Map<String, Long> reverted = new LinkedHashMap<>();
    private final Map<String, String> faultDetail = new LinkedHashMap<>();
    private final TreeMap<Long, Point> points = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private List<SloStatus> slos = List.of();
    private ObjectNode end;

    DashboardState(String runIdHint) {
        this.runIdHint = runIdHint;
        this.runId = runIdHint;
    }

    synchronized Message started(String runId, Scenario s, long startMillis) {
        this.runId = runId;
        this.scenario = s.name();
        this.startMillis = startMillis;
        this.durationSeconds = s.duration().toSeconds();
        schedule.clear();
        schedule.addAll(s.faults());
        return message("state", snapshotNode());
    }

    synchronized Message live(LiveSecond s) {
        ClientSecond c = s.sofar();
        Point existing = points.get(c.epochSecond());
        if (existing != null && existing.fin()) {
            return null; // the final figures are in already
        }
        Histogram h = s.latencyCountingStalls();
        long ok = c.count(StatusClass.OK);
        return point(new Point(c.epochSecond(), c.targetRps(), c.sent(), ok, c.completed() - ok, s.stalled(),
                ms(h, 50), ms(h, 95), ms(h, 99), false));
    }

    synchronized Message second(ClientSecond c) {
        Histogram h = c.merged();
        long ok = c.count(StatusClass.OK);
        return point(new Point(c.epochSecond(), c.targetRps(), c.sent(), ok, c.completed() - ok, 0,
                ms(h, 50), ms(h, 95), ms(h, 99), true));
    }

    private Message point(Point p) {
        points.put(p.epochSecond(), p);
        ObjectNode n = JSON.createObjectNode();
        n.set("point", pointNode(p));
        n.put("now", nowOffset());
        return message("second", n);
    }

    synchronized Message event(Event e) {
        events.add(e);
        if (e.kind() == Event.Kind.FAULT_INJECTED) {
            injected.put(e.subject(), e.atMillis());
            faultDetail.put(e.subject(), e.detail());
        } else if (e.kind() == Event.Kind.FAULT_REVERTED && injected.containsKey(e.subject())) {
            reverted.put(e.subject(), e.atMillis());
        }
        ObjectNode n = JSON.createObjectNode();
        n.set("event", eventNode(e));
        n.set("faults", faultsNode());
        n.put("now", nowOffset());
        return message("event", n);
    }

    /** The SLO statuses now; null when nothing changed since the last call (no message to send). */
    synchronized Message slos(List<SloStatus> now) {
        if (now == null || now.equals(slos)) {
            return null;
        }
        slos = List.copyOf(now);
        ObjectNode n = JSON.createObjectNode();
        n.set("slos", slosNode());
        return message("slos", n);
    }

    /** The verdict; {@code report} and {@code snapshot} are where report.html and dashboard.html are (or null). */
    synchronized Message finished(RunReport r, String reportPath, String snapshotPath) {
        runId = r.runId();
        if (scenario.isEmpty()) {
            scenario = r.scenario();
        }
        ObjectNode e = JSON.createObjectNode();
        e.put("exitCode", r.exitCode());
        e.put("label", Format.exitLabel(r.exitCode()));
        e.put("outcome", r.outcome());
        e.put("report", reportPath);
        e.put("snapshot", snapshotPath);
        e.put("at", startMillis == null ? 0 : r.endMillis() - startMillis);
        ArrayNode problems = e.putArray("problems");
        r.problems().forEach(problems::add);
        ArrayNode verdicts = e.putArray("verdicts");
        r.results().forEach(res -> verdicts.addObject().put("slo", res.slo()).put("window", res.window())
                .put("source", res.source()).put("verdict", res.verdict().name()).put("objective", res.objective()));
        end = e;
        ObjectNode n = JSON.createObjectNode();
        n.set("end", e);
        n.set("faults", faultsNode());
        return message("end", n);
    }

    synchronized boolean ended() {
        return end != null;
    }

    synchronized String runId() {
        return runId;
    }

    /** Everything so far, for a new browser (as an SSE {@code state} message) and for dashboard.html. */
    synchronized Message snapshot() {
        return message("state", snapshotNode());
    }

    private ObjectNode snapshotNode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("runId", runId == null ? runIdHint : runId);
        n.put("scenario", scenario);
        n.put("started", startMillis != null);
        if (startMillis != null) {
            n.put("startMillis", startMillis);
        }
        n.put("durationSeconds", durationSeconds);
        n.put("now", nowOffset());
        ArrayNode ps = n.putArray("points");
        points.values().forEach(p -> ps.add(pointNode(p)));
        ArrayNode es = n.putArray("events");
        events.forEach(e -> es.add(eventNode(e)));
        n.set("faults", faultsNode());
        n.set("slos", slosNode());
        n.set("end", end);
        return n;
    }

    private ObjectNode pointNode(Point p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("t", startMillis == null ? 0 : p.epochSecond() * 1000 + 500 - startMillis);
        n.put("target", round(p.target()));
        n.put("sent", p.sent());
        n.put("ok", p.ok());
        n.put("failed", p.failed());
        n.put("stalled", p.stalled());
        long counted = p.ok() + p.failed() + p.stalled();
        if (counted > 0) {
            n.put("err", round(100.0 * (p.failed() + p.stalled()) / counted));
        } else {
            n.putNull("err");
        }
        putMs(n, "p50", p.p50());
        putMs(n, "p95", p.p95());
        putMs(n, "p99", p.p99());
        n.put("final", p.fin());
        return n;
    }

    private ObjectNode eventNode(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", offset(e.atMillis()));
        n.put("kind", e.kind().name());
        n.put("subject", e.subject());
        n.put("detail", e.detail());
        return n;
    }

    /** Every scheduled fault with its planned span, and when it was injected and reverted (null until it was). */
    private ArrayNode faultsNode() {
        ArrayNode a = JSON.createArrayNode();
        List<String> seen = new ArrayList<>();
        for (ScheduledFault f : schedule) {
            seen.add(f.name());
            ObjectNode n = a.addObject();
            n.put("name", f.name());
            n.put("type", String.valueOf(f.fault().type()));
            n.put("plannedAt", f.at().toMillis());
            n.put("plannedEnd", f.end().toMillis());
            faultTimes(n, f.name());
        }
        for (String name : injected.keySet()) { // injected without a schedule entry: still shown
            if (!seen.contains(name)) {
                ObjectNode n = a.addObject();
                n.put("name", name);
                n.put("type", "");
                faultTimes(n, name);
            }
        }
        return a;
    }

    private void faultTimes(ObjectNode n, String name) {
        Long in = injected.get(name);
        Long out = reverted.get(name);
        if (in == null) {
            n.putNull("injectedAt");
        } else {
            n.put("injectedAt", offset(in));
        }
        if (out == null) {
            n.putNull("revertedAt");
        } else {
            n.put("revertedAt", offset(out));
        }
        n.put("detail", faultDetail.getOrDefault(name, ""));
    }

    private ArrayNode slosNode() {
        ArrayNode a = JSON.createArrayNode();
        slos.forEach(s -> a.addObject().put("slo", s.slo()).put("window", s.window()).put("state", s.state().name())
                .put("detail", s.detail()));
        return a;
    }

    private long offset(long atMillis) {
        return startMillis == null ? 0 : atMillis - startMillis;
    }

    private long nowOffset() {
        return offset(System.currentTimeMillis());
    }

    private static Message message(String type, ObjectNode n) {
        // JSON has no raw line breaks (one data: line); '<' escaped so the text is safe inside a <script> of dashboard.html
        String json = Redaction.text(n.toString()).replace("<", "\\u003c");
        return new Message(type, json);
    }

    private static void putMs(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, round(v));
        }
    }

    private static Double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? null : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
