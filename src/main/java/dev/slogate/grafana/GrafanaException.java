package dev.slogate.grafana;

/** A Grafana request that failed: what was asked, what Grafana (or the network) said, and what to do. */
public final class GrafanaException extends RuntimeException {
    private final int status;

    GrafanaException(int status, String message) {
        super(message);
        this.status = status;
    }

    GrafanaException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status Grafana answered with; 0 when there was no answer. */
    public int status() {
        return status;
    }
}
