package io.hivemind.sim;

import static io.hivemind.sim.Clusters.assertAgree;
import static io.hivemind.sim.Clusters.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Distributed behaviours of the real membership core on the simulated network: joins, crashes,
 * loss, partitions, restarts and leaves. Fixed seeds; every assertion names its seed.
 */
class MembershipBehaviourTest {

  @Test
  void join_thousandNodes_everyoneKnowsEveryoneAlive() {
    SimCluster cluster = Clusters.create(1, 1_000);

    Clusters.joinAll(cluster, 60_000);

    assertThat(cluster.falsePositives().suspectEvents())
        .as("%s: suspicions of running nodes on a loss-free network", context(cluster))
        .isZero();
  }

  /**
   * Regression: 200 nodes joining through one seed in the same instant left a few (observer,
   * member) pairs unheard for minutes (infection-style gossip misses a few of 40,000 pairs, and the
   * push-pull is stretched with N). The catch-up exchange now repeats after a storm and an unknown
   * sender triggers a repair exchange.
   */
  @ParameterizedTest
  @ValueSource(longs = {2, 5, 6})
  void joinStorm_200NodesAtOnce_viewsAgreeWithinSeconds(long seed) {
    SimCluster cluster = new SimCluster(seed, MembershipConfig.local());
    List<String> names = cluster.addNodes(200);
    cluster.start(names.get(0));
    for (String joiner : names.subList(1, names.size())) {
      cluster.start(joiner);
      cluster.join(joiner, List.of(names.get(0)));
    }

    boolean agreed = cluster.runUntil(cluster::viewsAgree, 6_000);

    assertThat(agreed)
        .as("seed %d: views still differ after 6 s, e.g. %s", seed, cluster.disagreements(5))
        .isTrue();
  }

  /**
   * Regression: with every join inside 5 s, 500 nodes were already enough for the code before the
   * storm repair (2a3bf9c^) to leave a joiner unknown to some node for minutes: seed 2 never agreed
   * within 3 simulated minutes, seed 6 took 95 s (at 1,000 nodes, 3 seeds of 5 never agreed). The
   * second catch-up and the repair exchange close those gaps within seconds.
   */
  @ParameterizedTest
  @ValueSource(longs = {2, 6})
  void joinStorm_500NodesWithin5s_everyJoinerKnownByAllWithin10s(long seed) {
    MembershipReport report =
        MembershipScenario.builder()
            .nodes(500)
            .joinWindowMillis(5_000)
            .durationMillis(60_000)
            .seed(seed)
            .build()
            .run();

    MembershipReport.Join join = report.join();
    assertThat(join.converged())
        .as("seed %d: joiners known ALIVE by every node", seed)
        .isEqualTo(join.joiners());
    assertThat(join.convergence().maxMillis())
        .as("seed %d: slowest joiner, join -> known ALIVE by all (ms)", seed)
        .isLessThanOrEqualTo(10_000);
    assertThat(join.fullViewMillis()).as("seed %d: everyone saw everyone ALIVE", seed).isPresent();
    assertThat(report.viewsAgreeAtEnd()).as("seed %d: member tables at the end", seed).isTrue();
  }

  @Test
  void crash_oneNode_everyLiveNodeMarksItDead() {
    SimCluster cluster = Clusters.create(2, 200);
    Clusters.joinAll(cluster, 60_000);

    cluster.crash("node-0123");
    boolean detected = cluster.runUntil(() -> cluster.isDeadEverywhere("node-0123"), 60_000);

    assertThat(detected)
        .as(
            "%s: crashed node-0123 not DEAD everywhere; e.g. %s",
            context(cluster), cluster.disagreements(5))
        .isTrue();
    assertAgree(cluster);
    assertThat(cluster.falsePositives().deadEvents()).as(context(cluster)).isZero();
  }

  @Test
  void loss5Percent_threeMinutes_noRunningMemberMarkedDead() {
    SimCluster cluster = Clusters.create(3, 200);
    cluster.setLoss(0.05);
    Clusters.joinAll(cluster, 60_000);

    cluster.runFor(180_000);

    assertThat(cluster.falsePositives())
        .as("%s: running members marked DEAD at 5 %% loss", context(cluster))
        .extracting(FalsePositives::deadEvents)
        .isEqualTo(0L);
    assertAgree(cluster);
  }

  @Test
  void twoWayPartition_longEnoughForDeath_healsToOneAliveView() {
    SimCluster cluster = Clusters.create(4, 50);
    Clusters.joinAll(cluster, 60_000);
    List<String> left = cluster.nodeNames().subList(0, 25);
    List<String> right = cluster.nodeNames().subList(25, 50);

    cluster.partition(left);
    cluster.runFor(60_000);
    assertThat(sidesSeeEachOther(cluster, left, right, MemberState.DEAD))
        .as("%s: after 60 s apart, each side should see the other DEAD", context(cluster))
        .isTrue();
    cluster.heal();
    boolean healed = cluster.runUntil(cluster::viewsAgree, 120_000);

    assertThat(healed)
        .as(
            "%s: no single ALIVE view within 120 s of the heal; e.g. %s",
            context(cluster), cluster.disagreements(5))
        .isTrue();
    assertAgree(cluster);
  }

  private static boolean sidesSeeEachOther(
      SimCluster cluster, List<String> left, List<String> right, MemberState state) {
    for (String a : left) {
      for (String b : right) {
        if (!hasState(cluster, a, b, state) || !hasState(cluster, b, a, state)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean hasState(
      SimCluster cluster, String observer, String subject, MemberState state) {
    return cluster.member(observer, subject).map(Member::state).orElse(null) == state;
  }

  @Test
  void restart_afterDeclaredDead_refutesWithHigherIncarnationAndIsAliveEverywhere() {
    SimCluster cluster = Clusters.create(5, 50);
    Clusters.joinAll(cluster, 60_000);
    cluster.crash("node-0017");
    assertThat(cluster.runUntil(() -> cluster.isDeadEverywhere("node-0017"), 60_000))
        .as("%s: node-0017 never DEAD everywhere", context(cluster))
        .isTrue();
    long deadIncarnation = highestIncarnationSeen(cluster, "node-0017");

    cluster.restart("node-0017", List.of("node-0000"));
    boolean back = cluster.runUntil(cluster::viewsAgree, 60_000);

    assertThat(back)
        .as(
            "%s: restarted node-0017 not ALIVE everywhere; e.g. %s",
            context(cluster), cluster.disagreements(5))
        .isTrue();
    assertAgree(cluster);
    for (String observer : cluster.runningNodes()) {
      if (!observer.equals("node-0017")) {
        assertThat(cluster.member(observer, "node-0017").orElseThrow().incarnation())
            .as("%s: %s's record of the restarted node", context(cluster), observer)
            .isGreaterThan(deadIncarnation);
      }
    }
  }

  private static long highestIncarnationSeen(SimCluster cluster, String subject) {
    return cluster.runningNodes().stream()
        .mapToLong(o -> cluster.member(o, subject).map(Member::incarnation).orElse(0L))
        .max()
        .orElseThrow();
  }

  @Test
  void leave_graceful_seenAsLeftByAllAndNeverDead() {
    SimCluster cluster = Clusters.create(6, 50);
    Clusters.joinAll(cluster, 60_000);

    cluster.leave("node-0031");
    boolean left =
        cluster.runUntil(() -> !cluster.isRunning("node-0031") && cluster.viewsAgree(), 30_000);

    assertThat(left)
        .as(
            "%s: node-0031 not LEFT everywhere; e.g. %s",
            context(cluster), cluster.disagreements(5))
        .isTrue();
    assertAgree(cluster);
    assertThat(cluster.timesMarked("node-0031", MemberState.DEAD))
        .as("%s: times a node marked the leaver DEAD", context(cluster))
        .isZero();
    assertThat(cluster.timesMarked("node-0031", MemberState.LEFT)).isEqualTo(49);
  }

  @Test
  void oneWayBlock_aToBOnly_indirectProbesKeepBothAlive() {
    SimCluster cluster = Clusters.create(7, 20);
    Clusters.joinAll(cluster, 60_000);

    cluster.blockOneWay("node-0003", "node-0011");
    cluster.runFor(120_000);

    assertThat(cluster.falsePositives().deadEvents())
        .as("%s: a one-way block must not get anyone declared DEAD", context(cluster))
        .isZero();
    assertAgree(cluster);
  }

  /**
   * Lifeguard's claim (§IV-A): a slow node does not get healthy members declared DEAD. Others may
   * suspect the slow node itself; that is right, and not asserted here.
   */
  @Test
  void slowNode_oneSecondLate_noHealthyMemberMarkedDead() {
    SimCluster cluster = Clusters.create(8, 50);
    Clusters.joinAll(cluster, 60_000);

    cluster.setSlow("node-0042", 1_000);
    cluster.runFor(120_000);

    for (String member : cluster.nodeNames()) {
      if (!member.equals("node-0042")) {
        assertThat(cluster.timesMarked(member, MemberState.DEAD))
            .as("%s: healthy %s marked DEAD while node-0042 was slow", context(cluster), member)
            .isZero();
      }
    }
    cluster.setSlow("node-0042", 0);
    assertThat(cluster.runUntil(cluster::viewsAgree, 30_000)).as(context(cluster)).isTrue();
    assertAgree(cluster);
  }
}
