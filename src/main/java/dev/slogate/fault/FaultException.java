package dev.slogate.fault;

/** A fault could not be planned, applied or reverted; the message says what to do. */
public class FaultException extends RuntimeException {
    public FaultException(String message) {
        super(message);
    }

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
