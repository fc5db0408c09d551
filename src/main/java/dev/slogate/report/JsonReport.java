package dev.slogate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slogate.load.ClientSecond.SeriesKey;
import dev.slogate.load.ClientSecond;
import dev.slogate.load.JourneySummary;
import dev.slogate.load.LatencyHistograms;
import dev.slogate.load.StatusClass;
import dev.slogate.probe.ProbeResult;
import dev.slogate.slo.SloResult;
import dev.slogate.timeline.Event;
import dev.slogate.timeline.Window;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code report.json}: the machine-readable record of a run and the source every other report can be rebuilt from.
 * Each client second carries readable figures (counts, p50/p95/p99/max in ms) and every series' histogram as
 * compressed base64, so the histograms of several injectors merge exactly later. {@link #read} ignores the readable
 * figures and rebuilds the run from the histograms.
 */
public final class JsonReport implements ReportWriter {
    public static final String FILE_NAME = "report.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // newer minor versions of the same schema may add fields; the version number guards real changes
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public String fileName() {
        return FILE_NAME;
    }

    @Override
    public void write(RunReport r, Path dir) throws IOException {
        MAPPER.writeValue(dir.resolve(FILE_NAME).toFile(), toDoc(r));
    }

    /** The JSON text of a report, as {@link #write} stores it. */
    public static String toJson(RunReport r) {
        try {
            return MAPPER.writeValueAsString(toDoc(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise run " + r.runId() + ": " + e.getMessage(), e);
        }
    }

    /** Rebuilds the exact run from a {@code report.json} (a file, or a report directory holding one). */
    public static RunReport read(Path json) throws IOException {
        Path file = Files.isDirectory(json) ? json.resolve(FILE_NAME) : json;
        ReportDoc doc;
        try {
            doc = MAPPER.readValue(file.toFile(), ReportDoc.class);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new NoSuchFileException(file.toString(), null, "no report.json here; pass the directory of a slogate run");
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a readable slogate report: " + e.getOriginalMessage(), e);
        }
        if (doc.schemaVersion() < 1) {
            throw new IOException(file + " has no schemaVersion; it is not a slogate report.json");
        }
        if (doc.schemaVersion() > RunReport.SCHEMA_VERSION) {
            throw new IOException(file + " has schemaVersion " + doc.schemaVersion() + " but this slogate reads up to "
                    + RunReport.SCHEMA_VERSION + "; render it with a newer slogate");
        }
        try {
            return fromDoc(doc);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    // The file format, kept apart from the Java records so either can evolve without silently changing the other.

    record ReportDoc(int schemaVersion, String runId, String scenario, String target, long startMillis, long endMillis,
                     long durationMillis, int exitCode, String outcome, List<Event> events, List<Window> windows,
                     List<SloResult> results, List<SecondDoc> client, List<String> notes, List<ProbeResult> probes,
                     List<String> problems, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JourneySummary> journeys) {
    }

    record SecondDoc(long epochSecond, double targetRps, long sent, long completed, Map<String, Long> counts,
                     Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, List<SeriesDoc> series) {
    }

    /** One request name and status class; {@code histogram} is the compressed HdrHistogram in base64 (microseconds). */
    record SeriesDoc(String request, String status, long count, String histogram) {
    }

    private static ReportDoc toDoc(RunReport r) {
        List<SecondDoc> client = new ArrayList<>();
        Histogram scratch = LatencyHistograms.create();
        for (ClientSecond s : r.client()) {
            SecondStats st = SecondStats.of(s, scratch);
            Map<String, Long> counts = new LinkedHashMap<>();
            st.counts().forEach((c, n) -> counts.put(c.id(), n));
            List<SeriesDoc> series = s.latency().entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<SeriesKey, Histogram> e) -> e.getKey().request())
                            .thenComparing(e -> e.getKey().status()))
                    .map(e -> new SeriesDoc(e.getKey().request(), e.getKey().status().id(), e.getValue().getTotalCount(),
                            LatencyHistograms.encode(e.getValue())))
                    .toList();
            client.add(new SecondDoc(s.epochSecond(), s.targetRps(), s.sent(), st.completed(), counts,
                    st.p50Ms(), st.p95Ms(), st.p99Ms(), st.maxMs(), series));
        }
        return new ReportDoc(r.schemaVersion(), r.runId(), r.scenario(), r.target(), r.startMillis(), r.endMillis(),
                r.endMillis() - r.startMillis(), r.exitCode(), r.outcome(), r.events(), r.windows(), r.results(),
                client, r.notes(), r.probes(), r.problems(), r.journeys());
    }

    private static RunReport fromDoc(ReportDoc d) {
        List<ClientSecond> client = new ArrayList<>();
        for (SecondDoc s : orEmpty(d.client())) {
            Map<SeriesKey, Histogram> latency = new LinkedHashMap<>();
            for (SeriesDoc series : orEmpty(s.series())) {
                SeriesKey key = new SeriesKey(series.request(), StatusClass.fromId(series.status()));
                if (latency.put(key, LatencyHistograms.decode(series.histogram())) != null) {
                    throw new IllegalArgumentException("second " + s.epochSecond() + " lists series " + key + " twice");
                }
            }
            client.add(new ClientSecond(s.epochSecond(), s.targetRps(), s.sent(), latency));
        }
        return new RunReport(d.schemaVersion(), d.runId(), d.scenario(), d.target(), d.startMillis(), d.endMillis(),
                d.exitCode(), d.outcome(), orEmpty(d.events()), orEmpty(d.windows()), orEmpty(d.results()), client,
                orEmpty(d.notes()), orEmpty(d.probes()), orEmpty(d.problems()), orEmpty(d.journeys()));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
