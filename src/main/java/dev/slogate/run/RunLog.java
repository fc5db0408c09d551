package dev.slogate.run;

import dev.slogate.timeline.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What a run tells as it goes: its timeline of events, the notes for its report, and the watchers
 * ({@link RunListener}) who hear it as it happens. Written from the run's threads (load, faults, probes).
 */
final class RunLog {
    /** The run's own lists: {@link ScalingTimeline} adds the autoscaler's notes straight to them, unheard. */
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

    void listen(RunListener listener) {
        listeners.add(listener);
    }

    /** Adds an event to the timeline and tells the watchers. */
    void record(Event e) {
        events.add(e);
        tell(l -> l.event(e));
    }

    /** Calls every watcher; one that throws is dropped with a note, never ends the run. */
    void tell(Consumer<RunListener> call) {
        for (RunListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                listeners.remove(l);
                notes.add("a run watcher (" + l.getClass().getSimpleName() + ") failed and was dropped: " + e);
            }
        }
    }

    void note(String note) {
        notes.add(note);
    }

    /** The events in time order (judging adds recoveries after the fact). */
    void sortEvents() {
        events.sort(Comparator.comparingLong(Event::atMillis));
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<String> notes() {
        synchronized (notes) {
            return List.copyOf(notes);
        }
    }
}
