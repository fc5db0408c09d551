package dev.slogate.load;

import java.util.List;

/**
 * What a run drives its load through: Gatling in this JVM ({@link LoadRunner}) or a fleet of injector processes
 * ({@code load.fleet.Fleet}). {@link #run} blocks until the load ends; {@link #stop} ends it from any thread.
 */
public interface LoadDriver {
    LoadResult run(LoadPlan plan, ClientTimeline timeline);

    void stop(String reason);

    /** Lines for the report about how the load was generated (e.g. what each injector achieved); none by default. */
    default List<String> notes() {
        return List.of();
    }
}
