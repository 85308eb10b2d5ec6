package io.hivemind.server.catalog;

import io.hivemind.server.loop.DriverLoop;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} view of a {@link DriverLoop}, so code written against the JDK
 * interface (replication, through {@link ReplicaHost#executor()}) runs on the loop that owns the
 * replica, real (the gossip loop) or manual (tests, in virtual time), without importing Netty.
 *
 * <p>The loop belongs to the agent: {@link #shutdown} only stops this view accepting tasks.
 * Periodic tasks are re-queued one period after each run ends (fixed delay, also for {@code
 * scheduleAtFixedRate}: a loop task that falls behind should not run back to back).
 *
 * <p>Thread-safe.
 */
final class LoopExecutor extends AbstractExecutorService implements ScheduledExecutorService {

  private final DriverLoop loop;
  private volatile boolean shutDown;

  LoopExecutor(DriverLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  @Override
  public void execute(Runnable command) {
    requireRunning();
    loop.execute(command);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return arm(new LoopTask<>(Executors.callable(command, null), 0), unit.toMillis(delay));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return arm(new LoopTask<>(callable, 0), unit.toMillis(delay));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    if (delay <= 0) {
      throw new IllegalArgumentException("a period must be positive: " + delay + " " + unit);
    }
    LoopTask<Object> task =
        new LoopTask<>(Executors.callable(command, null), Math.max(1, unit.toMillis(delay)));
    return arm(task, unit.toMillis(initialDelay));
  }

  private <V> LoopTask<V> arm(LoopTask<V> task, long delayMillis) {
    requireRunning();
    task.arm(delayMillis);
    return task;
  }

  private void requireRunning() {
    if (shutDown) {
      throw new RejectedExecutionException("this view of " + loop + " is shut down");
    }
  }

  @Override
  public void shutdown() {
    shutDown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutDown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutDown;
  }

  @Override
  public boolean isTerminated() {
    return shutDown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutDown;
  }

  /** A task queued on the loop; a periodic one re-queues itself after each run. */
  private final class LoopTask<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long periodMillis;
    private volatile long dueNanos;
    private volatile DriverLoop.Scheduled handle;

    LoopTask(Callable<V> callable, long periodMillis) {
      super(callable);
      this.periodMillis = periodMillis;
    }

    void arm(long delayMillis) {
      dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
      try {
        handle = loop.schedule(this, delayMillis);
      } catch (RejectedExecutionException e) {
        cancel(false);
        throw e;
      }
    }

    @Override
    public void run() {
      if (periodMillis == 0) {
        super.run();
      } else if (runAndReset() && !shutDown) {
        try {
          arm(periodMillis);
        } catch (RejectedExecutionException e) {
          // the loop closed with the agent: the periodic task ends here
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      DriverLoop.Scheduled scheduled = handle;
      if (scheduled != null) {
        scheduled.cancel();
      }
      return super.cancel(false);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
