package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.SeedResolver.Resolution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joins a service was asked for and that the node has not yet answered: their seeds resolved
 * off the loop, handed to the node, timed out, cancelled.
 *
 * <p>Owning thread: the node's loop. Seed lookups run on the {@link SeedResolver}'s executor and
 * come back through the loop; a future may be cancelled on any thread, and the cancellation is
 * carried out on the loop.
 *
 * <p>The core retries one seed set at a time, with back-off capped at {@code joinRetryMax}: each
 * {@code MembershipNode.join} replaces the seeds before it. This class keeps every join still
 * waiting (those whose caller stopped waiting at their timeout too: they keep retrying, as {@link
 * JoinException} promises), and gives the core the seeds of the newest one that has resolved.
 * Cancelling that one hands the core the seeds of the one before it, or, when none is left, no
 * seeds at all, which ends the core's retries. An exchange already on its way may still complete
 * the join; no new attempt is made.
 *
 * <p>Seeds that do not resolve are logged and looked up again with the same back-off as the core's
 * join retries, for as long as the join waits.
 */
final class Joins {

  private static final Logger log = LoggerFactory.getLogger(Joins.class);

  private final DriverLoop loop;
  private final NodeDriver driver;
  private final SeedResolver resolver;
  private final MembershipConfig membership;
  private final List<Join> waiting = new ArrayList<>();
  private Join inCore;

  Joins(DriverLoop loop, NodeDriver driver, SeedResolver resolver, MembershipConfig membership) {
    this.loop = loop;
    this.driver = driver;
    this.resolver = resolver;
    this.membership = membership;
  }

  /** One join a caller asked for. */
  private static final class Join {
    final List<Address> seeds;
    final Duration timeout;
    final CompletableFuture<Void> joined;
    List<Address> addresses = List.of();
    Map<Address, String> unresolved = Map.of();
    long lookUpBackoffMillis;
    DriverLoop.Scheduled timer;
    DriverLoop.Scheduled lookUpRetry;

    Join(List<Address> seeds, Duration timeout, CompletableFuture<Void> joined) {
      this.seeds = seeds;
      this.timeout = timeout;
      this.joined = joined;
    }

    void stopTimers() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      if (lookUpRetry != null) {
        lookUpRetry.cancel();
        lookUpRetry = null;
      }
    }
  }

  /**
   * Starts joining through {@code seeds}; {@code joined} completes at the node's next {@code
   * LOCAL_JOINED}, fails with a {@link JoinException} after {@code timeout} (null: never), and
   * cancelling it cancels the join.
   */
  void start(List<Address> seeds, Duration timeout, CompletableFuture<Void> joined) {
    if (joined.isDone()) {
      return; // Cancelled before the loop got to it.
    }
    Join join = new Join(seeds, timeout, joined);
    waiting.add(join);
    if (timeout != null) {
      join.timer = loop.schedule(() -> timedOut(join), timeout.toMillis());
    }
    joined.whenComplete((ok, failure) -> onCompletion(join, failure));
    lookUp(join);
  }

  // ---- resolution -----------------------------------------------------------------------------

  private void lookUp(Join join) {
    resolver.resolve(join.seeds, resolution -> onLoop(() -> resolved(join, resolution)));
  }

  private void resolved(Join join, Resolution resolution) {
    if (!waiting.contains(join)) {
      return; // Answered, cancelled or failed while the lookup ran.
    }
    join.unresolved = resolution.failures();
    if (!resolution.failures().isEmpty()) {
      retryLookUp(join);
    }
    Address self = driver.view().self().address();
    List<Address> others = resolution.addresses().stream().filter(a -> !a.equals(self)).toList();
    if (others.isEmpty() && resolution.failures().isEmpty()) {
      finish(join);
      join.joined.complete(null); // Only ourselves: a cluster of one, nobody else to ask.
    } else if (!others.isEmpty() && !others.equals(join.addresses)) {
      join.addresses = others;
      if (newestResolved() == join) {
        handToCore(join);
      }
    }
  }

  private void retryLookUp(Join join) {
    long delay = nextLookUpDelay(join);
    join.unresolved.forEach(
        (seed, reason) ->
            log.warn("cannot resolve seed {} ({}); trying again in {} ms", seed, reason, delay));
    join.lookUpRetry =
        loop.schedule(
            () -> {
              join.lookUpRetry = null;
              if (waiting.contains(join)) {
                lookUp(join);
              }
            },
            delay);
  }

  private long nextLookUpDelay(Join join) {
    long delay =
        join.lookUpBackoffMillis == 0
            ? membership.joinRetryInitial().toMillis()
            : join.lookUpBackoffMillis;
    join.lookUpBackoffMillis = Math.min(delay * 2, membership.joinRetryMax().toMillis());
    return delay;
  }

  // ---- the core's seed set --------------------------------------------------------------------

  private void handToCore(Join join) {
    inCore = join;
    try {
      driver.call(node -> run(() -> node.join(join.addresses, driver.now())));
    } catch (RuntimeException e) {
      finish(join);
      join.joined.completeExceptionally(e); // The node is leaving or left; it joins no more.
    }
  }

  /** The newest waiting join whose seeds resolved: the one the core should retry. */
  private Join newestResolved() {
    for (int i = waiting.size() - 1; i >= 0; i--) {
      if (!waiting.get(i).addresses.isEmpty()) {
        return waiting.get(i);
      }
    }
    return null;
  }

  private void cancelled(Join join) {
    if (!waiting.contains(join)) {
      return;
    }
    boolean wasInCore = inCore == join;
    finish(join);
    log.info("join through {} cancelled", join.seeds);
    if (!wasInCore) {
      return; // The core was not retrying these seeds.
    }
    Join previous = newestResolved();
    inCore = previous;
    List<Address> seeds = previous == null ? List.of() : previous.addresses;
    try {
      // No seeds ends the core's retries; an exchange already sent may still answer.
      driver.call(node -> run(() -> node.join(seeds, driver.now())));
    } catch (RuntimeException e) {
      log.debug("join through {} cancelled while the node stops: {}", join.seeds, e.toString());
    }
  }

  // ---- outcomes -------------------------------------------------------------------------------

  private void timedOut(Join join) {
    join.timer = null;
    // Still waiting: the core keeps retrying, and a later LOCAL_JOINED still reaches the listeners.
    join.joined.completeExceptionally(new JoinException(join.seeds, join.timeout, join.unresolved));
  }

  private void onCompletion(Join join, Throwable failure) {
    if (failure instanceof CancellationException) {
      onLoop(() -> cancelled(join));
    }
  }

  /**
   * Every waiting join succeeded: a seed answered (the dispatcher calls this first, on the loop).
   */
  void onEvent(MembershipEvent event) {
    if (event.type() != MembershipEvent.Type.LOCAL_JOINED) {
      return;
    }
    List<Join> answered = List.copyOf(waiting);
    answered.forEach(Join::stopTimers);
    waiting.clear();
    inCore = null;
    answered.forEach(join -> join.joined.complete(null));
  }

  /** Fails every waiting join (the service is closing); nothing is retried after this. */
  void failAll(Throwable cause) {
    List<Join> failed = List.copyOf(waiting);
    failed.forEach(Join::stopTimers);
    waiting.clear();
    inCore = null;
    failed.forEach(join -> join.joined.completeExceptionally(cause));
  }

  private void finish(Join join) {
    join.stopTimers();
    waiting.remove(join);
    if (inCore == join) {
      inCore = null;
    }
  }

  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closed) {
      // The loop is gone and the node with it: nothing left to stop or hand over.
    }
  }

  private static Void run(Runnable action) {
    action.run();
    return null;
  }
}
