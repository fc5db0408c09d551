package dev.slogate.probe;

/**
 * One write the probe sent: its sequence number, when it was sent and, when the target acknowledged it (a 2xx answer),
 * when the acknowledgement arrived ({@code ackMillis}, else null). {@code status} is the HTTP status, 0 when no answer
 * came (connection refused or reset, timeout).
 */
public record Write(long seq, long sentMillis, Long ackMillis, int status) {
    public boolean acknowledged() {
        return ackMillis != null;
    }
}
