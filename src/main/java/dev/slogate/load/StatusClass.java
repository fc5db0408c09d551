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

    public static StatusClass fromId(String id) {
        for (StatusClass c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown status class " + id);
    }
}
