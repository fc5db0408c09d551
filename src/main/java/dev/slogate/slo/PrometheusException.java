package dev.slogate.slo;

/**
 * A Prometheus call that failed, with a message that says what to do about it. Never carries credentials.
 */
public final class PrometheusException extends RuntimeException {
    /** What went wrong, so callers can tell "infrastructure down" (exit 2 / NO_DATA) from "bad query". */
    public enum Kind {
        /** Connection refused, unknown host, connection reset: nothing answered. */
        UNREACHABLE,
        /** No answer within the client's timeout. */
        TIMEOUT,
        /** HTTP 400 bad_data: the expression or its parameters are wrong. */
        BAD_QUERY,
        /** HTTP 422 execution: the expression parsed but could not be evaluated. */
        EXECUTION,
        /** HTTP 503: Prometheus is starting, shutting down or overloaded. */
        UNAVAILABLE,
        /** HTTP 401/403: the bearer token is missing or wrong. */
        UNAUTHORIZED,
        /** Any other status, or a body that is not the Prometheus API's JSON. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final String serverError;
    private final int httpStatus;

    public PrometheusException(Kind kind, String message, String serverError, int httpStatus, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.serverError = serverError;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** Prometheus's own error text ({@code "error"} of the API response), or null when it did not send one. */
    public String serverError() {
        return serverError;
    }

    /** The HTTP status Prometheus answered with, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }
}
