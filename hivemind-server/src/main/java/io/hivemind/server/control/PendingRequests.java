package io.hivemind.server.control;

import io.hivemind.server.loop.DriverLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Submits and reads sent to the gateway and not yet answered, by request id, each with its timeout.
 * Not thread-safe: owned by the follower's loop.
 */
final class PendingRequests {

  /** One request: what completes it when the gateway's answer arrives. */
  private record Pending(CompletableFuture<?> future, DriverLoop.Scheduled timeout) {}

  private final DriverLoop loop;
  private final long timeoutMillis;
  private final int max;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextId = 1;

  PendingRequests(DriverLoop loop, Duration timeout, int max) {
    this.loop = loop;
    this.timeoutMillis = timeout.toMillis();
    this.max = max;
  }

  /**
   * Registers {@code future} under a new id, failed with {@link NoQuorumException} unless answered
   * within the timeout.
   *
   * @throws RejectedExecutionException when too many requests are in flight
   */
  long add(CompletableFuture<?> future) {
    if (pending.size() >= max) {
      throw new RejectedExecutionException(
          max + " control-plane requests are in flight already; try again later");
    }
    long id = nextId++;
    DriverLoop.Scheduled timeout =
        loop.schedule(
            () ->
                fail(
                    id,
                    new NoQuorumException(
                        "the control gateway did not answer within " + timeoutMillis + " ms")),
            timeoutMillis);
    pending.put(id, new Pending(future, timeout));
    return id;
  }

  /** Removes request {@code id}: its future, or null when unknown (answered or timed out). */
  CompletableFuture<?> take(long id) {
    Pending taken = pending.remove(id);
    if (taken == null) {
      return null;
    }
    taken.timeout.cancel();
    return taken.future;
  }

  void fail(long id, RuntimeException cause) {
    CompletableFuture<?> future = take(id);
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }

  /** Fails every request, e.g. when the connection they were sent on is gone. */
  void failAll(Function<Long, RuntimeException> cause) {
    for (Long id : pending.keySet().toArray(Long[]::new)) {
      fail(id, cause.apply(id));
    }
  }

  int size() {
    return pending.size();
  }
}
