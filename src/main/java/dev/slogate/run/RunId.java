package dev.slogate.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of a run. It names the report folder ({@code reports/<run-id>/}), the journal file and the Gatling folder,
 * and labels what the run creates in Kubernetes; so it is 1 to 63 letters, digits, '.', '_' or '-', starting and ending
 * with a letter or digit (a valid Kubernetes label value, never {@code .} or {@code ..}, never a path).
 */
public final class RunId {
    public static final int MAX_LENGTH = 63;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunId() {
    }

    /** What is wrong with {@code id} as a run id, or empty if it is valid. */
    public static Optional<String> problem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("--run-id is empty; give a name such as release-42");
        }
        if (VALID.matcher(id).matches()) {
            return Optional.empty();
        }
        String why = id.length() > MAX_LENGTH ? "is " + id.length() + " characters long, at most " + MAX_LENGTH + " are allowed"
                : !isAsciiAlnum(id.charAt(0)) ? "must start with a letter or digit"
                : !isAsciiAlnum(id.charAt(id.length() - 1)) ? "must end with a letter or digit"
                : "may only contain letters, digits, '.', '_' and '-'";
        return Optional.of("--run-id '" + id + "' " + why + " (it names the report folder reports/<run-id>/ and labels"
                + " what the run creates), e.g. release-42");
    }

    /** {@code id} if it is valid; else an IllegalArgumentException that says what is wrong. */
    public static String require(String id) {
        problem(id).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return id;
    }

    /** The default run id: UTC time, then the scenario name made valid (other characters become '_', cut to fit). */
    public static String generate(String scenarioName, Instant at) {
        return generate(scenarioName, "", at);
    }

    /** As {@link #generate(String, Instant)}, ending with {@code suffix} (e.g. {@code -capacity}), which is kept whole. */
    public static String generate(String scenarioName, String suffix, Instant at) {
        String stamp = STAMP.format(at);
        String name = scenarioName == null ? "" : scenarioName.replaceAll("[^A-Za-z0-9_.-]", "_");
        int room = MAX_LENGTH - stamp.length() - 1 - suffix.length();
        if (name.length() > room) {
            name = name.substring(0, Math.max(0, room));
        }
        String id = (stamp + "-" + name).replaceAll("[^A-Za-z0-9]+$", "") + suffix;
        return require(id);
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
