package io.hivemind.server.membership;

import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.loop.DriverLoop;
import io.hivemind.server.membership.JoinException.Reason;
import io.hivemind.server.membership.JoinException.SeedFailure;
import io.hivemind.server.membership.SeedResolver.Resolution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joins a service was asked for and that the node has not yet answered: their seeds resolved
 * off the loop, handed to the node, their failures explained, timed out, cancelled.
 *
 * <p>Owning thread: the node's loop. Seed lookups run on the {@link SeedResolver}'s executor and
 * come back through the loop; a future may be cancelled on any thread, and the cancellation is
 * carried out on the loop. Why a stream to a seed failed comes from the driver ({@link
 * StreamOutcomes}), after the node has had the failure.
 *
 * <p>Two kinds of join (issue "Hostile and careless users", item 9):
 *
 * <ul>
 *   <li>A join of the <b>configured seeds</b> (the agent's start-up) retries with back-off capped
 *       at {@code joinRetryMax} until a seed answers, however long that takes; its timeout only
 *       tells the caller that it has not reached the cluster yet ({@link
 *       JoinException#retrying()}). Seeds that do not resolve are looked up again with the same
 *       back-off. A seed that turns out to be this node is dropped from the set (a fleet's shared
 *       seed list names every node, this one included); with only itself left, the node is a
 *       cluster of one.
 *   <li>A join asked for <b>once</b> (a person, through the API or the CLI) tries each seed once
 *       and ends: at the first answer; as soon as every seed has failed (a refusal, this node
 *       itself, a seed that closes without answering, a name that does not resolve are all known at
 *       once); or at its timeout. Nothing is retried after it ends, so a typo is not retried for
 *       ever behind the user's back.
 * </ul>
 *
 * <p>The core retries one seed set at a time: each {@code MembershipNode.join} replaces the seeds
 * before it. A join asked for once is handed to the core as it resolves (its one attempt), a
 * configured join when it is the newest resolved. When a join ends without an answer, the core gets
 * the seeds of the newest configured join still waiting, or none at all, which ends its retries. An
 * exchange already on its way may still complete the join; no new attempt is made.
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
    final boolean once;
    final CompletableFuture<Void> joined;

    /** The resolved addresses handed to the core, without this node's own. */
    List<Address> addresses = List.of();

    /** Addresses that reached this node itself; a configured join asks them no more. */
    final Set<Address> selfAliases = new HashSet<>();

    /** What became of each seed so far, by resolved address (as given, when unresolved). */
    final Map<Address, SeedFailure> failures = new LinkedHashMap<>();

    long lookUpBackoffMillis;
    DriverLoop.Scheduled timer;
    DriverLoop.Scheduled lookUpRetry;

    Join(List<Address> seeds, Duration timeout, boolean once, CompletableFuture<Void> joined) {
      this.seeds = seeds;
      this.timeout = timeout;
      this.once = once;
      this.joined = joined;
    }

    boolean hasUnresolved() {
      return failures.values().stream().anyMatch(f -> f.reason() == Reason.UNRESOLVED);
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
   * LOCAL_JOINED} and fails with a {@link JoinException} when a join asked {@code once} ends
   * without an answer, or at {@code timeout}. Cancelling it cancels the join.
   */
  void start(List<Address> seeds, Duration timeout, boolean once, CompletableFuture<Void> joined) {
    if (joined.isDone()) {
      return; // Cancelled before the loop got to it.
    }
    Join join = new Join(seeds, timeout, once, joined);
    waiting.add(join);
    join.timer = loop.schedule(() -> timedOut(join), timeout.toMillis());
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
    join.failures.values().removeIf(f -> f.reason() == Reason.UNRESOLVED);
    resolution
        .failures()
        .forEach(
            (seed, why) -> join.failures.put(seed, new SeedFailure(seed, Reason.UNRESOLVED, why)));
    Address self = driver.view().self().address();
    List<Address> others =
        resolution.addresses().stream()
            .filter(a -> !a.equals(self) && !join.selfAliases.contains(a))
            .toList();
    if (join.once) {
      if (resolution.addresses().contains(self)) {
        join.failures.put(self, selfFailure(self));
      }
      resolvedOnce(join, others);
    } else {
      resolvedConfigured(join, others, !resolution.failures().isEmpty());
    }
  }

  private void resolvedOnce(Join join, List<Address> others) {
    if (others.isEmpty()) {
      fail(join); // Nothing left to ask: every seed is unresolvable or this node.
      return;
    }
    join.addresses = others;
    handToCore(join);
  }

  private void resolvedConfigured(Join join, List<Address> others, boolean someUnresolved) {
    if (someUnresolved) {
      retryLookUp(join);
    }
    if (others.isEmpty() && !someUnresolved) {
      finishAndRestore(join);
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
    join.failures.values().stream()
        .filter(f -> f.reason() == Reason.UNRESOLVED)
        .forEach(
            f ->
                log.warn(
                    "cannot resolve seed {} ({}); trying again in {} ms",
                    f.seed(),
                    f.detail(),
                    delay));
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

  /** The newest waiting join whose seeds resolved. */
  private Join newestResolved() {
    for (int i = waiting.size() - 1; i >= 0; i--) {
      if (!waiting.get(i).addresses.isEmpty()) {
        return waiting.get(i);
      }
    }
    return null;
  }

  /**
   * After a join ended without an answer: the core retries the newest configured join still
   * waiting, or nothing (a join asked for once is never handed over again: it had its attempt).
   */
  private void restoreCore() {
    Join previous = null;
    for (int i = waiting.size() - 1; i >= 0 && previous == null; i--) {
      Join candidate = waiting.get(i);
      previous = !candidate.once && !candidate.addresses.isEmpty() ? candidate : null;
    }
    inCore = previous;
    List<Address> seeds = previous == null ? List.of() : previous.addresses;
    try {
      // No seeds ends the core's retries; an exchange already sent may still answer.
      driver.call(node -> run(() -> node.join(seeds, driver.now())));
    } catch (RuntimeException e) {
      log.debug("the core's seeds not restored: the node stops ({})", e.toString());
    }
  }

  // ---- outcomes -------------------------------------------------------------------------------

  /** Why a stream to {@code failure.seed()} failed (the driver calls this on the loop). */
  void onStreamFailure(SeedFailure failure) {
    for (Join join : List.copyOf(waiting)) {
      if (join.addresses.contains(failure.seed())) {
        seedFailed(join, failure);
      }
    }
  }

  private void seedFailed(Join join, SeedFailure failure) {
    if (failure.reason() == Reason.SELF && !join.once) {
      dropSelfAlias(join, failure.seed());
      return;
    }
    join.failures.put(failure.seed(), failure);
    if (join.once && join.failures.keySet().containsAll(join.addresses)) {
      fail(join); // Every seed has failed: waiting out the timeout would change nothing.
    }
  }

  /** A configured seed that reached this node: ask the others only, or be a cluster of one. */
  private void dropSelfAlias(Join join, Address alias) {
    log.info("seed {} is this node itself; asking the other seeds only", alias);
    join.selfAliases.add(alias);
    join.addresses = join.addresses.stream().filter(a -> !a.equals(alias)).toList();
    if (join.addresses.isEmpty() && !join.hasUnresolved()) {
      finishAndRestore(join);
      join.joined.complete(null); // Only ourselves: a cluster of one, nobody else to ask.
    } else if (inCore == join) {
      handToCore(join);
    }
  }

  private void timedOut(Join join) {
    join.timer = null;
    Map<Address, SeedFailure> failures = new LinkedHashMap<>(join.failures);
    String waited = JoinException.text(join.timeout);
    for (Address address : join.addresses) {
      failures.putIfAbsent(address, new SeedFailure(address, Reason.TIMED_OUT, waited));
    }
    JoinException failure =
        new JoinException(
            join.seeds,
            List.copyOf(failures.values()),
            join.timeout,
            !join.once,
            membership.joinRetryMax());
    if (join.once) {
      finishAndRestore(join);
    }
    // A configured join stays waiting: the core keeps retrying, and a later LOCAL_JOINED still
    // reaches the listeners.
    join.joined.completeExceptionally(failure);
  }

  private void fail(Join join) {
    finishAndRestore(join);
    join.joined.completeExceptionally(
        new JoinException(
            join.seeds,
            List.copyOf(join.failures.values()),
            join.timeout,
            false,
            membership.joinRetryMax()));
  }

  private void onCompletion(Join join, Throwable failure) {
    if (failure instanceof CancellationException) {
      onLoop(() -> cancelled(join));
    }
  }

  private void cancelled(Join join) {
    if (waiting.contains(join)) {
      finishAndRestore(join);
      log.info("join through {} cancelled", join.seeds);
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

  /** Fails every waiting join (the node is leaving or closing); nothing is retried after this. */
  void failAll(Throwable cause) {
    List<Join> failed = List.copyOf(waiting);
    failed.forEach(Join::stopTimers);
    waiting.clear();
    inCore = null;
    failed.forEach(join -> join.joined.completeExceptionally(cause));
  }

  private void finishAndRestore(Join join) {
    boolean wasInCore = inCore == join;
    finish(join);
    if (wasInCore) {
      restoreCore();
    }
  }

  private void finish(Join join) {
    join.stopTimers();
    waiting.remove(join);
    if (inCore == join) {
      inCore = null;
    }
  }

  private SeedFailure selfFailure(Address self) {
    return new SeedFailure(self, Reason.SELF, driver.view().self().name());
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
