package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.LOCAL_LEFT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.MemberState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lifecycle, leave, gossip and the undead rule of {@link MembershipNode}. */
class MembershipNodeTest {

  private static final long SEED = 3;

  private static List<GossipMessage.Dead> deadFromSelfTo(NodeHarness h, Address to) {
    return h.out.packetsTo(to).stream()
        .flatMap(p -> p.all(GossipMessage.Dead.class).stream())
        .filter(dead -> dead.from().equals("n0"))
        .toList();
  }

  private static List<GossipMessage.Left> leftAboutSelf(NodeHarness h) {
    return h.out.messages(GossipMessage.Left.class, left -> left.name().equals("n0"));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Test
  void start_twice_throws() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    assertThatThrownBy(() -> h.node.start(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("n0");
  }

  @Test
  void join_beforeStart_throws() {
    NodeHarness h = new NodeHarness(SEED);

    assertThatThrownBy(() -> h.node.join(List.of(NodeHarness.address(1)), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NEW");
  }

  @Test
  void inputs_beforeStart_areIgnored() {
    NodeHarness h = new NodeHarness(SEED);

    h.deliver(h.peer(1), new GossipMessage.Ping(1, "n0"));

    assertThat(h.out.packets).isEmpty();
    assertThat(h.node.stats().packetsReceived()).isZero();
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void start_alone_isClusterOfOne() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.runUntil(60_000);

    assertThat(h.node.members())
        .singleElement()
        .satisfies(m -> assertThat(m.name()).isEqualTo("n0"));
    assertThat(h.node.activeMembers()).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void updateMeta_raisesIncarnationAndGossipsIt() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.node.updateMeta(Set.of("catalog"), Map.of("rack", "r1"), "z1", h.now);

    assertThat(h.node.localMember().incarnation()).isEqualTo(1);
    assertThat(h.node.localMember().tags()).containsEntry("rack", "r1");
    h.runUntil(
        1_000,
        () ->
            !h.out
                .messages(GossipMessage.Alive.class, m -> m.member().zone().equals("z1"))
                .isEmpty());
  }

  // ---- undead ---------------------------------------------------------------------------------

  @Test
  void packet_fromDeadMember_toldItIsDeadOncePerProbeInterval() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    FakePeer p1 = h.peer(1);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(p1, new GossipMessage.Ping(1, "n0"));
    assertThat(deadFromSelfTo(h, p1.address()))
        .containsExactly(new GossipMessage.Dead("p1", 1, "n0"));

    h.runUntil(999);
    h.deliver(p1, new GossipMessage.Ping(2, "n0"));
    assertThat(deadFromSelfTo(h, p1.address())).hasSize(1);

    h.runUntil(1_000);
    h.deliver(p1, new GossipMessage.Ping(3, "n0"));
    assertThat(deadFromSelfTo(h, p1.address())).hasSize(2);
  }

  @Test
  void packet_fromDeadMemberCarryingItsRefutation_isNotToldDead() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    FakePeer p1 = h.peer(1);
    h.deliver(h.peer(2), new GossipMessage.Dead("p1", 1, "p2"));

    h.deliver(p1, p1.alive(2));

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(deadFromSelfTo(h, p1.address())).isEmpty();
  }

  // ---- leave ----------------------------------------------------------------------------------

  @Test
  void leave_gossipsLeftAndCompletesAfterRetransmitLimitSends() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.allResponsive();
    h.runUntil(3_000);
    h.clearOutput();
    long leftAt = h.now;

    h.node.leave(leftAt);
    assertThat(h.node.localMember().state()).isEqualTo(MemberState.LEFT);
    h.runUntil(leftAt + 5_000, () -> h.out.eventTypes().contains(LOCAL_LEFT));

    assertThat(h.now).isLessThan(leftAt + 5_000);
    // After the leave only p1 is active: retransmitLimit(1) = 4 × ⌈log10(2)⌉ = 4.
    assertThat(leftAboutSelf(h))
        .hasSize(h.node.config().retransmitLimit(1))
        .allSatisfy(left -> assertThat(left.incarnation()).isZero());
    assertThat(h.pings()).isEmpty();
    assertThat(h.node.hasLeft()).isTrue();
    assertThat(h.out.eventTypes()).containsOnlyOnce(LOCAL_LEFT);
  }

  @Test
  void leave_broadcastQueueOverflowsWhileLeaving_leftStillSentRetransmitLimitTimes() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().maxQueuedBroadcasts(16).build();
    NodeHarness h = NodeHarness.started(config, SEED, 1);
    h.allResponsive();
    h.runUntil(3_000);
    h.clearOutput();
    h.node.leave(h.now);
    h.runUntil(h.now + 1_000, () -> !leftAboutSelf(h).isEmpty());

    // A burst of joins while leaving fills the queue past its bound.
    for (int i = 2; i <= 17; i++) {
      h.join(i);
    }
    int leftSentBeforeLocalLeft =
        h.out.eventTypes().contains(LOCAL_LEFT) ? leftAboutSelf(h).size() : -1;
    h.runUntil(h.now + 5_000, () -> h.out.eventTypes().contains(LOCAL_LEFT));

    assertThat(leftSentBeforeLocalLeft)
        .as("LOCAL_LEFT emitted by pruning, Left sent only that many times")
        .isEqualTo(-1);
    assertThat(leftAboutSelf(h).size()).isGreaterThanOrEqualTo(h.node.config().retransmitLimit(1));
  }

  @Test
  void leave_notSpreadInTime_completesAtLeavePropagateTimeout() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().retransmitMult(100).build();
    NodeHarness h = NodeHarness.started(config, SEED, 1);
    h.allResponsive();
    h.runUntil(100);

    h.node.leave(100);

    h.runUntil(100 + 4_999);
    assertThat(h.out.eventTypes()).doesNotContain(LOCAL_LEFT);
    assertThat(leftAboutSelf(h)).isNotEmpty();
    h.runUntil(100 + 5_000);
    assertThat(h.out.eventTypes()).containsOnlyOnce(LOCAL_LEFT);
  }

  @Test
  void leave_loneNode_completesAtOnce() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.leave(0);

    assertThat(h.out.eventTypes()).containsExactly(LOCAL_LEFT);
    assertThat(h.node.hasLeft()).isTrue();
    assertThat(h.node.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void leave_completed_ignoresEveryInput() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.node.leave(0);
    h.clearOutput();
    long received = h.node.stats().packetsReceived();
    FakePeer p1 = h.peer(1);

    h.deliver(p1, new GossipMessage.Ping(1, "n0"), p1.alive(1));
    byte[] response = h.node.onStreamRequest(p1.address(), p1.pushPull(false, p1.member(1)), 10);
    h.node.tick(100_000);
    h.node.leave(100_000);

    assertThat(response).isNull();
    assertThat(h.out.packets).isEmpty();
    assertThat(h.out.events).isEmpty();
    assertThat(h.node.member("p1")).isEmpty();
    assertThat(h.node.stats().packetsReceived()).isEqualTo(received);
    assertThatThrownBy(() -> h.node.updateMeta(Set.of(), Map.of(), "", 0))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- gossip and piggybacking ----------------------------------------------------------------

  @Test
  void packets_hundredsOfQueuedUpdates_neverExceedMaxPacketSize() {
    NodeHarness h = NodeHarness.started(SEED, 300);
    assertThat(h.node.pendingBroadcasts()).isEqualTo(301);

    h.runUntil(5_000);

    int max = h.node.config().maxPacketSize();
    assertThat(h.out.packets).isNotEmpty();
    assertThat(h.out.packets)
        .allSatisfy(p -> assertThat(p.bytes().length).isLessThanOrEqualTo(max));
    // The budget is used, not just respected: some packets are nearly full.
    assertThat(h.out.packets.stream().mapToInt(p -> p.bytes().length).max().getAsInt())
        .isGreaterThan(max - 64);
  }

  @Test
  void packets_smallLimitAndLargeMetadata_neverExceedMaxPacketSize() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().maxPacketSize(512).build();
    NodeHarness h = NodeHarness.started(config, SEED, 0);
    for (int i = 1; i <= 100; i++) {
      FakePeer peer = h.peer(i);
      h.deliver(
          peer,
          new GossipMessage.Alive(
              peer.member(1, List.of(), Map.of("blob", "v".repeat(100 + i)), "")));
    }

    h.runUntil(5_000);

    assertThat(h.out.packets).isNotEmpty();
    assertThat(h.out.packets)
        .allSatisfy(p -> assertThat(p.bytes().length).isLessThanOrEqualTo(512));
  }

  @Test
  void gossip_nothingQueued_sendsNothing() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.allResponsive();
    h.runUntil(5_000);
    assertThat(h.node.pendingBroadcasts()).isZero();
    h.clearOutput();

    h.runUntil(15_000);

    // Only the probes remain: one Ping a second, nothing gossiped on its own.
    assertThat(h.out.packets).hasSize(10);
    assertThat(h.out.packets).allSatisfy(p -> assertThat(p.has(GossipMessage.Ping.class)).isTrue());
  }

  @Test
  void gossip_queuedUpdate_reachesMembersWithoutProbes() {
    NodeHarness h = NodeHarness.started(SEED, 2);
    h.allResponsive();
    h.runUntil(5_000);
    h.clearOutput();

    h.deliver(h.peer(1), h.peer(3).alive(1));
    h.runUntil(h.now + 200);

    assertThat(h.out.packets)
        .anySatisfy(
            p -> {
              assertThat(p.has(GossipMessage.Ping.class)).isFalse();
              assertThat(p.all(GossipMessage.Alive.class)).isNotEmpty();
            });
  }
}
