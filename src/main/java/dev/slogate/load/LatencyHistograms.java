package dev.slogate.load;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** The one histogram shape slogate uses, and its lossless text form for report.json. */
public final class LatencyHistograms {
    /**
     * Two significant digits (1 % value precision) keep one second's histogram near 10 KB instead of ~170 KB at three
     * digits over a ten-minute range, so an hour-long run fits in a modest heap; SLO thresholds need no finer grain.
     */
    public static final int SIGNIFICANT_DIGITS = 2;
    /** Latencies longer than ten minutes are recorded as ten minutes. */
    public static final long HIGHEST_MICROS = 600_000_000L;

    private LatencyHistograms() {
    }

    /** An auto-resizing histogram of microseconds: it grows only as far as the largest latency seen. */
    public static Histogram create() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    /** Compressed HdrHistogram encoding in base64: exact, and readable by any HdrHistogram library. */
    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
    }

    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }
}
