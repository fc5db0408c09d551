package dev.slogate.fault.chaosmesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Chaos Mesh says about an experiment: its conditions (Selected, AllInjected, AllRecovered, Paused) and, per
 * selected container or pod, the Apply/Recover events with their timestamps. Those timestamps, not the time slogate
 * sent the request, mark the fault window.
 */
public record ChaosStatus(Map<String, Boolean> conditions, String desiredPhase, List<Record> records) {
    public ChaosStatus {
        conditions = Map.copyOf(conditions);
        records = List.copyOf(records);
    }

    /** One target (containerRecords[]): its id (namespace/pod[/container]), phase and events. */
    public record Record(String id, String phase, List<RecordEvent> events) {
        public Record {
            events = List.copyOf(events);
        }
    }

    /** @param type Succeeded or Failed; @param operation Apply or Recover */
    public record RecordEvent(String type, String operation, Instant timestamp, String message) {
        public boolean succeeded() {
            return "Succeeded".equals(type);
        }
    }

    public static ChaosStatus parse(JsonNode object) {
        JsonNode status = object.path("status");
        Map<String, Boolean> conditions = new LinkedHashMap<>();
        for (JsonNode c : status.path("conditions")) {
            conditions.put(c.path("type").asText(), "True".equals(c.path("status").asText()));
        }
        List<Record> records = new ArrayList<>();
        for (JsonNode r : status.path("experiment").path("containerRecords")) {
            List<RecordEvent> events = new ArrayList<>();
            for (JsonNode e : r.path("events")) {
                String ts = e.path("timestamp").asText(null);
                events.add(new RecordEvent(e.path("type").asText(), e.path("operation").asText(), ts == null ? null : Instant.parse(ts),
                        e.path("message").asText(null)));
            }
            records.add(new Record(r.path("id").asText(), r.path("phase").asText(), events));
        }
        return new ChaosStatus(conditions, status.path("experiment").path("desiredPhase").asText(null), records);
    }

    /**
     * The Chaos Dashboard reports one word per experiment (injecting, running, paused, finished), not conditions or
     * records: this maps it onto the conditions it implies. Without records there are no Apply/Recover timestamps, so
     * the injector marks the window when it sees the word change.
     */
    public static ChaosStatus fromDashboard(String word) {
        Map<String, Boolean> c = new LinkedHashMap<>();
        switch (word == null ? "" : word.toLowerCase(Locale.ROOT)) {
            case "injecting" -> c.put("Selected", true);
            case "running" -> {
                c.put("Selected", true);
                c.put("AllInjected", true);
            }
            case "paused" -> {
                c.put("Paused", true);
                c.put("AllRecovered", true);
            }
            case "finished" -> c.put("AllRecovered", true);
            default -> {
            }
        }
        return new ChaosStatus(c, null, List.of());
    }

    public boolean selected() {
        return conditions.getOrDefault("Selected", false);
    }

    public boolean allInjected() {
        return conditions.getOrDefault("AllInjected", false);
    }

    public boolean allRecovered() {
        return conditions.getOrDefault("AllRecovered", false);
    }

    public boolean paused() {
        return conditions.getOrDefault("Paused", false);
    }

    /** When the fault began: the first successful Apply over all targets. */
    public Optional<Instant> firstApplied() {
        return events("Apply").filter(RecordEvent::succeeded).map(RecordEvent::timestamp).filter(Objects::nonNull).min(Instant::compareTo);
    }

    /** When the fault ended: the last successful Recover, once every target has recovered. */
    public Optional<Instant> lastRecovered() {
        if (records.isEmpty() || !allRecovered()) {
            return Optional.empty();
        }
        return events("Recover").filter(RecordEvent::succeeded).map(RecordEvent::timestamp).filter(Objects::nonNull).max(Instant::compareTo);
    }

    /** Failed events ("target: operation failed: message"), for the user. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            for (RecordEvent e : r.events()) {
                if (!e.succeeded()) {
                    out.add(r.id() + ": " + e.operation() + " failed" + (e.message() == null ? "" : ": " + e.message()));
                }
            }
        }
        return out;
    }

    /** The selected targets (namespace/pod ids). */
    public List<String> targets() {
        return records.stream().map(Record::id).toList();
    }

    private Stream<RecordEvent> events(String operation) {
        return records.stream().flatMap(r -> r.events().stream()).filter(e -> operation.equals(e.operation()));
    }
}
