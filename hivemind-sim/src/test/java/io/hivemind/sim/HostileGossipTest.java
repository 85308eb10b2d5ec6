package io.hivemind.sim;

import static io.hivemind.sim.Clusters.assertAgree;
import static io.hivemind.sim.Clusters.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import io.hivemind.core.membership.Address;
import io.hivemind.core.membership.DropReason;
import io.hivemind.core.membership.Member;
import io.hivemind.core.membership.MembershipConfig;
import io.hivemind.core.membership.MembershipEvent;
import io.hivemind.core.wire.proto.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Regression: 500 forged Alives about made-up nodes kept a crashed node "alive" for minutes (the
   * probe pass over the real members grew by the ghosts), and 20,000 grew the table without bound.
   * With 5,000 ghosts injected into a 50-node cluster whose table bound is 1,000, a crashed node is
   * still DEAD everywhere about as fast as without them, and no table ever exceeds the bound.
   */
  @Test
  void ghostAlives_crashedNodeStillDetectedAndTableBounded() {
    long baseline = detectionMillis(false);
    long withGhosts = detectionMillis(true);

    assertThat(withGhosts)
        .as("seed 21: detection %d ms with ghosts, %d ms without", withGhosts, baseline)
        .isLessThanOrEqualTo(Math.max(2 * baseline, baseline + 10_000));
  }

  private static final int GHOSTS = 5_000;
  private static final int MAX_MEMBERS = 1_000;
  private static final String CRASHED = "node-0017";

  private static long detectionMillis(boolean ghosts) {
    SimCluster cluster =
        new SimCluster(21, MembershipConfig.lan().toBuilder().maxMembers(MAX_MEMBERS).build());
    cluster.setLatency(Latency.between(1, 2));
    cluster.addNodes(50);
    Clusters.joinAll(cluster, 60_000);
    if (ghosts) {
      injectGhosts(cluster);
    }
    cluster.runFor(5_000);
    assertTableBounded(cluster);
    long crashedAt = cluster.now();
    cluster.crash(CRASHED);
    boolean detected = cluster.runUntil(() -> cluster.isDeadEverywhere(CRASHED), 300_000);
    assertThat(detected)
        .as(
            "%s (ghosts %s): %s not DEAD everywhere; e.g. %s",
            context(cluster), ghosts, CRASHED, cluster.disagreements(5))
        .isTrue();
    long detection = cluster.now() - crashedAt;
    assertTableBounded(cluster);
    cluster.runFor(120_000);
    assertTableBounded(cluster);
    assertThat(cluster.falsePositives().deadEvents()).as(context(cluster)).isZero();
    return detection;
  }

  /** 5,000 Alives about made-up members at made-up addresses, 50 to a packet, to five nodes. */
  private static void injectGhosts(SimCluster cluster) {
    Address forger = new Address("10.250.0.1", SimCluster.PORT);
    for (int first = 0; first < GHOSTS; first += 50) {
      Message[] alives = new Message[50];
      for (int i = 0; i < alives.length; i++) {
        int ghost = first + i;
        Address address = new Address("10.200." + (ghost / 250) + "." + (ghost % 250 + 1), 7946);
        alives[i] = WireForger.aliveMessage("ghost-" + ghost, address, 1);
      }
      byte[] packet = WireForger.packet("ghost-forger", alives);
      for (String to : List.of("node-0000", "node-0010", "node-0020", "node-0030", "node-0040")) {
        cluster.injectPacket(to, forger, packet);
      }
    }
  }

  private static void assertTableBounded(SimCluster cluster) {
    for (String name : cluster.runningNodes()) {
      assertThat(cluster.node(name).members().size())
          .as("%s: %s's table", context(cluster), name)
          .isLessThanOrEqualTo(MAX_MEMBERS);
    }
  }

  /**
   * Regression: two agents named alike made the name's address flip every 10–15 s and its
   * incarnation climb, without a log line. The simulator holds one process per name, so the second
   * agent is played by a forger announcing node-0005 from another address every 2 s, to every node,
   * always one incarnation above what the cluster holds. The established node-0005 keeps its
   * address everywhere, is never suspected, and every node raises NAME_CONFLICT.
   */
  @Test
  void duplicateName_establishedMemberKeepsItsAddressAndConflictIsRaised() {
    SimCluster cluster = Clusters.create(31, 20);
    Clusters.joinAll(cluster, 60_000);
    Address twin = new Address("10.250.0.9", SimCluster.PORT);
    Address established = cluster.address(VICTIM);
    Map<String, Integer> conflicts = new HashMap<>();
    cluster.addEventListener(
        (at, observer, event) -> {
          if (event.type() == MembershipEvent.Type.NAME_CONFLICT) {
            assertThat(event.member().address()).isEqualTo(established);
            assertThat(event.conflictingAddress()).isEqualTo(twin);
            conflicts.merge(observer, 1, Integer::sum);
          }
        });

    for (int round = 0; round < 15; round++) {
      cluster.schedule(
          cluster.now() + round * 2_000L,
          () -> {
            long held = cluster.member("node-0000", VICTIM).orElseThrow().incarnation();
            byte[] claim = WireForger.alive(VICTIM, VICTIM, twin, held + 1);
            for (String to : cluster.runningNodes()) {
              cluster.injectPacket(to, twin, claim);
            }
          });
    }
    cluster.runFor(40_000);

    for (String observer : cluster.runningNodes()) {
      if (!observer.equals(VICTIM)) {
        assertThat(cluster.member(observer, VICTIM).orElseThrow().address())
            .as("%s: %s", context(cluster), observer)
            .isEqualTo(established);
      }
      assertThat(conflicts.getOrDefault(observer, 0))
          .as("%s: NAME_CONFLICT events at %s", context(cluster), observer)
          .isGreaterThan(0);
    }
    assertThat(cluster.timesMarked(VICTIM, MemberState.SUSPECT)).as(context(cluster)).isZero();
    assertThat(cluster.timesMarked(VICTIM, MemberState.DEAD)).as(context(cluster)).isZero();
    assertAgree(cluster);
  }
}
