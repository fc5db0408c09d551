package dev.slogate.slo;

/**
 * One SLO judged over one window from one source. {@code measured} is null when there was no data; {@code message}
 * reads like a sentence and names the number that missed, e.g. "p95 latency 312 ms > 200 ms in fault:pod-kill".
 */
public record SloResult(String slo, String window, String source, String objective, Double measured, String unit,
                        Verdict verdict, String message) {
}
