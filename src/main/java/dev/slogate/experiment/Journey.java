package dev.slogate.experiment;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One kind of user of {@code load.journeys}: it arrives with {@code weight} out of the weights of all journeys, and walks
 * its {@code steps} in order. Step names are unique across the scenario, so a request name in the report is one step.
 */
public record Journey(String name, int weight, List<Step> steps) {
    public Journey {
        steps = List.copyOf(steps);
    }

    /** The feeder columns and extracted values its steps read ({@code ${name}}), in order of first use. */
    public Set<String> variables() {
        Set<String> out = new LinkedHashSet<>();
        for (Step s : steps) {
            out.addAll(s.variables());
        }
        return out;
    }

    /** The sum of its steps' mean think times. */
    public Duration meanThink() {
        return steps.stream().map(s -> s.think() == null ? Duration.ZERO : s.think().mean()).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * One request of a journey. {@code path}, header values and {@code body} may hold {@code ${name}} placeholders
     * ({@link Template}); {@code group} names steps judged together; {@code extract} saves values of the answer for later
     * steps; {@code think} is the pause after this step, before the next one is due.
     */
    public record Step(String name, String method, String path, Map<String, String> headers, String body, int expectStatus,
                       String group, List<Extract> extract, Think think) {
        public Step {
            headers = Map.copyOf(headers);
            extract = List.copyOf(extract);
        }

        /** The variables its path, headers and body read. */
        public Set<String> variables() {
            Set<String> out = new LinkedHashSet<>(Template.parse(path).variables());
            headers.values().forEach(v -> out.addAll(Template.parse(v).variables()));
            if (body != null) {
                out.addAll(Template.parse(body).variables());
            }
            return out;
        }
    }

    /** A value of the answer saved as {@code variable}: a JSON path into the body, a header, or a regex's first group. */
    public record Extract(String variable, Source source, String expression) {
        public enum Source {
            JSON_PATH("jsonPath"), HEADER("header"), REGEX("regex");

            private final String key;

            Source(String key) {
                this.key = key;
            }

            /** The key that names it in a file. */
            public String key() {
                return key;
            }
        }
    }

    /**
     * The pause after a step: {@code fixed} ({@code min} = {@code max}), {@code uniform} between {@code min} and
     * {@code max}, or {@code exponential}: {@code min} plus an exponential draw of mean {@code mean - min}, cut at
     * {@code max} (users mostly act quickly, a few linger).
     */
    public record Think(Distribution distribution, Duration min, Duration max, Duration mean) {
        public enum Distribution { FIXED, UNIFORM, EXPONENTIAL }

        public static Think fixed(Duration d) {
            return new Think(Distribution.FIXED, d, d, d);
        }

        /** One pause. */
        public Duration sample(RandomGenerator random) {
            long lo = min.toNanos();
            long hi = max.toNanos();
            return switch (distribution) {
                case FIXED -> min;
                case UNIFORM -> Duration.ofNanos(hi <= lo ? lo : random.nextLong(lo, hi + 1));
                case EXPONENTIAL -> {
                    double scale = mean.toNanos() - lo;
                    double draw = -scale * Math.log(1 - random.nextDouble());
                    yield Duration.ofNanos((long) Math.min(hi, lo + draw));
                }
            };
        }
    }
}
