package dev.slogate.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slogate.experiment.ProbeSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The HTTP write path: {@code writeMethod writePath} with the body template, read back with {@code GET readPath}. */
final class HttpWritePath implements WritePath {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeSpec spec;
    private final String baseUrl;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, WriteProbe.daemon("probe-http"));
    private final HttpClient http;
    private long firstSeq;

    HttpWritePath(ProbeSpec spec, String baseUrl) {
        this.spec = spec;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(spec.timeout()).executor(threads)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public void open(long firstSeq) {
        this.firstSeq = firstSeq;
    }

    @Override
    public CompletableFuture<Integer> write(long seq, long sentMillis) {
        String body = fill(spec.writeBody(), seq, sentMillis);
        HttpRequest.BodyPublisher publisher = spec.writeMethod().equals("GET") || spec.writeMethod().equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + fill(spec.writePath(), seq, sentMillis)))
                .timeout(spec.timeout()).header("Content-Type", "application/json")
                .method(spec.writeMethod(), publisher).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .handle((res, err) -> res == null ? 0 : res.statusCode());
    }

    private String fill(String template, long seq, long ts) {
        return template.replace("${seq}", Long.toString(seq)).replace("${ts}", Long.toString(ts))
                .replace("${from}", Long.toString(firstSeq));
    }

    @Override
    public List<Long> readBack(long firstSeq) throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + fill(spec.readPath(), firstSeq, System.currentTimeMillis()));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(spec.timeout().multipliedBy(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("GET " + uri + " answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(e.getMessage() != null && e.getMessage().startsWith("GET ") ? e.getMessage()
                    : "GET " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The stored sequence numbers in storage order: a JSON array of numbers or of objects with "seq", or {"records": [...]}. */
    static List<Long> parse(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode items = root != null && root.isObject() ? root.path("records") : root;
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("the read-back is not a JSON array of records (nor {\"records\": [...]})");
        }
        List<Long> out = new ArrayList<>(items.size());
        for (JsonNode n : items) {
            JsonNode seq = n.isObject() ? n.path("seq") : n;
            if (!seq.canConvertToLong()) {
                throw new IllegalArgumentException("a read-back record has no numeric seq: " + n);
            }
            out.add(seq.asLong());
        }
        return out;
    }

    @Override
    public void close() {
        threads.shutdownNow(); // the client's own selector thread ends with the client once unreachable
    }
}
