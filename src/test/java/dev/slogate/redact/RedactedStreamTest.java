package dev.slogate.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactedStreamTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreRedactedAlsoWhenPrintedInPieces() {
        PrintStream out = RedactedStream.over(target);
        out.print("Prometheus at http://user:S3c");
        out.print("ret@127.0.0.1:9090");
        out.println(" is unreachable");
        out.printf("Authorization: %s%n", "Bearer tok-XYZ");
        assertEquals("Prometheus at http://user:***@127.0.0.1:9090 is unreachable\nAuthorization: ***\n",
                written().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aProgressLineRedrawnInPlaceIsWrittenAtOnceOnFlush() {
        PrintStream out = RedactedStream.over(target);
        out.print("\r  12s  10 rps ?token=abc");
        out.flush();
        assertEquals("\r  12s  10 rps ?token=***", written());
        out.print("\r  13s  é ünïcode");
        out.flush();
        assertEquals("\r  12s  10 rps ?token=***\r  13s  é ünïcode", written());
    }

    @Test
    void aRedactedStreamIsNotWrappedTwice() {
        PrintStream once = RedactedStream.over(target);
        assertSame(once, RedactedStream.over(once));
    }
}
