package io.hivemind.core.membership;

import java.util.PriorityQueue;

/**
 * Deadlines of one node, ordered by time and then by scheduling order so that equal deadlines run
 * in a reproducible order. It never reads a clock: the driver passes {@code now} to {@link #runDue}
 * and asks {@link #nextDeadline} when to call again.
 *
 * <p>Owned by the node's thread. Cancelled timers stay queued until their deadline passes; that is
 * cheaper than removal and bounded by the number of timers scheduled per probe interval.
 */
final class TimerQueue {

  /** A scheduled action. */
  static final class Timer implements Comparable<Timer> {
    private final long deadlineMillis;
    private final long sequence;
    private final Runnable action;
    private boolean cancelled;

    private Timer(long deadlineMillis, long sequence, Runnable action) {
      this.deadlineMillis = deadlineMillis;
      this.sequence = sequence;
      this.action = action;
    }

    void cancel() {
      cancelled = true;
    }

    long deadlineMillis() {
      return deadlineMillis;
    }

    @Override
    public int compareTo(Timer other) {
      int byTime = Long.compare(deadlineMillis, other.deadlineMillis);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private final PriorityQueue<Timer> queue = new PriorityQueue<>();
  private long nextSequence;

  Timer schedule(long deadlineMillis, Runnable action) {
    Timer timer = new Timer(deadlineMillis, nextSequence++, action);
    queue.add(timer);
    return timer;
  }

  /** Runs every timer whose deadline is at or before {@code nowMillis}, in deadline order. */
  void runDue(long nowMillis) {
    Timer head;
    while ((head = queue.peek()) != null && head.deadlineMillis <= nowMillis) {
      queue.poll();
      if (!head.cancelled) {
        head.action.run();
      }
    }
  }

  /** The earliest live deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
  long nextDeadline() {
    Timer head;
    while ((head = queue.peek()) != null && head.cancelled) {
      queue.poll();
    }
    return head == null ? Long.MAX_VALUE : head.deadlineMillis;
  }

  void clear() {
    queue.clear();
  }
}
