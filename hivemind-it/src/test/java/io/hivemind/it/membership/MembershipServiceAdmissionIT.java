package io.hivemind.it.membership;

import static io.hivemind.it.membership.LoopbackNodes.awaitAllSee;
import static io.hivemind.it.membership.LoopbackNodes.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.membership.DropReason;
import io.hivemind.server.membership.JoinException;
import io.hivemind.server.membership.MembershipService;
import io.hivemind.server.membership.MembershipServiceConfig;
import io.hivemind.server.transport.GossipKeyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node with the wrong key, environment or cluster name is refused: it never appears in the
 * cluster's member lists, the refusal is counted, and the cluster carries on.
 */
class MembershipServiceAdmissionIT {

  private static final String KEY = GossipKeyring.generateKey();
  private static final Duration SHORT_JOIN = Duration.ofMillis(1500);

  private final LoopbackNodes nodes = new LoopbackNodes();
  private List<MembershipService> cluster;

  @BeforeEach
  void formCluster() {
    cluster = nodes.startCluster("member", 3, keyed());
  }

  @AfterEach
  void closeAll() {
    nodes.close();
  }

  private static UnaryOperator<MembershipServiceConfig.Builder> keyed() {
    return b -> b.keyring(GossipKeyring.of(KEY));
  }

  @Test
  void nodeWithAnotherKey_isRefusedAndCountedUnauthenticated() {
    MembershipService intruder =
        nodes.start("intruder", b -> b.keyring(GossipKeyring.of(GossipKeyring.generateKey())));

    assertJoinFails(intruder);

    await().until(() -> seed().transportStats().droppedUnauthenticated() > 0);
    assertNeverAdmitted(intruder);
  }

  @Test
  void nodeWithoutAKey_isRefusedAndCountedUnauthenticated() {
    MembershipService intruder = nodes.start("plaintext");

    assertJoinFails(intruder);

    await().until(() -> seed().transportStats().droppedUnauthenticated() > 0);
    assertNeverAdmitted(intruder);
  }

  @Test
  void nodeOfAnotherEnvironment_isRefusedAndCountedByTheCore() {
    MembershipService intruder =
        nodes.start(
            LoopbackNodes.config("staging-node", Environment.STAGING)
                .keyring(GossipKeyring.of(KEY))
                .build());

    assertJoinFails(intruder);

    await().until(() -> seed().counters().dropped(DropReason.WRONG_ENVIRONMENT) > 0);
    assertNeverAdmitted(intruder);
  }

  @Test
  void nodeOfAnotherCluster_isRefusedAndCountedByTheCore() {
    MembershipService intruder =
        nodes.start("other-cluster", b -> b.keyring(GossipKeyring.of(KEY)).cluster("elsewhere"));

    assertJoinFails(intruder);

    await().until(() -> seed().counters().dropped(DropReason.WRONG_CLUSTER) > 0);
    assertNeverAdmitted(intruder);
  }

  private MembershipService seed() {
    return cluster.get(0);
  }

  private void assertJoinFails(MembershipService intruder) {
    CompletableFuture<Void> joined = intruder.join(List.of(seed().advertisedAddress()), SHORT_JOIN);
    assertThat(joined)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(JoinException.class);
    assertThat(intruder.isJoined()).isFalse();
  }

  /** The intruder is in nobody's list, and a legitimate newcomer still gets in. */
  private void assertNeverAdmitted(MembershipService intruder) {
    for (MembershipService member : cluster) {
      assertThat(LoopbackNodes.stateOf(member, intruder.name())).isEmpty();
    }
    assertThat(intruder.members()).extracting(m -> m.name()).containsExactly(intruder.name());

    MembershipService newcomer = nodes.start("newcomer", keyed());
    newcomer.join(List.of(seed().advertisedAddress())).join();
    List<MembershipService> all = new ArrayList<>(cluster);
    all.add(newcomer);
    awaitAllSee(all, names(all), MemberState.ALIVE);
    for (MembershipService member : all) {
      assertThat(LoopbackNodes.stateOf(member, intruder.name())).isEmpty();
      assertThat(member.nodeErrors()).isZero();
    }
  }
}
