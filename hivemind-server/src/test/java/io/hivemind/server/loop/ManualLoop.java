package io.hivemind.server.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * A {@link DriverLoop} for tests, in virtual time: the thread that created it (the test's) is the
 * loop's thread, and tasks run only when that thread calls {@link #runPending}, {@link #advance} or
 * {@link #advanceUntil}, in the order of their due time and, at equal times, of their queuing. The
 * clock ({@link #nowMillis}) moves only there, so a component driven on it sees no wall clock and
 * no sleep: a test of minutes of protocol time runs in milliseconds and replays exactly.
 *
 * <p>Not thread-safe: every call comes from the test thread (the component's upcalls too, since
 * they run inside tasks).
 */
public final class ManualLoop implements DriverLoop {

  private final Thread owner = Thread.currentThread();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long nowMillis;
  private long sequence;
  private long tasksRun;
  private boolean shutDown;

  private final class Task implements Comparable<Task>, Scheduled {
    final long dueMillis;
    final long order = sequence++;
    final Runnable body;
    boolean cancelled;

    Task(long dueMillis, Runnable body) {
      this.dueMillis = dueMillis;
      this.body = body;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(dueMillis, other.dueMillis);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }

  /** The virtual time, in milliseconds since the loop was created. */
  public long nowMillis() {
    return nowMillis;
  }

  @Override
  public void execute(Runnable task) {
    schedule(task, 0);
  }

  @Override
  public Scheduled schedule(Runnable task, long delayMillis) {
    if (shutDown) {
      throw new RejectedExecutionException("manual loop is shut down");
    }
    Task scheduled = new Task(nowMillis + Math.max(0, delayMillis), task);
    queue.add(scheduled);
    return scheduled;
  }

  /** True on the test thread, which runs the tasks. */
  @Override
  public boolean inLoop() {
    return Thread.currentThread() == owner;
  }

  /** Runs every task due now, those they queue for now included; the clock does not move. */
  public void runPending() {
    advance(0);
  }

  /** Runs every task due within {@code millis} in time order, then sets the clock to the end. */
  public void advance(long millis) {
    long until = nowMillis + millis;
    while (runNextDueBy(until)) {
      // one task at a time, the clock at its due time
    }
    nowMillis = until;
  }

  /**
   * Runs tasks in time order until {@code condition} holds, checked before each task and at the
   * start.
   *
   * @throws AssertionError if it still does not hold after {@code maxMillis} of virtual time
   */
  public void advanceUntil(BooleanSupplier condition, long maxMillis) {
    long until = nowMillis + maxMillis;
    while (!condition.getAsBoolean()) {
      if (!runNextDueBy(until)) {
        nowMillis = until;
        if (!condition.getAsBoolean()) {
          throw new AssertionError("condition still false after " + maxMillis + " ms (virtual)");
        }
        return;
      }
    }
  }

  private boolean runNextDueBy(long until) {
    Task next = queue.peek();
    while (next != null && next.cancelled) {
      queue.poll();
      next = queue.peek();
    }
    if (next == null || next.dueMillis > until) {
      return false;
    }
    queue.poll();
    nowMillis = Math.max(nowMillis, next.dueMillis);
    tasksRun++;
    next.body.run();
    return true;
  }

  /** Tasks queued and not cancelled, due now or later. */
  public int queued() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  /** The due times of the queued tasks, soonest first. */
  public List<Long> dueTimes() {
    List<Long> times = new ArrayList<>();
    queue.stream().filter(t -> !t.cancelled).sorted().forEach(t -> times.add(t.dueMillis));
    return times;
  }

  /** Tasks run so far. */
  public long tasksRun() {
    return tasksRun;
  }

  /** Rejects every later task; queued ones never run. */
  public void shutDown() {
    shutDown = true;
    queue.clear();
  }
}
