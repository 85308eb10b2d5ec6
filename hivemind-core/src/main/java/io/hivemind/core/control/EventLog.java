package io.hivemind.core.control;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The retained tail of the event log: the last {@code retained} events, oldest first. Purging drops
 * whole entries' events (all events of one log index go together), so a reader that asks for events
 * from index {@link #firstRetainedIndex()} on gets every one, and a reader asking for older ones
 * knows it missed some.
 *
 * <p>The events sit in an append-only array: appending writes only past every published window's
 * end, and purging only moves the start, so {@link #list()} publishes a window over the array in
 * O(1) and the window never changes. When the array is full the live events move to a fresh one
 * (amortised O(1) an event; old windows keep the old array).
 *
 * <p>Not thread-safe: part of {@link ControlState}, owned by its thread. Published windows are
 * immutable and safe to share.
 */
final class EventLog {

  private final int retained;
  private ControlEvent[] events = new ControlEvent[16];
  private int start;
  private int end;
  private long firstRetainedIndex;
  private List<ControlEvent> published = List.of();

  EventLog(int retained, long firstRetainedIndex) {
    if (retained < 1) {
      throw new IllegalArgumentException("retained events must be at least 1: " + retained);
    }
    this.retained = retained;
    this.firstRetainedIndex = firstRetainedIndex;
  }

  /** Appends {@code event} (its index is at least every retained one's) and purges the oldest. */
  void append(ControlEvent event) {
    if (end == events.length) {
      ControlEvent[] fresh = new ControlEvent[Math.max(16, 2 * (end - start + 1))];
      System.arraycopy(events, start, fresh, 0, end - start);
      events = fresh;
      end -= start;
      start = 0;
    }
    events[end++] = event;
    published = null;
    while (end - start > retained) {
      long purged = events[start++].index();
      while (start < end && events[start].index() == purged) {
        start++;
      }
      firstRetainedIndex = purged + 1;
    }
  }

  long firstRetainedIndex() {
    return firstRetainedIndex;
  }

  /** The retained events, oldest first; the same list until the next append. */
  List<ControlEvent> list() {
    if (published == null) {
      published = new Window(events, start, end);
    }
    return published;
  }

  /** An immutable view of {@code events[from, to)}: nobody writes that part of the array again. */
  static final class Window extends AbstractList<ControlEvent> implements RandomAccess {
    private final ControlEvent[] events;
    private final int from;
    private final int to;

    Window(ControlEvent[] events, int from, int to) {
      this.events = events;
      this.from = from;
      this.to = to;
    }

    @Override
    public ControlEvent get(int index) {
      if (index < 0 || index >= to - from) {
        throw new IndexOutOfBoundsException("index " + index + " of " + (to - from) + " events");
      }
      return events[from + index];
    }

    @Override
    public int size() {
      return to - from;
    }

    @Override
    public Object[] toArray() {
      return Arrays.copyOfRange(events, from, to, Object[].class);
    }
  }
}
