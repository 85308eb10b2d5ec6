package io.hivemind.server.control;

import java.util.PriorityQueue;

/**
 * Tasks waiting until the replica has applied an index (a submit's result, a linearizable read, a
 * blocking query). Not thread-safe: owned by the follower's loop.
 */
final class AppliedWaiters {

  private record Waiter(long index, long order, Runnable task) {}

  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>(
          (a, b) ->
              a.index != b.index ? Long.compare(a.index, b.index) : Long.compare(a.order, b.order));
  private long order;

  /**
   * Runs {@code task} once {@code index} is applied; at once if {@code appliedIndex} reached it.
   */
  void whenApplied(long index, long appliedIndex, Runnable task) {
    if (index <= appliedIndex) {
      task.run();
    } else {
      waiters.add(new Waiter(index, order++, task));
    }
  }

  /** Runs every task whose index is now applied, lowest index first. */
  void applied(long appliedIndex) {
    while (!waiters.isEmpty() && waiters.peek().index <= appliedIndex) {
      waiters.poll().task.run();
    }
  }

  int size() {
    return waiters.size();
  }
}
