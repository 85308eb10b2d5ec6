package io.hivemind.it.membership;

import static io.hivemind.it.membership.LoopbackNodes.awaitAllSee;
import static io.hivemind.it.membership.LoopbackNodes.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.transport.GossipKeyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotating the gossip key on a running cluster keeps it converged. */
class KeyRotationIT {

  private static final String K1 = GossipKeyring.generateKey();
  private static final String K2 = GossipKeyring.generateKey();

  private final LoopbackNodes nodes = new LoopbackNodes();
  private final List<MembershipEvent> failures = new CopyOnWriteArrayList<>();
  private List<MembershipService> cluster;

  @BeforeEach
  void formClusterOnK1() {
    cluster = nodes.startCluster("node", 3, b -> b.keyring(GossipKeyring.of(K1)));
    for (MembershipService node : cluster) {
      node.addListener(
          e -> {
            if (e.type() == MembershipEvent.Type.MEMBER_FAILED) {
              failures.add(e);
            }
          });
    }
  }

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  @Test
  void rotation_installUseRemove_losesNoPacket() {
    rotateTo(GossipKeyring.of(K1, K2)); // install k2 everywhere
    rotateTo(GossipKeyring.of(K2, K1)); // encrypt with k2
    rotateTo(GossipKeyring.of(K2)); // retire k1

    for (MembershipService node : cluster) {
      assertThat(node.transportStats().droppedUnauthenticated()).as(node.name()).isZero();
    }
    assertOnlyK2IsAccepted();
  }

  @Test
  void rotation_switchingPrimaryInOneStep_staysConverged() {
    rotateTo(GossipKeyring.of(K2, K1));
    rotateTo(GossipKeyring.of(K2));

    assertOnlyK2IsAccepted();
  }

  /** Swaps the keyring on every node, then lets traffic flow and checks nobody was lost. */
  private void rotateTo(GossipKeyring keyring) {
    cluster.forEach(node -> node.setKeyring(keyring));
    awaitTraffic();
    awaitAllSee(cluster, names(cluster), MemberState.ALIVE);
    assertThat(failures).isEmpty();
  }

  /** Every node receives a few more packets (probes, acks, gossip) under the current keys. */
  private void awaitTraffic() {
    List<Long> before = cluster.stream().map(n -> n.transportStats().packetsReceived()).toList();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (int i = 0; i < cluster.size(); i++) {
                if (cluster.get(i).transportStats().packetsReceived() < before.get(i) + 3) {
                  return false;
                }
              }
              return true;
            });
  }

  private void assertOnlyK2IsAccepted() {
    var seed = List.of(cluster.get(0).advertisedAddress());
    MembershipService stale = nodes.start("stale", b -> b.keyring(GossipKeyring.of(K1)));
    assertThat(stale.join(seed, Duration.ofMillis(1500)))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(Exception.class)
        .withCauseInstanceOf(JoinException.class);

    MembershipService fresh = nodes.start("fresh", b -> b.keyring(GossipKeyring.of(K2)));
    fresh.join(seed).join();
    List<MembershipService> all = new ArrayList<>(cluster);
    all.add(fresh);
    awaitAllSee(all, names(all), MemberState.ALIVE);
    assertThat(LoopbackNodes.stateOf(cluster.get(1), "stale")).isEmpty();
  }
}
