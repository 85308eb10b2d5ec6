package io.hivemind.server.membership;

import static io.hivemind.server.membership.VirtualNodes.names;
import static io.hivemind.server.membership.VirtualNodes.stateOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.loop.ManualLoop;
import io.hivemind.server.transport.GossipKeyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service on a manual loop over an in-memory network: forming, a crash, a graceful leave and a
 * restart, listeners, joins that time out, and closing. The same behaviours on real sockets are
 * hivemind-it's {@code MembershipServiceClusterIT}.
 */
class MembershipServiceTest {

  private final VirtualNodes nodes = new VirtualNodes();
  private final ManualLoop loop = nodes.loop();

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  @Test
  void fiveServices_joinedThroughOneSeed_allSeeFiveAlive() {
    List<MembershipService> cluster = nodes.startCluster("node", 5);

    for (MembershipService node : cluster) {
      assertThat(node.isJoined() || node == cluster.get(0)).isTrue();
      assertThat(node.members()).hasSize(5);
      assertThat(node.self().state()).isEqualTo(MemberState.ALIVE);
      assertThat(node.nodeErrors()).isZero();
    }
    assertThat(nodes.network.streamsOpenedTo(cluster.get(0).advertisedAddress()))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void closedService_isDeclaredDeadByAllOthers() {
    List<MembershipService> cluster = nodes.startCluster("node", 5);
    List<MembershipEvent> failures = new ArrayList<>();
    cluster.get(0).addListener(e -> recordIf(MembershipEvent.Type.MEMBER_FAILED, e, failures));

    MembershipService crashed = cluster.get(3);
    crashed.close();

    List<MembershipService> survivors = new ArrayList<>(cluster);
    survivors.remove(crashed);
    nodes.awaitAllSee(survivors, List.of(crashed.name()), MemberState.DEAD);
    nodes.awaitAllSee(survivors, names(survivors), MemberState.ALIVE);
    assertThat(failures).extracting(e -> e.member().name()).contains(crashed.name());
    assertThat(crashed.state()).isEqualTo(MembershipService.State.CLOSED);
  }

  @Test
  void leavingService_isLeftEverywhere_andItsRestart_isAliveEverywhere() {
    List<MembershipService> cluster = nodes.startCluster("node", 5);
    MembershipService leaver = cluster.get(2);

    CompletableFuture<Void> left = leaver.leave();
    loop.advanceUntil(left::isDone, 10_000);

    assertThat(left).isCompleted();
    assertThat(leaver.hasLeft()).isTrue();
    List<MembershipService> stayers = new ArrayList<>(cluster);
    stayers.remove(leaver);
    nodes.awaitAllSee(stayers, List.of(leaver.name()), MemberState.LEFT);
    leaver.close();

    MembershipService restarted = nodes.start(leaver.name()); // a new address, as a new container
    restarted.join(List.of(cluster.get(0).advertisedAddress()));
    stayers.add(restarted);
    nodes.awaitAllSee(stayers, names(stayers), MemberState.ALIVE);
    assertThat(restarted.self().incarnation()).isPositive(); // refuted its own LEFT
    for (MembershipService stayer : stayers) {
      assertThat(stayer.members())
          .filteredOn(m -> m.name().equals(leaver.name()))
          .extracting(Member::address)
          .containsExactly(restarted.advertisedAddress());
    }
  }

  @Test
  void join_withOnlyItselfAsSeed_completesAtOnce() {
    MembershipService alone = nodes.start("alone");

    CompletableFuture<Void> joined = alone.join(List.of(alone.advertisedAddress()));
    loop.runPending();

    assertThat(joined).isCompleted();
    assertThat(alone.members()).extracting(Member::name).containsExactly("alone");
  }

  @Test
  void join_noSeedAnswers_failsWithAHintAfterTheTimeout_andKeepsRetrying() {
    MembershipService lonely = nodes.start("lonely");
    Address nobody = nodes.nextAddress();
    List<MembershipEvent> joinedEvents = new ArrayList<>();
    lonely.addListener(e -> recordIf(MembershipEvent.Type.LOCAL_JOINED, e, joinedEvents));

    CompletableFuture<Void> joined = lonely.join(List.of(nobody), Duration.ofMillis(500));
    loop.advance(499);
    assertThat(joined).isNotDone();
    loop.advance(1);

    assertThat(joined)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(JoinException.class)
        .withMessageStartingWith("no seed answered within 500 ms: connection refused")
        .withMessageEndingWith("Still retrying in the background, with back-off up to 5 min");
    int attempts = nodes.network.streamsOpenedTo(nobody);
    loop.advance(30_000);
    assertThat(nodes.network.streamsOpenedTo(nobody)).isGreaterThan(attempts);

    MembershipService late = nodes.start("late"); // the seed comes up at last
    nodes.awaitAllSee(List.of(lonely, late), List.of("lonely", "late"), MemberState.ALIVE);
    assertThat(joinedEvents).hasSize(1);
  }

  @Test
  void throwingListener_doesNotStopTheOthersOrTheNode() {
    MembershipService seed = nodes.start("seed");
    List<MembershipEvent> seen = new ArrayList<>();
    seed.addListener(
        e -> {
          throw new IllegalStateException("listener bug");
        });
    seed.addListener(seen::add);

    List<MembershipService> cluster = new ArrayList<>(List.of(seed));
    for (int i = 0; i < 2; i++) {
      MembershipService node = nodes.start("other-" + i);
      node.join(List.of(seed.advertisedAddress()));
      cluster.add(node);
    }

    nodes.awaitAllSee(cluster, names(cluster), MemberState.ALIVE);
    assertThat(seen).filteredOn(e -> e.type() == MembershipEvent.Type.MEMBER_JOINED).hasSize(2);
    assertThat(seed.nodeErrors()).isZero();
  }

  @Test
  void listener_seesAViewAtLeastAsNewAsTheEvent() {
    MembershipService seed = nodes.start("seed");
    List<Boolean> viewHadTheMember = new ArrayList<>();
    seed.addListener(
        e -> {
          if (e.type() == MembershipEvent.Type.MEMBER_JOINED) {
            viewHadTheMember.add(stateOf(seed, e.member().name()).isPresent());
          }
        });

    nodes.start("other").join(List.of(seed.advertisedAddress()));
    loop.advanceUntil(() -> !viewHadTheMember.isEmpty(), 10_000);

    assertThat(viewHadTheMember).containsExactly(true);
  }

  @Test
  void setKeyring_reachesTheTransport() {
    MembershipService node = nodes.start("keyed");
    GossipKeyring keyring = GossipKeyring.of(GossipKeyring.generateKey());

    node.setKeyring(keyring);

    assertThat(nodes.network.at(node.advertisedAddress()).keyring).isSameAs(keyring);
  }

  @Test
  void close_isIdempotent_failsPendingJoins_andLaterOperationsFail() {
    MembershipService node = nodes.start("closing");
    CompletableFuture<Void> pending = node.join(List.of(nodes.nextAddress()));
    loop.advance(100);

    node.close();
    node.close();

    assertThat(node.state()).isEqualTo(MembershipService.State.CLOSED);
    assertThat(pending).isCompletedExceptionally();
    assertThat(node.leave()).isCompletedExceptionally();
    assertThat(node.join(List.of())).isCompletedExceptionally();
    assertThat(node.members()).isNotEmpty(); // the last view stays readable
    assertThat(nodes.network.at(node.advertisedAddress())).isNull(); // its sockets are gone
  }

  // ---- leaving is the end of a node's life ----------------------------------------------------

  @Test
  void leave_refusesEveryLaterJoinOrChange_whileLeavingAndOnceLeft() {
    List<MembershipService> cluster = nodes.startCluster("node", 3);
    MembershipService leaver = cluster.get(2);

    CompletableFuture<Void> left = leaver.leave();
    assertThat(leaver.state()).isEqualTo(MembershipService.State.LEAVING);
    assertRefusedAsLeft(leaver.joinOnce(List.of(cluster.get(0).advertisedAddress())));
    assertRefusedAsLeft(leaver.join(List.of(cluster.get(0).advertisedAddress())));
    assertRefusedAsLeft(leaver.updateMeta(Set.of("host"), Map.of(), ""));
    loop.advanceUntil(left::isDone, 10_000);

    assertThat(leaver.state()).isEqualTo(MembershipService.State.LEFT);
    assertRefusedAsLeft(leaver.joinOnce(List.of(cluster.get(0).advertisedAddress())));
    loop.advance(10_000);
    assertThat(leaver.self().state()).isEqualTo(MemberState.LEFT);
    assertThat(stateOf(cluster.get(0), leaver.name())).contains(MemberState.LEFT);
    assertThat(leaver.members()).hasSize(3); // the last view stays readable
  }

  @Test
  void leave_failsAJoinStillWaiting_asLeft() {
    MembershipService node = nodes.start("node");
    CompletableFuture<Void> waiting = node.join(List.of(nodes.nextAddress()), Duration.ofHours(1));
    loop.advance(100);

    node.leave();
    loop.runPending();

    assertRefusedAsLeft(waiting);
  }

  @Test
  void leave_again_completesToo_evenAfterClose() {
    MembershipService node = nodes.start("node");
    CompletableFuture<Void> first = node.leave();
    CompletableFuture<Void> second = node.leave();
    loop.runPending();

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    node.close();
    assertThat(node.leave()).isCompleted();
  }

  private static void assertRefusedAsLeft(CompletableFuture<Void> operation) {
    assertThat(operation)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(NodeLeftException.class)
        .withMessageContaining("has left the cluster");
  }

  private static void recordIf(
      MembershipEvent.Type type, MembershipEvent event, List<MembershipEvent> into) {
    if (event.type() == type) {
      into.add(event);
    }
  }
}
