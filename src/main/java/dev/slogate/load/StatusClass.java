package dev.slogate.load;

/** How a request ended, as the client saw it. */
public enum StatusClass {
    OK("ok"), HTTP_ERROR("http-error"), CONNECT_ERROR("connect-error"), TIMEOUT("timeout"),
    /** A journey step got its expected status, but a value it extracts for later steps was not in the answer. */
    EXTRACT_ERROR("extract-error");

    private final String id;

    StatusClass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Whether the service answered (OK, an HTTP error, or an answer without the value a journey extracts): only answers
     * have a latency of the service; a timeout's or a refused connection's "latency" is the client's timeout or connect time.
     */
    public boolean answered() {
        return this == OK || this == HTTP_ERROR || this == EXTRACT_ERROR;
    }

    public static StatusClass fromId(String id) {
        for (StatusClass c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown status class " + id);
    }
}
