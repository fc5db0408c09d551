package dev.slogate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The one list of fault types: every {@link FaultKind} named in {@code META-INF/services/dev.slogate.experiment.FaultKind}
 * (in that order, which is the order files and messages list them in), plus any a test {@link #register}s. The readers,
 * the back ends and the reports look a type up here instead of switching on it.
 */
public final class FaultTypes {
    private static final Map<String, FaultKind> BUILT_IN = load();
    private static final Map<String, FaultKind> REGISTERED = new LinkedHashMap<>();

    private FaultTypes() {
    }

    private static Map<String, FaultKind> load() {
        Map<String, FaultKind> kinds = new LinkedHashMap<>();
        for (FaultKind k : ServiceLoader.load(FaultKind.class, FaultKind.class.getClassLoader())) {
            if (kinds.putIfAbsent(k.id(), k) != null) {
                throw new IllegalStateException("two fault types are named '" + k.id() + "': " + kinds.get(k.id()).getClass().getName()
                        + " and " + k.getClass().getName());
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalStateException("no fault types found: META-INF/services/" + FaultKind.class.getName() + " is missing from the classpath");
        }
        return kinds;
    }

    /** Every fault type, in registration order. */
    public static synchronized List<FaultKind> all() {
        List<FaultKind> out = new ArrayList<>(BUILT_IN.values());
        out.addAll(REGISTERED.values());
        return out;
    }

    /** The fault type named {@code id}, or null when there is none. */
    public static synchronized FaultKind find(String id) {
        FaultKind k = BUILT_IN.get(id);
        return k != null ? k : REGISTERED.get(id);
    }

    /** The kind of {@code type}; throws when no class is registered for it. */
    public static FaultKind of(FaultType type) {
        FaultKind k = find(type.id());
        if (k == null) {
            throw new IllegalArgumentException("unknown fault type '" + type.id() + "'");
        }
        return k;
    }

    /** Registers a fault type outside the service file (a test's own); closing the registration removes it again. */
    public static synchronized Registration register(FaultKind kind) {
        if (find(kind.id()) != null) {
            throw new IllegalArgumentException("a fault type named '" + kind.id() + "' is already registered");
        }
        REGISTERED.put(kind.id(), kind);
        return () -> {
            synchronized (FaultTypes.class) {
                REGISTERED.remove(kind.id());
            }
        };
    }

    /** A {@link #register}ed type, until closed. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
