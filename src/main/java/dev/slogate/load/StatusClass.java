package dev.slogate.load;

/** How a request ended, as the client saw it. */
public enum StatusClass {
    OK("ok"), HTTP_ERROR("http-error"), CONNECT_ERROR("connect-error"), TIMEOUT("timeout");

    private final String id;

    StatusClass(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Whether the service answered (OK or an HTTP error): only answers have a latency of the service; a timeout's or a
     * refused connection's "latency" is the client's timeout or connect time.
     */
    public boolean answered() {
        return this == OK || this == HTTP_ERROR;
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
