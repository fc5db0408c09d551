package dev.slogate.redact;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A console stream that passes every line through {@link Redaction#text}: whatever a command, a library or a logger
 * prints to the process's standard output or error, no secret reaches the terminal or the CI log. Text is held until
 * its line ends ({@code \n}, or {@code \r} of a progress line redrawn in place) or the stream is flushed, so a secret
 * printed in pieces by one {@code print} call sequence is still seen whole.
 */
public final class RedactedStream extends PrintStream {
    private final PrintStream target;

    private RedactedStream(PrintStream target) {
        // no autoflush: PrintStream would then flush after every write, splitting lines before they are whole
        super(new Lines(target), false, StandardCharsets.UTF_8);
        this.target = target;
    }

    /** A stream that writes {@code target}'s text, redacted; {@code target} itself if it redacts already. */
    public static PrintStream over(PrintStream target) {
        return target instanceof RedactedStream ? target : new RedactedStream(target);
    }

    /** The stream this one writes to. */
    public PrintStream target() {
        return target;
    }

    /**
     * Makes {@code System.out} and {@code System.err} redact, for the whole process (its mains call this first); the
     * streams they replaced keep working for whoever holds them.
     */
    public static void install() {
        System.setOut(over(System.out));
        System.setErr(over(System.err));
    }

    /** Bytes in, redacted lines out; decoded as UTF-8 (the encoding of the enclosing PrintStream), printed as text. */
    private static final class Lines extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Lines(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n' || b == '\r') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n' || b[i] == '\r') {
                    pending.write(b, start, i + 1 - start);
                    start = i + 1;
                    emit();
                }
            }
            pending.write(b, start, off + len - start);
            target.flush(); // each whole line is on the console as soon as it was printed
        }

        @Override
        public synchronized void flush() {
            emit();
            target.flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }

        private void emit() {
            if (pending.size() == 0) {
                return;
            }
            String text = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            target.print(Redaction.text(text));
        }
    }
}
