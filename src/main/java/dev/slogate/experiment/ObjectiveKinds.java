package dev.slogate.experiment;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registered objective kinds, in the order of their registration: every file
 * {@code META-INF/services/dev.slogate.experiment.ObjectiveKind} on the class path (slogate's own lists the built-in
 * kinds). Nothing else in slogate lists kinds.
 */
public final class ObjectiveKinds {
    private static final List<ObjectiveKind> ALL = load();

    private ObjectiveKinds() {
    }

    /** slogate's own kinds first (they come with this class), then the others, each in the order of their lists. */
    private static List<ObjectiveKind> load() {
        List<ObjectiveKind> own = new ArrayList<>();
        List<ObjectiveKind> added = new ArrayList<>();
        CodeSource home = ObjectiveKinds.class.getProtectionDomain().getCodeSource();
        for (ObjectiveKind k : ServiceLoader.load(ObjectiveKind.class, ObjectiveKinds.class.getClassLoader())) {
            boolean builtIn = home != null && home.equals(k.getClass().getProtectionDomain().getCodeSource());
            (builtIn ? own : added).add(k);
        }
        own.addAll(added);
        return List.copyOf(own);
    }

    public static List<ObjectiveKind> all() {
        return ALL;
    }

    /** The kind of an indicator. */
    public static ObjectiveKind of(SloDef.Indicator indicator) {
        for (ObjectiveKind k : ALL) {
            if (k.indicator().isInstance(indicator)) {
                return k;
            }
        }
        throw new IllegalStateException("no objective kind is registered for " + indicator.getClass().getName()
                + "; list its kind in META-INF/services/" + ObjectiveKind.class.getName());
    }

    /** The kind that reads {@code key} in an {@code Objectives} entry, or null. */
    static ObjectiveKind byKey(String key) {
        return ALL.stream().filter(k -> k.keys().contains(key)).findFirst().orElse(null);
    }

    /** Every key of an {@code Objectives} entry that selects a kind, in registration order. */
    static List<String> keys() {
        return ALL.stream().flatMap(k -> k.keys().stream()).toList();
    }
}
