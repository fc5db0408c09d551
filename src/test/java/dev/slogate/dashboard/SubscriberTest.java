package dev.slogate.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SubscriberTest {
    @Test
    void framesAreWrittenInOrderAndTheStreamEndsAfterClose() {
        Subscriber s = new Subscriber();
        assertTrue(s.offer("a\n\n"));
        assertTrue(s.offer("b\n\n"));
        s.close();
        assertFalse(s.offer("c\n\n"), "nothing after the end");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.drain(out); // returns: the stream ended
        assertEquals("a\n\nb\n\n", out.toString(StandardCharsets.UTF_8));
        assertFalse(s.dropped());
    }

    @Test
    void aBrowserThatFallsBehindIsDroppedWithoutBlockingTheRun() {
        Subscriber s = new Subscriber();
        for (int i = 0; i < Subscriber.CAPACITY; i++) {
            assertTrue(s.offer("x\n\n"));
        }
        assertFalse(s.offer("one too many\n\n"), "never waits for room");
        assertTrue(s.dropped());
        assertTrue(s.closed());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.drain(out);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "its backlog is thrown away; it reconnects to a fresh state");
    }

    @Test
    void aFailedWriteClosesTheSubscriber() {
        Subscriber s = new Subscriber();
        s.offer("a\n\n");
        s.drain(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        });
        assertTrue(s.closed());
        assertFalse(s.offer("b\n\n"));
    }
}
