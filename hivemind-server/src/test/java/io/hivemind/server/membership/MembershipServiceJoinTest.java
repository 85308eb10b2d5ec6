package io.hivemind.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.loop.ManualLoop;
import io.hivemind.server.membership.JoinException.Reason;
import io.hivemind.server.membership.JoinException.SeedFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Joins on a manual loop. A join asked for once says what became of each seed (refused, timed out,
 * closed without an answer, this node itself, unresolvable), ends as soon as every seed has failed
 * and is never retried; a join of the configured seeds retries for ever. Cancelling a join stops
 * its attempts (what the HTTP API does when its timeout passes), and seeds given by host name are
 * looked up off the loop, retried while they do not resolve, and reach the node as IP addresses.
 */
class MembershipServiceJoinTest {

  /** The local profile's first join retry comes after 1 s, then 2 s, 4 s, ... */
  private static final long FIRST_RETRY_MILLIS = VirtualNodes.PROFILE.joinRetryInitial().toMillis();

  /** The local profile's stream timeout: a silent seed's stream fails after it. */
  private static final long STREAM_TIMEOUT_MILLIS = VirtualNodes.PROFILE.streamTimeout().toMillis();

  private final VirtualNodes nodes = new VirtualNodes();
  private final ManualLoop loop = nodes.loop();

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  // ---- a join asked for once: say what happened, at once, and stop ---------------------------

  @Test
  void joinOnce_throughAPortNobodyListensOn_failsAtOnceAsRefused_andIsNotRetried() {
    MembershipService node = nodes.start("node");
    Address nobody = nodes.nextAddress();

    CompletableFuture<Void> joined = node.joinOnce(List.of(nobody));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(loop.nowMillis()).as("a refusal is known within a round trip").isLessThan(10);
    JoinException failure = joinFailure(joined);
    assertThat(failure.failures())
        .containsExactly(new SeedFailure(nobody, Reason.REFUSED, "Connection refused: /" + nobody));
    assertThat(failure.retrying()).isFalse();
    assertThat(failure)
        .hasMessage(
            "connection refused: nothing listens there (is the agent running, and is the port its"
                + " environment's gossip port?)");
    loop.advance(Duration.ofMinutes(10).toMillis());
    assertThat(nodes.network.streamsOpenedTo(nobody)).isEqualTo(1);
  }

  @Test
  void joinOnce_throughASilentSeed_timesOutAtTheStreamTimeout_andIsNotRetried() {
    MembershipService node = nodes.start("node");
    Address silent = nodes.nextAddress();
    nodes.network.silence(silent);

    CompletableFuture<Void> joined = node.joinOnce(List.of(silent), Duration.ofSeconds(30));
    loop.advanceUntil(joined::isDone, 60_000);

    assertThat(loop.nowMillis()).isEqualTo(STREAM_TIMEOUT_MILLIS + FakeNetwork.LATENCY_MILLIS);
    assertThat(joinFailure(joined).failures())
        .containsExactly(new SeedFailure(silent, Reason.TIMED_OUT, "5 s"));
    assertThat(joinFailure(joined))
        .hasMessage(
            "timed out: no answer within 5 s (check that the seed is up and reachable, and runs in"
                + " the same environment and cluster and with the same gossip key)");
    loop.advance(Duration.ofMinutes(10).toMillis());
    assertThat(nodes.network.streamsOpenedTo(silent)).isEqualTo(1);
  }

  @Test
  void joinOnce_shorterThanTheStreamTimeout_timesOutAtItsOwnTimeout() {
    MembershipService node = nodes.start("node");
    Address silent = nodes.nextAddress();
    nodes.network.silence(silent);

    CompletableFuture<Void> joined = node.joinOnce(List.of(silent), Duration.ofSeconds(2));
    loop.advanceUntil(joined::isDone, 60_000);

    assertThat(loop.nowMillis()).isEqualTo(2_000);
    assertThat(joinFailure(joined).failures())
        .containsExactly(new SeedFailure(silent, Reason.TIMED_OUT, "2 s"));
    loop.advance(Duration.ofMinutes(10).toMillis());
    assertThat(nodes.network.streamsOpenedTo(silent)).isEqualTo(1);
  }

  @Test
  void joinOnce_throughItsOwnAddress_saysThatIsThisAgent_withoutAsking() {
    MembershipService node = nodes.start("narcissus");

    CompletableFuture<Void> joined = node.joinOnce(List.of(node.advertisedAddress()));
    loop.runPending();

    JoinException failure = joinFailure(joined);
    assertThat(failure.onlySelf()).isTrue();
    assertThat(failure)
        .hasMessage("that is this agent (node narcissus) itself: join through another member");
    assertThat(nodes.network.streamsOpenedTo(node.advertisedAddress())).isZero();
  }

  @Test
  void joinOnce_throughAnotherAddressThatReachesThisNode_saysThatIsThisAgent_andDoesNotJoin() {
    MembershipService node = nodes.start("echo");
    Address alias = new Address("10.0.9.1", VirtualNodes.PORT);
    nodes.network.alias(alias, node.advertisedAddress());
    List<MembershipEvent> joinedEvents = new ArrayList<>();
    node.addListener(e -> recordIf(MembershipEvent.Type.LOCAL_JOINED, e, joinedEvents));

    CompletableFuture<Void> joined = node.joinOnce(List.of(alias));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(loop.nowMillis()).isLessThan(10);
    assertThat(joinFailure(joined).failures())
        .containsExactly(new SeedFailure(alias, Reason.SELF, "echo"));
    assertThat(joinFailure(joined).onlySelf()).isTrue();
    assertThat(node.isJoined()).isFalse();
    assertThat(joinedEvents).isEmpty();
    assertThat(node.members()).extracting(Member::name).containsExactly("echo");
    assertThat(node.counters().streamBytesReceived()).as("it never answered itself").isZero();
  }

  @Test
  void joinOnce_aConnectionThatReachesOnlyItself_isRefused_neverAnAnswer() {
    MembershipService node = nodes.start("node");
    Address free = new Address("127.0.0.1", 40_000);
    nodes.network.selfConnect(free);

    CompletableFuture<Void> joined = node.joinOnce(List.of(free));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joinFailure(joined).failures())
        .containsExactly(
            new SeedFailure(free, Reason.REFUSED, "the connection reached only itself"));
    assertThat(node.isJoined()).isFalse();
    assertThat(node.members()).extracting(Member::name).containsExactly("node");
  }

  @Test
  void joinOnce_throughASeedOfAnotherCluster_saysTheSeedClosedWithoutAnswering_atOnce() {
    MembershipService foreign = nodes.start("foreign", b -> b.cluster("elsewhere"));
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined = node.joinOnce(List.of(foreign.advertisedAddress()));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(loop.nowMillis()).isLessThan(10);
    assertThat(joinFailure(joined).failures())
        .extracting(SeedFailure::reason)
        .containsExactly(Reason.CLOSED);
    assertThat(joinFailure(joined))
        .hasMessageContaining("closed the connection without answering")
        .hasMessageContaining("another environment or cluster, with another gossip key");
    assertThat(foreign.counters().dropped(DropReason.WRONG_CLUSTER)).isEqualTo(1);
  }

  @Test
  void joinOnce_everySeedFails_endsWhenTheLastFails_namingEach() {
    MembershipService node = nodes.start("node");
    Address refusing = new Address("10.0.1.1", VirtualNodes.PORT);
    Address silent = new Address("10.0.1.2", VirtualNodes.PORT);
    nodes.network.silence(silent);

    CompletableFuture<Void> joined = node.joinOnce(List.of(refusing, silent));
    loop.advance(1_000);
    assertThat(joined).as("one seed may still answer").isNotDone();
    loop.advanceUntil(joined::isDone, 60_000);

    assertThat(joinFailure(joined).failures())
        .extracting(SeedFailure::seed, SeedFailure::reason)
        .containsExactly(tuple(refusing, Reason.REFUSED), tuple(silent, Reason.TIMED_OUT));
    assertThat(joinFailure(joined))
        .hasMessageStartingWith(
            "no seed let this agent join: 10.0.1.1:7946: connection refused: nothing listens")
        .hasMessageContaining("; 10.0.1.2:7946: timed out: no answer within 5 s");
  }

  @Test
  void joinOnce_oneSeedRefuses_anotherAnswers_joins() {
    MembershipService seed = nodes.start("seed");
    MembershipService node = nodes.start("node");

    CompletableFuture<Void> joined =
        node.joinOnce(List.of(nodes.nextAddress(), seed.advertisedAddress()));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joined).isCompleted();
    assertThat(node.isJoined()).isTrue();
  }

  @Test
  void joinOnce_anUnresolvableName_failsAtOnce_andIsNotLookedUpAgain() {
    MembershipService node = nodes.start("node");
    Address typo = new Address("typo.example", VirtualNodes.PORT);

    CompletableFuture<Void> joined = node.joinOnce(List.of(typo));
    loop.runPending();

    assertThat(joinFailure(joined).failures())
        .containsExactly(
            new SeedFailure(typo, Reason.UNRESOLVED, "UnknownHostException: typo.example"));
    assertThat(joinFailure(joined))
        .hasMessage("cannot resolve the host name (UnknownHostException: typo.example)");
    loop.advance(Duration.ofMinutes(10).toMillis());
    assertThat(nodes.lookups).containsExactly("typo.example");
  }

  @Test
  void joinOnce_whileTheConfiguredSeedsRetry_theyAreRetriedAgainAfterIt() {
    MembershipService node = nodes.start("node");
    Address configured = new Address("10.0.1.1", VirtualNodes.PORT);
    CompletableFuture<Void> background = node.join(List.of(configured), Duration.ofSeconds(1));
    loop.advance(2_000);
    assertThat(background).isCompletedExceptionally(); // timed out, still retrying

    CompletableFuture<Void> byHand = node.joinOnce(List.of(nodes.nextAddress()));
    loop.advanceUntil(byHand::isDone, 1_000);
    int configuredAttempts = nodes.network.streamsOpenedTo(configured);
    loop.advance(60_000);

    assertThat(byHand).isCompletedExceptionally();
    assertThat(nodes.network.streamsOpenedTo(configured)).isGreaterThan(configuredAttempts);
  }

  // ---- the configured seeds: retried for ever --------------------------------------------------

  @Test
  void configuredJoin_throughAPortNobodyListensOn_keepsRetryingWithBackOff_sayingWhy() {
    MembershipService node = nodes.start("node");
    Address nobody = nodes.nextAddress();

    CompletableFuture<Void> joined = node.join(List.of(nobody), Duration.ofSeconds(2));
    loop.advance(2_000);

    JoinException failure = joinFailure(joined);
    assertThat(failure.retrying()).isTrue();
    assertThat(failure)
        .hasMessage(
            "no seed answered within 2 s: connection refused: nothing listens there (is the agent"
                + " running, and is the port its environment's gossip port?). Still retrying in the"
                + " background, with back-off up to 5 min");
    int attempts = nodes.network.streamsOpenedTo(nobody);
    loop.advance(Duration.ofMinutes(10).toMillis());
    // Attempts at 0, 1, 3, 7, 15, 31, 63, 127, 255 and 511 s: the back-off doubles from 1 s.
    assertThat(nodes.network.streamsOpenedTo(nobody)).isEqualTo(attempts + 8);
  }

  @Test
  void configuredJoin_aSeedThatIsThisNodeThroughAnotherAddress_isDropped_aClusterOfOne() {
    MembershipService node = nodes.start("node");
    Address alias = new Address("10.0.9.1", VirtualNodes.PORT);
    nodes.network.alias(alias, node.advertisedAddress());

    CompletableFuture<Void> joined = node.join(List.of(alias));
    loop.advanceUntil(joined::isDone, 10_000);

    assertThat(joined).isCompleted();
    assertThat(node.isJoined()).isFalse(); // nobody answered: a cluster of one
    loop.advance(Duration.ofMinutes(10).toMillis());
    assertThat(nodes.network.streamsOpenedTo(alias)).isEqualTo(1);
  }

  @Test
  void configuredJoin_aSeedThatIsThisNode_amongOthers_theOthersAreAsked() {
    MembershipService node = nodes.start("node");
    Address alias = new Address("10.0.9.1", VirtualNodes.PORT);
    nodes.network.alias(alias, node.advertisedAddress());
    Address later = nodes.nextAddress();

    CompletableFuture<Void> joined = node.join(List.of(alias, later));
    loop.advance(3_000);
    MembershipService seed = nodes.start("seed"); // at `later`
    loop.advanceUntil(joined::isDone, 60_000);

    assertThat(node.isJoined()).isTrue();
    assertThat(VirtualNodes.stateOf(seed, "node")).contains(MemberState.ALIVE);
    assertThat(nodes.network.streamsOpenedTo(alias)).isEqualTo(1);
  }

  // ---- cancellation ---------------------------------------------------------------------------

  @Test
  void cancel_aConfiguredJoinThroughASeedThatNeverAnswers_noFurtherAttempts() {
    MembershipService node = nodes.start("node");
    Address nobody = nodes.nextAddress();
    CompletableFuture<Void> joined = node.join(List.of(nobody), Duration.ofHours(1));
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
  void cancel_aJoinAskedOnce_theNodeGoesBackToTheConfiguredSeeds() {
    MembershipService node = nodes.start("node");
    Address configured = new Address("10.0.1.1", VirtualNodes.PORT);
    Address typedByHand = new Address("10.0.1.2", VirtualNodes.PORT);
    nodes.network.silence(typedByHand);
    CompletableFuture<Void> background = node.join(List.of(configured), Duration.ofSeconds(1));
    loop.advance(2_000); // timed out, still retrying in the background
    assertThat(background).isCompletedExceptionally();

    CompletableFuture<Void> byHand = node.joinOnce(List.of(typedByHand));
    loop.advance(2_000);
    int configuredAttempts = nodes.network.streamsOpenedTo(configured);
    int byHandAttempts = nodes.network.streamsOpenedTo(typedByHand);
    byHand.cancel(false);
    loop.advance(60_000);

    assertThat(nodes.network.streamsOpenedTo(typedByHand)).isEqualTo(byHandAttempts);
    assertThat(nodes.network.streamsOpenedTo(configured)).isGreaterThan(configuredAttempts);
  }

  @Test
  void cancel_anOlderConfiguredJoin_leavesTheNewestRetrying() {
    MembershipService node = nodes.start("node");
    Address older = new Address("10.0.1.1", VirtualNodes.PORT);
    Address newer = new Address("10.0.1.2", VirtualNodes.PORT);
    CompletableFuture<Void> first = node.join(List.of(older), Duration.ofHours(1));
    node.join(List.of(newer), Duration.ofHours(1));
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
    CompletableFuture<Void> joined = node.joinOnce(List.of(seed.advertisedAddress()));
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

    node.joinOnce(List.of(nobody)).cancel(false);
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
        .withMessageContaining("cannot resolve the host name (UnknownHostException: late.example)")
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
        node.join(List.of(new Address("nowhere.example", VirtualNodes.PORT)), Duration.ofHours(1));
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

  private static JoinException joinFailure(CompletableFuture<Void> joined) {
    assertThat(joined).isCompletedExceptionally();
    try {
      joined.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(JoinException.class);
      return (JoinException) e.getCause();
    }
    throw new AssertionError("the join did not fail");
  }

  private static void recordIf(
      MembershipEvent.Type type, MembershipEvent event, List<MembershipEvent> into) {
    if (event.type() == type) {
      into.add(event);
    }
  }
}
