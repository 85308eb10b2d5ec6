package io.hivemind.sim;

import static io.hivemind.sim.Clusters.assertAgree;
import static io.hivemind.sim.Clusters.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Forged plaintext gossip injected into running simulated clusters (the hostile-input issue): no
 * datagram may leave a live member unable to refute, nor stop failure detection.
 */
class HostileGossipTest {

  private static final String VICTIM = "node-0005";
  private static final String FORGER_NAME = "node-0003";

  /**
   * Regression: one Suspect at 2^63−1 about a live node made every member mark it DEAD at an
   * incarnation it could not outrank, for the 24 h of the reap timeout. Forged Suspects and Deads
   * at 2^63−1 and at the known incarnation + 2^20, sent to every node, leave it ALIVE everywhere.
   */
  @Test
  void forgedSuspectAndDeadAtAbsurdIncarnations_victimStaysAliveEverywhere() {
    SimCluster cluster = Clusters.create(11, 20);
    Clusters.joinAll(cluster, 60_000);
    long known = cluster.member("node-0000", VICTIM).orElseThrow().incarnation();
    Address forger = cluster.address(FORGER_NAME);

    for (String to : cluster.nodeNames()) {
      for (long incarnation : new long[] {Long.MAX_VALUE, known + (1L << 20), -1}) {
        cluster.injectPacket(to, forger, WireForger.suspect(FORGER_NAME, VICTIM, incarnation));
        cluster.injectPacket(to, forger, WireForger.dead(FORGER_NAME, VICTIM, incarnation));
      }
    }
    cluster.runFor(30_000);

    assertThat(cluster.timesMarked(VICTIM, MemberState.DEAD)).as(context(cluster)).isZero();
    assertThat(cluster.timesMarked(VICTIM, MemberState.SUSPECT)).as(context(cluster)).isZero();
    assertThat(cluster.isKnownAliveByAll(VICTIM)).as(context(cluster)).isTrue();
    for (String observer : cluster.nodeNames()) {
      Member seen = cluster.member(observer, VICTIM).orElseThrow();
      assertThat(seen.incarnation()).as("%s: %s", context(cluster), observer).isEqualTo(known);
      assertThat(cluster.node(observer).stats().dropped(DropReason.INVALID))
          .as("%s: %s", context(cluster), observer)
          .isEqualTo(4);
      assertThat(cluster.node(observer).stats().dropped(DropReason.INCARNATION_JUMP))
          .as("%s: %s", context(cluster), observer)
          .isEqualTo(2);
    }
    assertAgree(cluster);
  }

  /**
   * A forged Suspect within the jump bound is believed, but the victim refutes it as SWIM does: it
   * is ALIVE everywhere again within a suspicion timeout, at the forged incarnation + 1.
   */
  @Test
  void forgedSuspectWithinJump_victimRefutesWithinSuspicionTimeout() {
    SimCluster cluster = Clusters.create(12, 20);
    Clusters.joinAll(cluster, 60_000);
    long known = cluster.member("node-0000", VICTIM).orElseThrow().incarnation();
    long forged = known + 1_000;
    Address forger = cluster.address(FORGER_NAME);

    for (String to : List.of("node-0000", "node-0001", "node-0002")) {
      cluster.injectPacket(to, forger, WireForger.suspect(FORGER_NAME, VICTIM, forged));
    }
    cluster.runFor(10_000);

    assertThat(cluster.timesMarked(VICTIM, MemberState.DEAD)).as(context(cluster)).isZero();
    assertThat(cluster.isKnownAliveByAll(VICTIM)).as(context(cluster)).isTrue();
    assertThat(cluster.node(VICTIM).localMember().incarnation()).isEqualTo(forged + 1);
    assertAgree(cluster);
  }
}
