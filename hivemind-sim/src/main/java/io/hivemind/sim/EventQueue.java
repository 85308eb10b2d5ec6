package io.hivemind.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The virtual clock and the queue of everything scheduled on it. Events run in order of time and,
 * at equal times, of scheduling, so a run depends only on what was scheduled: the basis of
 * same-seed-same-run.
 *
 * <p>Single-threaded: the thread that calls {@link #runUntil} runs every event.
 */
public final class EventQueue {

  private record Event(long atMillis, long sequence, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(atMillis, other.atMillis);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long nowMillis;
  private long nextSequence;
  private long executed;

  /** The virtual time, in milliseconds since the start of the run. */
  public long now() {
    return nowMillis;
  }

  /** Events run so far. */
  public long executed() {
    return executed;
  }

  /** Events waiting. */
  public int pending() {
    return queue.size();
  }

  /** Runs {@code action} at {@code atMillis}, which must not be in the past. */
  public void schedule(long atMillis, Runnable action) {
    if (atMillis < nowMillis) {
      throw new IllegalArgumentException(
          "cannot schedule at " + atMillis + " ms, before now (" + nowMillis + " ms)");
    }
    queue.add(new Event(atMillis, nextSequence++, action));
  }

  /** Runs {@code action} {@code delayMillis} from now. */
  public void after(long delayMillis, Runnable action) {
    schedule(nowMillis + delayMillis, action);
  }

  /** Runs every event up to and including {@code deadlineMillis}, then sets the clock to it. */
  public void runUntil(long deadlineMillis) {
    runUntil(() -> false, deadlineMillis);
  }

  /**
   * Runs events until {@code condition} holds (checked before the first event and after each one)
   * or the next event lies beyond {@code deadlineMillis}; in the second case the clock moves to the
   * deadline.
   *
   * @return whether the condition holds
   */
  public boolean runUntil(BooleanSupplier condition, long deadlineMillis) {
    while (!condition.getAsBoolean()) {
      Event next = queue.peek();
      if (next == null || next.atMillis > deadlineMillis) {
        nowMillis = Math.max(nowMillis, deadlineMillis);
        return condition.getAsBoolean();
      }
      queue.poll();
      nowMillis = next.atMillis;
      executed++;
      next.action.run();
    }
    return true;
  }
}
