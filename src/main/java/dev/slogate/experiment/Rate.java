package dev.slogate.experiment;

/** A request rate in requests per second, written as {@code 500}, {@code "500/s"}, {@code "30/m"} or {@code "2k/s"}. */
public record Rate(double perSecond) {
    /** What one injector process can hold; a higher rate needs {@code --injectors N}. */
    public static final double MAX_PER_INJECTOR = 50_000;
    /** The highest rate a file may ask for: 20 injectors at their maximum. */
    public static final double MAX_PER_SECOND = 1_000_000;

    public Rate {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, got " + perSecond);
        }
    }

    public static Rate parse(String text) {
        String t = text.trim().toLowerCase();
        double unit = 1;
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("/m")) {
            t = t.substring(0, t.length() - 2);
            unit = 1.0 / 60;
        } else if (t.endsWith("rps")) {
            t = t.substring(0, t.length() - 3);
        }
        double mult = 1;
        if (t.endsWith("k")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return new Rate(Double.parseDouble(t.trim()) * mult * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write requests per second such as 500, \"500/s\", \"2k/s\" or \"30/m\"");
        }
    }

    @Override
    public String toString() {
        return (perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond)) + "/s";
    }
}
