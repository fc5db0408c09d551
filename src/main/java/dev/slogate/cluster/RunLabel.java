package dev.slogate.cluster;

import dev.slogate.experiment.KubernetesNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code slogate.io/run-id} label every cluster object slogate creates or marks carries, so {@code slogate cleanup}
 * finds a crashed run's leftovers by label. A run id is free text (the scenario's name is in it), a label value is not:
 * at most 63 characters, alphanumeric at both ends. {@link #value} is the one derivation used both to label and to
 * select, so cleanup always finds what the run labelled. A run id that is already a label value is used as it is.
 */
public final class RunLabel {
    public static final String KEY = "slogate.io/run-id";
    /** Where the full run id is kept when the label had to be changed (a different map from the labels, same key). */
    public static final String ANNOTATION = "slogate.io/run-id";
    /** "-" and 8 hex digits of the run id's SHA-256: keeps two long run ids that share 54 characters apart. */
    private static final int HASH_CHARS = 8;

    private RunLabel() {
    }

    /**
     * The label value for {@code runId}: the run id itself when it is a valid label value; otherwise its characters
     * outside {@code [A-Za-z0-9_.-]} replaced by '-', cut to 54 characters, trimmed to alphanumeric ends, then "-" and
     * a short hash of the whole run id. Deterministic, and always a valid label value.
     */
    public static String value(String runId) {
        if (KubernetesNames.isLabelValue(runId)) {
            return runId;
        }
        String clean = runId.replaceAll("[^A-Za-z0-9_.-]", "-");
        int keep = KubernetesNames.MAX_LABEL_LENGTH - HASH_CHARS - 1;
        clean = (clean.length() > keep ? clean.substring(0, keep) : clean).replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        String hash = hash(runId);
        return clean.isEmpty() ? hash : clean + "-" + hash;
    }

    /** Whether {@link #value} had to change {@code runId} (then objects also carry it in {@link #ANNOTATION}). */
    public static boolean changes(String runId) {
        return !value(runId).equals(runId);
    }

    private static String hash(String runId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
