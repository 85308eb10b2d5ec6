package io.hivemind.it.membership;

import static io.hivemind.it.membership.LoopbackNodes.awaitAllSee;
import static io.hivemind.it.membership.LoopbackNodes.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.testkit.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Five services on loopback in one JVM: forming, a crash, a graceful leave and a restart. */
class MembershipServiceClusterIT {

  private final LoopbackNodes nodes = new LoopbackNodes();

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  @Test
  void fiveServices_joinedThroughOneSeed_allSeeFiveAlive() {
    List<MembershipService> cluster = nodes.startCluster("node", 5, b -> b);

    for (MembershipService node : cluster) {
      assertThat(node.isJoined() || node == cluster.get(0)).isTrue();
      assertThat(node.members()).hasSize(5);
      assertThat(node.self().state()).isEqualTo(MemberState.ALIVE);
      assertThat(node.nodeErrors()).isZero();
    }
    assertThat(cluster.get(0).transportStats().streamsAccepted()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void closedService_isDeclaredDeadByAllOthers() {
    List<MembershipService> cluster = nodes.startCluster("node", 5, b -> b);
    List<MembershipEvent> failures = new CopyOnWriteArrayList<>();
    cluster.get(0).addListener(e -> recordIf(MembershipEvent.Type.MEMBER_FAILED, e, failures));

    MembershipService crashed = cluster.get(3);
    crashed.close();

    List<MembershipService> survivors = new ArrayList<>(cluster);
    survivors.remove(crashed);
    awaitAllSee(survivors, List.of(crashed.name()), MemberState.DEAD);
    awaitAllSee(survivors, names(survivors), MemberState.ALIVE);
    assertThat(failures).extracting(e -> e.member().name()).contains(crashed.name());
    assertThat(crashed.state()).isEqualTo(MembershipService.State.CLOSED);
  }

  @Test
  void leavingService_isLeftEverywhere_andItsRestart_isAliveEverywhere() {
    List<MembershipService> cluster = nodes.startCluster("node", 5, b -> b);
    MembershipService leaver = cluster.get(2);

    leaver.leave().join();

    assertThat(leaver.hasLeft()).isTrue();
    List<MembershipService> stayers = new ArrayList<>(cluster);
    stayers.remove(leaver);
    awaitAllSee(stayers, List.of(leaver.name()), MemberState.LEFT);
    leaver.close();

    // A fresh port, as a restarted container gets a new address; it also keeps the test off a
    // port another process may have taken since (a shared CI machine did exactly that).
    MembershipService restarted = nodes.start(leaver.name());
    restarted.join(List.of(cluster.get(0).advertisedAddress())).join();

    stayers.add(restarted);
    awaitAllSee(stayers, names(stayers), MemberState.ALIVE);
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

    alone.join(List.of(alone.advertisedAddress())).join();

    assertThat(alone.members()).extracting(m -> m.name()).containsExactly("alone");
  }

  @Test
  void join_seedByHostName_lookedUpOffTheLoop_joins() {
    MembershipService seed = nodes.start("named-seed");
    MembershipService joiner = nodes.start("joiner");

    joiner.join(List.of(new Address("localhost", seed.advertisedAddress().port()))).join();

    awaitAllSee(List.of(seed, joiner), List.of("named-seed", "joiner"), MemberState.ALIVE);
  }

  @Test
  void join_withNoSeedListening_failsWithAHint() {
    MembershipService lonely = nodes.start("lonely");
    // Below the ephemeral range: a port an agent just closed there may be bound again at once by
    // another test on the machine, whose node then refuses us for another cluster.
    var address = new Address("127.0.0.1", FreePorts.tcpAndUdp());

    var joined = lonely.join(List.of(address), Duration.ofMillis(500));

    assertThat(joined)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(JoinException.class)
        .withMessageStartingWith("no seed answered within 500 ms: connection refused");
  }

  @Test
  void throwingListener_doesNotStopTheOthersOrTheNode() {
    MembershipService seed = nodes.start("seed");
    List<MembershipEvent> seen = new CopyOnWriteArrayList<>();
    seed.addListener(
        e -> {
          throw new IllegalStateException("listener bug");
        });
    seed.addListener(seen::add);

    List<MembershipService> cluster = new ArrayList<>(List.of(seed));
    for (int i = 0; i < 2; i++) {
      MembershipService node = nodes.start("other-" + i);
      node.join(List.of(seed.advertisedAddress())).join();
      cluster.add(node);
    }

    awaitAllSee(cluster, names(cluster), MemberState.ALIVE);
    assertThat(seen).filteredOn(e -> e.type() == MembershipEvent.Type.MEMBER_JOINED).hasSize(2);
    assertThat(seed.nodeErrors()).isZero();
  }

  @Test
  void close_isIdempotent_andLaterOperationsFail() {
    MembershipService node = nodes.start("closing");

    node.close();
    node.close();

    assertThat(node.state()).isEqualTo(MembershipService.State.CLOSED);
    assertThat(node.leave()).isCompletedExceptionally();
    assertThat(node.join(List.of())).isCompletedExceptionally();
    assertThat(node.members()).isNotEmpty(); // the last view stays readable
  }

  private static void recordIf(
      MembershipEvent.Type type, MembershipEvent event, List<MembershipEvent> into) {
    if (event.type() == type) {
      into.add(event);
    }
  }
}
