package dev.slogate.fault.chaosmesh;

import dev.slogate.fault.FaultException;

/** Chaos Mesh (or the API server in front of it) refused or failed a request; {@code code} is the HTTP status, 0 if none. */
public final class ChaosMeshException extends FaultException {
    private final int code;

    public ChaosMeshException(int code, String message) {
        super(message);
        this.code = code;
    }

    public ChaosMeshException(String message, Throwable cause) {
        super(message, cause);
        this.code = 0;
    }

    public int code() {
        return code;
    }
}
