package dev.slogate.run;

import dev.slogate.redact.Redaction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Optional;

/** A TCP connect to a URL's host and port: the cheapest proof that something listens there before the run starts. */
final class Reachability {
    private static final int TIMEOUT_MILLIS = 3_000;

    private Reachability() {
    }

    static Optional<String> problem(String what, String url) {
        URI uri;
        String shown = Redaction.url(url);
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of(what + " " + shown + " is not a URL (" + e.getClass().getSimpleName() + ")"); // the JDK's message quotes it whole
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MILLIS);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(what + " " + shown + " is unreachable (" + e.getMessage() + "); is it running?");
        }
    }
}
