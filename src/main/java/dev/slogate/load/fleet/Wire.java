package dev.slogate.load.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Feeder;
import dev.slogate.experiment.Journey;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.JourneyLog;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.LoadResult;
import dev.slogate.load.StageResult;
import dev.slogate.load.StatusClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The coordinator-injector protocol: one JSON object per line over a loopback socket, field {@code type} first.
 * Injector to coordinator: hello, ready, released, alive, second, done. Coordinator to injector: plan, start, stop.
 * Histograms travel in HdrHistogram's compressed encoding ({@link LatencyHistograms#encode}), so nothing is lost.
 */
final class Wire {
    static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static ObjectNode message(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    static String line(ObjectNode message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a fleet message: " + line, e);
        }
    }

    static ObjectNode second(ClientSecond s) {
        ObjectNode n = message("second");
        n.put("epochSecond", s.epochSecond());
        n.put("targetRps", s.targetRps());
        n.put("sent", s.sent());
        ArrayNode series = n.putArray("series");
        s.latency().forEach((key, h) -> series.addObject()
                .put("request", key.request()).put("status", key.status().id()).put("histogram", LatencyHistograms.encode(h)));
        return n;
    }

    static ClientSecond second(JsonNode n) {
        Map<ClientSecond.SeriesKey, Histogram> latency = new HashMap<>();
        for (JsonNode e : n.path("series")) {
            latency.put(new ClientSecond.SeriesKey(e.get("request").asText(), StatusClass.fromId(e.get("status").asText())),
                    LatencyHistograms.decode(e.get("histogram").asText()));
        }
        return new ClientSecond(n.get("epochSecond").asLong(), n.get("targetRps").asDouble(), n.get("sent").asLong(), latency);
    }

    static ObjectNode load(Load load) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode stages = n.putArray("stages");
        for (Stage s : load.stages()) {
            stages.addObject().put("kind", s.kind().name()).put("from", s.from().perSecond()).put("to", s.to().perSecond())
                    .put("durationMillis", s.duration().toMillis());
        }
        ArrayNode requests = n.putArray("requests");
        for (RequestSpec r : load.requests()) {
            ObjectNode o = requests.addObject().put("name", r.name()).put("method", r.method()).put("path", r.path())
                    .put("body", r.body()).put("expectStatus", r.expectStatus()).put("weight", r.weight());
            ObjectNode headers = o.putObject("headers");
            r.headers().forEach(headers::put);
        }
        n.put("simulation", load.simulation());
        ArrayNode classpath = n.putArray("simulationClasspath");
        load.simulationClasspath().forEach(p -> classpath.add(p.toString()));
        n.set("journeys", journeys(load.journeys()));
        n.set("feeders", JSON.valueToTree(load.feeders()));
        if (load.requestTimeout() != null) {
            n.put("requestTimeoutMillis", load.requestTimeout().toMillis());
        }
        return n;
    }

    static Load load(JsonNode n) {
        List<Stage> stages = new ArrayList<>();
        for (JsonNode s : n.path("stages")) {
            stages.add(new Stage(Stage.Kind.valueOf(s.get("kind").asText()), new Rate(s.get("from").asDouble()),
                    new Rate(s.get("to").asDouble()), Duration.ofMillis(s.get("durationMillis").asLong())));
        }
        List<RequestSpec> requests = new ArrayList<>();
        for (JsonNode r : n.path("requests")) {
            Map<String, String> headers = new LinkedHashMap<>();
            r.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            requests.add(new RequestSpec(r.get("name").asText(), r.get("method").asText(), r.get("path").asText(), headers,
                    r.get("body").isNull() ? null : r.get("body").asText(), r.get("expectStatus").asInt(), r.get("weight").asInt()));
        }
        JsonNode sim = n.get("simulation");
        JsonNode timeout = n.get("requestTimeoutMillis");
        List<Path> classpath = new ArrayList<>();
        n.path("simulationClasspath").forEach(p -> classpath.add(Path.of(p.asText())));
        List<Feeder> feeders = n.has("feeders") ? JSON.convertValue(n.get("feeders"), new TypeReference<List<Feeder>>() { }) : List.of();
        return new Load(stages, requests, sim == null || sim.isNull() ? null : sim.asText(),
                timeout == null ? null : Duration.ofMillis(timeout.asLong()), journeys(n.path("journeys")), feeders, classpath);
    }

    private static ArrayNode journeys(List<Journey> journeys) {
        ArrayNode out = JSON.createArrayNode();
        for (Journey j : journeys) {
            ObjectNode o = out.addObject().put("name", j.name()).put("weight", j.weight());
            ArrayNode steps = o.putArray("steps");
            for (Journey.Step s : j.steps()) {
                ObjectNode st = steps.addObject().put("name", s.name()).put("method", s.method()).put("path", s.path())
                        .put("body", s.body()).put("expectStatus", s.expectStatus()).put("group", s.group());
                st.set("headers", JSON.valueToTree(s.headers()));
                st.set("extract", JSON.valueToTree(s.extract()));
                if (s.think() != null) {
                    st.putObject("think").put("distribution", s.think().distribution().name()).put("minNanos", s.think().min().toNanos())
                            .put("maxNanos", s.think().max().toNanos()).put("meanNanos", s.think().mean().toNanos());
                }
            }
        }
        return out;
    }

    private static List<Journey> journeys(JsonNode n) {
        List<Journey> out = new ArrayList<>();
        for (JsonNode j : n) {
            List<Journey.Step> steps = new ArrayList<>();
            for (JsonNode s : j.path("steps")) {
                JsonNode t = s.get("think");
                Journey.Think think = t == null || t.isNull() ? null : new Journey.Think(Journey.Think.Distribution.valueOf(
                        t.get("distribution").asText()), Duration.ofNanos(t.get("minNanos").asLong()),
                        Duration.ofNanos(t.get("maxNanos").asLong()), Duration.ofNanos(t.get("meanNanos").asLong()));
                steps.add(new Journey.Step(s.get("name").asText(), s.get("method").asText(), s.get("path").asText(),
                        JSON.convertValue(s.get("headers"), new TypeReference<Map<String, String>>() { }),
                        s.get("body").isNull() ? null : s.get("body").asText(), s.get("expectStatus").asInt(),
                        s.get("group").isNull() ? null : s.get("group").asText(),
                        JSON.convertValue(s.get("extract"), new TypeReference<List<Journey.Extract>>() { }), think));
            }
            out.add(new Journey(j.get("name").asText(), j.get("weight").asInt(), steps));
        }
        return out;
    }

    /** The journeys' whole users of one injector, histograms in the same encoding as the seconds'. */
    static ArrayNode journeyParts(List<JourneyLog.Part> parts) {
        ArrayNode out = JSON.createArrayNode();
        for (JourneyLog.Part p : parts) {
            out.addObject().put("journey", p.journey()).put("users", p.users()).put("completed", p.completed())
                    .put("failed", p.failed()).put("noRow", p.noRow())
                    .put("withThink", LatencyHistograms.encode(p.withThink())).put("withoutThink", LatencyHistograms.encode(p.withoutThink()));
        }
        return out;
    }

    static List<JourneyLog.Part> journeyParts(JsonNode n) {
        List<JourneyLog.Part> out = new ArrayList<>();
        for (JsonNode p : n) {
            out.add(new JourneyLog.Part(p.get("journey").asText(), p.get("users").asLong(), p.get("completed").asLong(),
                    p.get("failed").asLong(), p.get("noRow").asLong(), LatencyHistograms.decode(p.get("withThink").asText()),
                    LatencyHistograms.decode(p.get("withoutThink").asText())));
        }
        return out;
    }

    static ObjectNode done(LoadResult r) {
        ObjectNode n = message("done");
        n.put("exitCode", r.gatlingExitCode()).put("saturated", r.saturated()).put("message", r.message());
        ArrayNode stages = n.putArray("stages");
        for (StageResult s : r.stages()) {
            stages.addObject().put("index", s.index()).put("kind", s.kind()).put("targetRps", s.targetRps())
                    .put("achievedRps", Double.isNaN(s.achievedRps()) ? null : s.achievedRps());
        }
        return n;
    }

    static LoadResult done(JsonNode n) {
        List<StageResult> stages = new ArrayList<>();
        for (JsonNode s : n.path("stages")) {
            stages.add(new StageResult(s.get("index").asInt(), s.get("kind").asText(), s.get("targetRps").asDouble(),
                    s.get("achievedRps").isNull() ? Double.NaN : s.get("achievedRps").asDouble()));
        }
        return new LoadResult(n.get("exitCode").asInt(), stages, n.get("saturated").asBoolean(), n.get("message").asText());
    }
}
