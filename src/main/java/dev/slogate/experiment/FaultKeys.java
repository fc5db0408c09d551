package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;

/**
 * The keys of one fault spec, as a {@link FaultKind} reads its own: each accessor reports a problem at the line and
 * column of the key (or of the spec, for a missing one) and returns null, so a file's every problem is listed at once.
 */
public final class FaultKeys {
    private final YamlReader reader;
    private final Fields fields;

    FaultKeys(YamlReader reader, Fields fields) {
        this.reader = reader;
        this.fields = fields;
    }

    public boolean has(String key) {
        return fields.has(key);
    }

    /** The key's path for messages, e.g. {@code spec.reason}. */
    public String path(String key) {
        return fields.path(key);
    }

    public String text(String key, String orElse) {
        return fields.text(key, orElse);
    }

    public String requireText(String key, String hint) {
        return fields.requireText(key, hint);
    }

    public Integer integer(String key, Integer orElse, int min, int max) {
        return fields.integer(key, orElse, min, max);
    }

    public Duration duration(String key, Duration orElse, boolean allowZero) {
        return fields.duration(key, orElse, allowZero);
    }

    /** Reports a problem at the key's value (or at the spec when the key is absent). */
    public void problem(String key, String message, String hint) {
        YamlNode at = fields.get(key);
        reader.problem(at != null ? at : fields.node(), message, hint);
    }
}
