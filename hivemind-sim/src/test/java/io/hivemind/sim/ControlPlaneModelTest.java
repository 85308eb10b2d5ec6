package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.MembershipConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control-plane model on hand-made situations: who is removed, who is kept. */
class ControlPlaneModelTest {

  private static final int NODES = 12;

  private static SimCluster cluster(long seed) {
    MembershipConfig config =
        MembershipConfig.lan().toBuilder()
            .confirmationProbes(ControlModel.DEFAULT_CONFIRMATION_PROBES)
            .build();
    SimCluster cluster = new SimCluster(seed, config);
    cluster.setLatency(Latency.between(1, 2));
    cluster.addNodes(NODES);
    return cluster;
  }

  private static ControlPlaneModel attach(SimCluster cluster) {
    ControlPlaneModel model = new ControlPlaneModel(cluster, ControlModel.DEFAULT);
    model.admitAll();
    cluster.addEventListener(model);
    return model;
  }

  /**
   * A node cut off from everyone suspects every member it probes, and everyone suspects it. It is
   * the only observer of the others' "failures", so they stay; it is removed by agreement.
   */
  @Test
  void isolatedNode_suspectsEveryoneAlone_onlyItIsRemoved() {
    for (long seed = 1; seed <= 3; seed++) {
      SimCluster cluster = cluster(seed);
      ControlPlaneModel model = attach(cluster);
      Clusters.joinAll(cluster, 30_000);
      String isolated = cluster.nodeNames().get(5);

      cluster.partition(List.of(isolated));
      cluster.runFor(60_000);

      assertThat(model.removed()).as("seed %d", seed).containsExactly(isolated);
      for (String other : cluster.nodeNames()) {
        if (!other.equals(isolated)) {
          assertThat(cluster.member(other, isolated).orElseThrow().state())
              .as("seed %d: %s applied the removal", seed, other)
              .isIn(MemberState.DEAD, MemberState.ALIVE, MemberState.SUSPECT);
        }
      }
    }
  }

  @Test
  void crashedNode_removedSoonerThanGossipDeclaresItDeadEverywhere() {
    for (long seed = 1; seed <= 3; seed++) {
      SimCluster cluster = cluster(seed);
      ControlPlaneModel model = attach(cluster);
      Clusters.joinAll(cluster, 30_000);
      String victim = cluster.nodeNames().get(3);
      long crashAt = cluster.now();

      cluster.crash(victim);
      cluster.runUntil(() -> model.removedAtMillis(victim).isPresent(), 30_000);
      long removedAfter = model.removedAtMillis(victim).orElseThrow() - crashAt;
      cluster.runFor(500);

      assertThat(removedAfter).as("seed %d: crash -> committed removal", seed).isLessThan(6_000);
      assertThat(model.removed()).as("seed %d", seed).containsExactly(victim);
      for (String other : cluster.runningNodes()) {
        assertThat(cluster.member(other, victim).orElseThrow().state())
            .as("seed %d: %s has the removed node DEAD", seed, other)
            .isEqualTo(MemberState.DEAD);
      }
    }
  }

  @Test
  void healthyCluster_withLoss_removesNobody() {
    SimCluster cluster = cluster(9);
    ControlPlaneModel model = attach(cluster);
    cluster.setLoss(0.10);
    Clusters.joinAll(cluster, 60_000);

    cluster.runFor(120_000);

    assertThat(model.removed()).as("seed 9 at 10%% loss").isEmpty();
  }
}
