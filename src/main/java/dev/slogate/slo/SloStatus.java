package dev.slogate.slo;

/**
 * An SLO over one window while the run goes on: a forecast for the screen and the injector's metrics, never a
 * verdict (only the judging at the end gives one).
 *
 * @param slo    the SLO's name, as in the report
 * @param window the window's name ({@code run}, {@code steady}, {@code fault:<name>}, ...)
 * @param state  where it stands now
 * @param detail what it is measured at so far against its objective, e.g. {@code p95 143 ms (< 200 ms)}; empty if none
 */
public record SloStatus(String slo, String window, State state, String detail) {
    public enum State {
        /** Nothing measured in the window yet, or a kind that only the judging at the end can say (Prometheus, RTO). */
        NO_DATA_YET,
        /** Everything so far meets the objective. */
        MET_SO_FAR,
        /** The recent seconds miss it, or the window is still open and misses it so far. */
        AT_RISK,
        /** The window is over and missed it: the judging will say FAIL unless the final seconds change it. */
        FAILED
    }
}
