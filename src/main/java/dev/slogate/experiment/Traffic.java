package dev.slogate.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The client's requests an objective judges: all of them (no selection), or those of one request name, one group of
 * journey steps or one journey ({@code selector: {request: checkout}}, {@code {group: browse}}, {@code {journey: buyer}}).
 * {@code requests} are the request names it stands for, resolved against the scenario's load ({@link #resolve}); a
 * request selection stands for its own name even unresolved.
 */
public record Traffic(Kind kind, String name, Set<String> requests) {
    public enum Kind {
        REQUEST, GROUP, JOURNEY;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The keys of a selector that pick requests. */
    public static final List<String> KEYS = List.of("request", "group", "journey");

    public Traffic {
        requests = Set.copyOf(requests);
    }

    public static Traffic of(Kind kind, String name) {
        return new Traffic(kind, name, kind == Kind.REQUEST ? Set.of(name) : Set.of());
    }

    /** Whether requests of this name are selected. */
    public boolean matches(String request) {
        return requests.contains(request);
    }

    /** {@code request checkout}, for plans and messages. */
    @Override
    public String toString() {
        return kind.key() + " " + name;
    }

    /** The request names it stands for in {@code load}; null when the load has no such request, group or journey. */
    public Traffic resolve(Load load) {
        Set<String> names = new TreeSet<>();
        switch (kind) {
            case REQUEST -> {
                load.requests().forEach(r -> {
                    if (r.name().equals(name)) {
                        names.add(name);
                    }
                });
                load.journeys().forEach(j -> j.steps().forEach(s -> {
                    if (s.name().equals(name)) {
                        names.add(name);
                    }
                }));
            }
            case GROUP -> load.journeys().forEach(j -> j.steps().forEach(s -> {
                if (name.equals(s.group())) {
                    names.add(s.name());
                }
            }));
            case JOURNEY -> load.journeys().stream().filter(j -> j.name().equals(name))
                    .forEach(j -> j.steps().forEach(s -> names.add(s.name())));
        }
        return names.isEmpty() ? null : new Traffic(kind, name, names);
    }

    /** What {@code load} offers to select by {@code kind}, for an error message. */
    public static List<String> offered(Kind kind, Load load) {
        Set<String> out = new TreeSet<>();
        switch (kind) {
            case REQUEST -> {
                load.requests().forEach(r -> out.add(r.name()));
                load.journeys().forEach(j -> j.steps().forEach(s -> out.add(s.name())));
            }
            case GROUP -> load.journeys().forEach(j -> j.steps().forEach(s -> {
                if (s.group() != null) {
                    out.add(s.group());
                }
            }));
            case JOURNEY -> load.journeys().forEach(j -> out.add(j.name()));
        }
        return List.copyOf(out);
    }
}
