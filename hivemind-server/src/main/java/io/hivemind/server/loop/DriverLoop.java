package io.hivemind.server.loop;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one owning thread of a stateful component, which runs that component's tasks one at a time,
 * in the order they were queued: a membership node's driver today, the catalogue replica and the
 * control plane next. Whatever the component keeps is touched only from inside these tasks, so it
 * takes no locks.
 *
 * <p>The agent's loops are Netty event loops handed out by {@code
 * io.hivemind.server.transport.GossipLoops}: the transport registers its channels on the same loop,
 * so network upcalls reach the driver without a hop. Tests drive a component on a manual loop
 * instead, whose virtual clock moves only when the test says so. Nothing else in the server needs
 * to know which it is, so no package but the one that owns sockets imports Netty.
 *
 * <p>Contract for implementations: {@link #execute} and {@link #schedule} may be called from any
 * thread and never run the task inline; tasks due at the same time run in the order they were
 * given; once the loop is shut down both throw {@link RejectedExecutionException}.
 */
public interface DriverLoop extends Executor {

  /**
   * Queues {@code task} to run on the loop after the tasks already queued; never runs it inline,
   * even when called on the loop.
   *
   * @throws RejectedExecutionException if the loop is shut down
   */
  @Override
  void execute(Runnable task);

  /**
   * Runs {@code task} on the loop once {@code delayMillis} have passed (0 or less: as soon as
   * possible, after the tasks already queued).
   *
   * @return a handle that cancels the task if it has not started yet
   * @throws RejectedExecutionException if the loop is shut down
   */
  Scheduled schedule(Runnable task, long delayMillis);

  /** True when the calling thread is this loop's thread (so a task may touch its component). */
  boolean inLoop();

  /** A task {@link #schedule scheduled} on a loop. */
  @FunctionalInterface
  interface Scheduled {

    /** Keeps the task from running if it has not started; idempotent, from any thread. */
    void cancel();
  }
}
