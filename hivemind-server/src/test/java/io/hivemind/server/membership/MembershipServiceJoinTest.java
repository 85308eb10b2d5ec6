package io.hivemind.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.server.loop.ManualLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Joins on a manual loop: cancelling one stops its retries (what the HTTP API does when its timeout
 * passes), and seeds given by host name are looked up off the loop, retried while they do not
 * resolve, and reach the node as IP addresses.
 */
class MembershipServiceJoinTest {

  /** The local profile's first join retry comes after 1 s, then 2 s, 4 s, ... */
  private static final long FIRST_RETRY_MILLIS = VirtualNodes.PROFILE.joinRetryInitial().toMillis();

  private final VirtualNodes nodes = new VirtualNodes();
  private final ManualLoop loop = nodes.loop();

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  // ---- cancellation ---------------------------------------------------------------------------

  @Test
  void cancel_joinThroughASeedThatNeverAnswers_noFurtherAttempts() {
    MembershipService node = nodes.start("node");
    Address nobody = nodes.nextAddress();
    CompletableFuture<Void> joined = node.joinUntilCancelled(List.of(nobody));
    loop.advance(10_000);
    int attempts = nodes.network.streamsOpenedTo(nobody);
    assertThat(attempts).as("attempts before the cancel").isGreaterThanOrEqualTo(3);

    assertThat(joined.cancel(false)).isTrue();
    loop.advance(Duration.ofMinutes(10).toMillis());

    assertThat(nodes.network.streamsOpenedTo(nobody)).isEqualTo(attempts);
    assertThat(node.isJoined()).isFalse();
    assertThat(node.nodeErrors()).isZero();
  }

  @Test
  void joinUntilCancelled_neverTimesOutByItself() {
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined = node.joinUntilCancelled(List.of(nodes.nextAddress()));
    loop.advance(Duration.ofMinutes(10).toMillis());

    assertThat(joined).isNotDone();
  }

  @Test
  void cancel_theNewestJoin_theNodeGoesBackToTheSeedsOfTheOneBefore() {
    MembershipService node = nodes.start("node");
    Address configured = new Address("10.0.1.1", VirtualNodes.PORT);
    Address typedByHand = new Address("10.0.1.2", VirtualNodes.PORT);
    CompletableFuture<Void> background = node.join(List.of(configured), Duration.ofSeconds(1));
    loop.advance(2_000); // timed out, still retrying in the background
    assertThat(background).isCompletedExceptionally();

    CompletableFuture<Void> byHand = node.joinUntilCancelled(List.of(typedByHand));
    loop.advance(10_000);
    int configuredAttempts = nodes.network.streamsOpenedTo(configured);
    byHand.cancel(false);
    int byHandAttempts = nodes.network.streamsOpenedTo(typedByHand);
    loop.advance(60_000);

    assertThat(nodes.network.streamsOpenedTo(typedByHand)).isEqualTo(byHandAttempts);
    assertThat(nodes.network.streamsOpenedTo(configured)).isGreaterThan(configuredAttempts);
  }

  @Test
  void cancel_anOlderJoin_leavesTheNewestRetrying() {
    MembershipService node = nodes.start("node");
    Address older = new Address("10.0.1.1", VirtualNodes.PORT);
    Address newer = new Address("10.0.1.2", VirtualNodes.PORT);
    CompletableFuture<Void> first = node.joinUntilCancelled(List.of(older));
    node.joinUntilCancelled(List.of(newer));
    loop.advance(1_000);

    first.cancel(false);
    int newerAttempts = nodes.network.streamsOpenedTo(newer);
    loop.advance(30_000);

    assertThat(nodes.network.streamsOpenedTo(newer)).isGreaterThan(newerAttempts);
  }

  @Test
  void cancel_afterTheJoinSucceeded_changesNothing() {
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");
    CompletableFuture<Void> joined = node.joinUntilCancelled(List.of(seed.advertisedAddress()));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joined.cancel(false)).isFalse();
    loop.advance(10_000);

    assertThat(joined).isCompleted();
    assertThat(node.isJoined()).isTrue();
    assertThat(VirtualNodes.stateOf(seed, "node")).contains(MemberState.ALIVE);
  }

  @Test
  void cancel_beforeTheLoopStartedTheJoin_nothingIsAttempted() {
    MembershipService node = nodes.start("node");
    Address nobody = nodes.nextAddress();

    node.joinUntilCancelled(List.of(nobody)).cancel(false);
    loop.advance(10_000);

    assertThat(nodes.network.streamsOpenedTo(nobody)).isZero();
  }

  // ---- seeds by host name ---------------------------------------------------------------------

  @Test
  void seedByName_isLookedUpOffTheLoop_andTheNodeGetsItsIp() {
    List<Runnable> resolverThread = new ArrayList<>();
    nodes.resolverExecutor(resolverThread::add);
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");
    nodes.dns.put("seed.example", VirtualNodes.ip("seed.example", seed.advertisedAddress().host()));

    CompletableFuture<Void> joined =
        node.join(List.of(new Address("seed.example", VirtualNodes.PORT)));
    loop.advance(3_000);

    // The loop ran on (probes, gossip, ticks) while the lookup waited on the resolver thread.
    assertThat(nodes.lookups).isEmpty();
    assertThat(resolverThread).hasSize(1);
    assertThat(joined).isNotDone();

    resolverThread.remove(0).run();
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(nodes.lookups).containsExactly("seed.example");
    assertThat(joined).isCompleted();
    assertThat(nodes.network.streamsOpenedTo(seed.advertisedAddress())).isPositive();
    assertThat(nodes.network.streamsOpenedTo(new Address("seed.example", VirtualNodes.PORT)))
        .isZero();
  }

  @Test
  void seedsThatAreIps_needNoLookup() {
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined = node.join(List.of(seed.advertisedAddress()));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joined).isCompleted();
    assertThat(nodes.lookups).isEmpty();
  }

  @Test
  void unresolvableSeed_isRetriedWithBackOff_namedInTheJoinException_andJoinsOnceItResolves() {
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");
    Address byName = new Address("late.example", VirtualNodes.PORT);

    CompletableFuture<Void> joined = node.join(List.of(byName), Duration.ofMillis(3_500));
    loop.advance(3_500);

    // Looked up at 0, then after 1 s and 2 s more: the core's join back-off.
    assertThat(FIRST_RETRY_MILLIS).isEqualTo(1_000);
    assertThat(nodes.lookups).containsExactly("late.example", "late.example", "late.example");
    assertThat(joined)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(JoinException.class)
        .withMessageContaining("Cannot resolve late.example:7946 (UnknownHostException:")
        .satisfies(e -> assertThat(((JoinException) e).unresolved()).containsOnlyKeys(byName));

    nodes.dns.put("late.example", VirtualNodes.ip("late.example", seed.advertisedAddress().host()));
    nodes.awaitAllSee(List.of(seed, node), List.of("seed", "node"), MemberState.ALIVE);
    assertThat(nodes.lookups).hasSize(4); // resolved at 3 + 4 = 7 s, and looked up no more
    loop.advance(60_000);
    assertThat(nodes.lookups).hasSize(4);
    assertThat(node.isJoined()).isTrue();
  }

  @Test
  void oneSeedUnresolvable_theOthersAreTriedAtOnce() {
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined =
        node.join(
            List.of(new Address("typo.example", VirtualNodes.PORT), seed.advertisedAddress()));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joined).isCompleted();
    assertThat(loop.nowMillis()).isLessThan(FIRST_RETRY_MILLIS);
  }

  @Test
  void cancel_whileTheSeedDoesNotResolve_stopsTheLookups() {
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined =
        node.joinUntilCancelled(List.of(new Address("nowhere.example", VirtualNodes.PORT)));
    loop.advance(4_000);
    int lookups = nodes.lookups.size();
    joined.cancel(false);
    loop.advance(Duration.ofMinutes(10).toMillis());

    assertThat(nodes.lookups).hasSize(lookups);
  }

  @Test
  void lookUpAnsweringAfterTheServiceClosed_isDropped() {
    List<Runnable> resolverThread = new ArrayList<>();
    nodes.resolverExecutor(resolverThread::add);
    MembershipService node = nodes.start("node");
    nodes.dns.put("seed.example", VirtualNodes.ip("seed.example", "10.0.0.9"));
    CompletableFuture<Void> joined =
        node.join(List.of(new Address("seed.example", VirtualNodes.PORT)));
    loop.runPending();

    node.close();
    resolverThread.forEach(Runnable::run);
    loop.advance(10_000);

    assertThat(joined).isCompletedExceptionally();
    assertThat(nodes.network.streamsOpenedTo(new Address("10.0.0.9", VirtualNodes.PORT))).isZero();
  }
}
