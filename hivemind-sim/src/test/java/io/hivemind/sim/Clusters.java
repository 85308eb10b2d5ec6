package io.hivemind.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.core.membership.MembershipConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Builds and checks simulated clusters for tests; every failure names the seed. */
final class Clusters {

  /** Joins are spread over this long, as in {@link MembershipScenario}. */
  static final long JOIN_WINDOW_MILLIS = 5_000;

  private Clusters() {}

  /** A cluster of {@code nodes} hosts (LAN profile, 1-2 ms links), none started. */
  static SimCluster create(long seed, int nodes) {
    SimCluster cluster = new SimCluster(seed, MembershipConfig.lan());
    cluster.setLatency(Latency.between(1, 2));
    cluster.addNodes(nodes);
    return cluster;
  }

  /**
   * Starts node 0, joins the others at random instants within {@link #JOIN_WINDOW_MILLIS}, each
   * through a random one of the first three nodes, and runs until every node sees every other
   * ALIVE; fails (naming the seed) if that takes longer than {@code timeoutMillis}.
   */
  static void joinAll(SimCluster cluster, long timeoutMillis) {
    List<String> names = cluster.nodeNames();
    SplittableRandom random = cluster.newRandom();
    cluster.start(names.get(0));
    long[] offsets = new long[names.size() - 1];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = random.nextLong(JOIN_WINDOW_MILLIS + 1);
    }
    Arrays.sort(offsets); // Node i joins after the nodes before it, as in MembershipScenario.
    for (int i = 1; i < names.size(); i++) {
      String joiner = names.get(i);
      String seed = names.get(random.nextInt(Math.min(3, i)));
      cluster.schedule(cluster.now() + offsets[i - 1], () -> cluster.join(joiner, List.of(seed)));
    }
    cluster.runFor(JOIN_WINDOW_MILLIS);
    boolean converged = cluster.runUntil(cluster::viewsAgree, timeoutMillis);
    assertThat(converged)
        .as(
            "%s: %d nodes did not all see each other ALIVE within %d ms; e.g. %s",
            context(cluster), names.size(), timeoutMillis, cluster.disagreements(5))
        .isTrue();
    assertAgree(cluster);
  }

  /**
   * The invariant read from the member tables (every running node sees running hosts ALIVE, crashed
   * DEAD, left LEFT) holds, and matches what the nodes' events said.
   */
  static void assertAgree(SimCluster cluster) {
    assertThat(cluster.disagreements(10))
        .as("%s: member tables disagree", context(cluster))
        .isEmpty();
    assertThat(cluster.viewsAgree())
        .as("%s: member tables agree but the nodes' events say otherwise", context(cluster))
        .isTrue();
    assertThat(cluster.stuckTicks())
        .as("%s: ticks after which a node still had a deadline due", context(cluster))
        .isZero();
  }

  static String context(SimCluster cluster) {
    return "seed " + cluster.seed() + " at " + cluster.now() + " ms";
  }
}
