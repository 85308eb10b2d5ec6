package io.hivemind.core.control;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The retained tail of the event log: the last {@code retained} events, oldest first. Purging drops
 * whole entries' events (all events of one log index go together), so a reader that asks for events
 * from index {@link #firstRetainedIndex()} on gets every one, and a reader asking for older ones
 * knows it missed some.
 *
 * <p>Not thread-safe: part of {@link ControlState}, owned by its thread.
 */
final class EventLog {

  private final int retained;
  private final ArrayDeque<ControlEvent> events = new ArrayDeque<>();
  private long firstRetainedIndex;
  private List<ControlEvent> published = List.of();
  private boolean changed;

  EventLog(int retained, long firstRetainedIndex) {
    if (retained < 1) {
      throw new IllegalArgumentException("retained events must be at least 1: " + retained);
    }
    this.retained = retained;
    this.firstRetainedIndex = firstRetainedIndex;
  }

  /** Appends {@code event} (its index is at least every retained one's) and purges the oldest. */
  void append(ControlEvent event) {
    events.addLast(event);
    changed = true;
    while (events.size() > retained) {
      long purged = events.removeFirst().index();
      while (!events.isEmpty() && events.peekFirst().index() == purged) {
        events.removeFirst();
      }
      firstRetainedIndex = purged + 1;
    }
  }

  long firstRetainedIndex() {
    return firstRetainedIndex;
  }

  /** The retained events, oldest first; the same list until the next append. */
  List<ControlEvent> list() {
    if (changed) {
      published = List.copyOf(events);
      changed = false;
    }
    return published;
  }
}
