package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_SUSPECTED;
import static io.hivemind.core.membership.MembershipEvent.Type.PROBE_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hivemind.api.MemberState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probe rounds, relaying and answering (SWIM §3.1, §4.3; Lifeguard §IV-A). */
class ProberTest {

  private static final long SEED = 7;

  /** Runs until the node's first probe and returns its Ping; {@code h.now} is the round start. */
  private static GossipMessage.Ping firstProbe(NodeHarness h) {
    h.runUntil(h.now + 5_000, () -> !h.pings().isEmpty());
    return h.pings().get(0).all(GossipMessage.Ping.class).get(0);
  }

  private static Address addressOf(NodeHarness h, String name) {
    return h.node.member(name).orElseThrow().address();
  }

  private static List<GossipMessage.IndirectPing> indirectPings(NodeHarness h) {
    return h.out.messages(GossipMessage.IndirectPing.class);
  }

  // ---- probing --------------------------------------------------------------------------------

  @Test
  void probe_afterStart_pingsTheOnlyOtherMemberWithinOneInterval() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    GossipMessage.Ping ping = firstProbe(h);

    assertThat(h.now).isBetween(0L, 1_000L);
    assertThat(ping.target()).isEqualTo("p1");
    assertThat(h.pings().get(0).to()).isEqualTo(h.peer(1).address());
    assertThat(h.node.stats().probes()).isEqualTo(1);
  }

  @Test
  void probe_noAckWithinProbeTimeout_asksRelaysAndPingsOverStream() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;
    Address target = addressOf(h, ping.target());

    h.runUntil(start + 499);
    assertThat(indirectPings(h)).isEmpty();
    assertThat(h.out.streams).isEmpty();

    h.runUntil(start + 500);
    List<RecordingOutput.SentPacket> relayed = h.out.packetsWith(GossipMessage.IndirectPing.class);
    assertThat(relayed)
        .extracting(RecordingOutput.SentPacket::to)
        .doesNotContain(target, NodeHarness.SELF_ADDRESS)
        .doesNotHaveDuplicates()
        .hasSize(2);
    assertThat(indirectPings(h))
        .allSatisfy(
            request -> {
              assertThat(request.seq()).isEqualTo(ping.seq());
              assertThat(request.target()).isEqualTo(ping.target());
              assertThat(request.targetAddress()).isEqualTo(target);
              assertThat(request.nack()).isTrue();
            });
    assertThat(h.out.streams).hasSize(1);
    RecordingOutput.OpenedStream stream = h.out.streams.get(0);
    assertThat(stream.to()).isEqualTo(target);
    assertThat(stream.ping()).isEqualTo(ping);
  }

  @Test
  void probe_noAckByEndOfInterval_suspectsTarget() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    firstProbe(h);
    long start = h.now;

    h.runUntil(start + 999);
    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);

    h.runUntil(start + 1_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
    // The node's own verdict follows the suspicion, for a control plane counting observers.
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED, PROBE_FAILED);
    assertThat(h.node.stats().probeFailures()).isEqualTo(1);
    // No relay to miss a nack from: the failure alone counts against our health.
    assertThat(h.node.localHealthScore()).isEqualTo(1);
  }

  @Test
  void probe_relaysSilent_raisesHealthByEachMissingNack() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;

    h.runUntil(start + 1_000);

    assertThat(h.state(ping.target())).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.localHealthScore()).isEqualTo(2);
  }

  @Test
  void probe_relaysNack_targetSuspectedButHealthUnchanged() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;
    h.runUntil(start + 500);

    for (RecordingOutput.SentPacket request : h.out.packetsWith(GossipMessage.IndirectPing.class)) {
      h.deliver(h.peers.get(request.to()), new GossipMessage.Nack(ping.seq()));
    }
    h.runUntil(start + 1_000);

    assertThat(h.state(ping.target())).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.localHealthScore()).isZero();
  }

  @Test
  void probe_ackWithRoundSeqFromAnyAddress_preventsSuspicionAndLowersHealth() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.deliver(h.peer(1), new GossipMessage.Suspect("n0", 0, "p1"));
    assertThat(h.node.localHealthScore()).isEqualTo(1);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;

    h.node.onPacket(
        new Address("192.0.2.9", 1234), h.peer(1).packet(new GossipMessage.Ack(ping.seq())), h.now);

    assertThat(h.node.localHealthScore()).isZero();
    // Health 1 at the round's start stretched its interval to 2 s.
    h.runUntil(start + 2_000);
    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.stats().probeFailures()).isZero();
    assertThat(indirectPings(h)).isEmpty();
    assertThat(h.out.streams).isEmpty();
  }

  @Test
  void probe_ackWithOtherSeq_doesNotCount() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;

    h.deliver(h.peer(1), new GossipMessage.Ack(ping.seq() + 1000));
    h.runUntil(start + 1_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
  }

  @Test
  void probe_streamPingAnswered_countsAsAck() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    GossipMessage.Ping ping = firstProbe(h);
    long start = h.now;
    h.runUntil(start + 500);
    long streamId = h.out.streams.get(0).streamId();

    byte[] response = h.peer(1).frame(new GossipMessage.Ack(ping.seq()));
    h.node.onStreamResponse(streamId, response, h.now);
    h.runUntil(start + 1_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.ALIVE);
    assertThat(h.node.stats().probeFailures()).isZero();
  }

  @Test
  void probe_tcpFallbackDisabled_opensNoStream() {
    MembershipConfig config = MembershipConfig.lan().toBuilder().tcpFallbackProbe(false).build();
    NodeHarness h = NodeHarness.started(config, SEED, 1);
    firstProbe(h);

    h.runUntil(h.now + 1_000);

    assertThat(h.out.streams).isEmpty();
    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
  }

  @Test
  void probe_suspectTarget_carriesSuspicionInSamePacket() {
    NodeHarness h = NodeHarness.started(SEED, 4);
    h.responsive.addAll(List.of("p2", "p3", "p4"));
    h.deliver(h.peer(2), new GossipMessage.Suspect("p1", 1, "p2"));
    Address p1 = h.peer(1).address();

    h.runUntil(
        10_000, () -> h.out.packetsTo(p1).stream().anyMatch(p -> p.has(GossipMessage.Ping.class)));

    RecordingOutput.SentPacket probe =
        h.out.packetsTo(p1).stream().filter(p -> p.has(GossipMessage.Ping.class)).findFirst().get();
    assertThat(probe.all(GossipMessage.Suspect.class))
        .contains(new GossipMessage.Suspect("p1", 1, "n0"));
  }

  @Test
  void probe_healthyMembers_oneRoundPerIntervalWithoutFailures() {
    NodeHarness h = NodeHarness.started(SEED, 5);
    h.allResponsive();
    firstProbe(h);

    h.runUntil(h.now + 9_999);

    assertThat(h.pings()).hasSize(10);
    assertThat(h.pings())
        .extracting(RecordingOutput.SentPacket::to)
        .doesNotContain(NodeHarness.SELF_ADDRESS);
    assertThat(h.node.stats().probeFailures()).isZero();
    assertThat(h.node.localHealthScore()).isZero();
  }

  // ---- relaying -------------------------------------------------------------------------------

  @Test
  void indirectPing_targetAcks_forwardsAckWithRequesterSeq() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer requester = h.peer(1);
    FakePeer target = h.peer(2);

    h.deliver(requester, new GossipMessage.IndirectPing(77, "p2", target.address(), true));

    List<RecordingOutput.SentPacket> toTarget = h.out.packetsTo(target.address());
    assertThat(toTarget).hasSize(1);
    GossipMessage.Ping ping = toTarget.get(0).all(GossipMessage.Ping.class).get(0);
    assertThat(ping.target()).isEqualTo("p2");
    h.clearOutput();

    h.deliver(target, new GossipMessage.Ack(ping.seq()));

    assertThat(h.out.messages(GossipMessage.Ack.class)).containsExactly(new GossipMessage.Ack(77));
    assertThat(h.out.packetsWith(GossipMessage.Ack.class).get(0).to())
        .isEqualTo(requester.address());
    h.runUntil(h.now + 2_000);
    assertThat(h.out.messages(GossipMessage.Nack.class)).isEmpty();
  }

  @Test
  void indirectPing_targetSilent_nacksRequesterAtProbeTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.runUntil(10);
    FakePeer requester = h.peer(1);

    h.deliver(requester, new GossipMessage.IndirectPing(77, "p2", h.peer(2).address(), true));

    h.runUntil(509);
    assertThat(h.out.messages(GossipMessage.Nack.class)).isEmpty();
    h.runUntil(510);
    assertThat(h.out.packetsWith(GossipMessage.Nack.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.to()).isEqualTo(requester.address());
              assertThat(p.all(GossipMessage.Nack.class))
                  .containsExactly(new GossipMessage.Nack(77));
            });
  }

  @Test
  void indirectPing_withoutNack_staysSilent() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), new GossipMessage.IndirectPing(77, "p2", h.peer(2).address(), false));
    h.runUntil(5_000);

    assertThat(h.out.packetsTo(h.peer(1).address())).isEmpty();
  }

  @Test
  void indirectPing_emptyTargetHost_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.deliver(h.peer(1), WireForgery.indirectPing(1, "p2", "", 1));

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  // ---- answering ------------------------------------------------------------------------------

  @Test
  void ping_addressedToUs_acksSameSeqToSenderAddress() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    Address from = new Address("192.0.2.1", 40_000);

    h.node.onPacket(from, h.peer(1).packet(new GossipMessage.Ping(5, "n0")), h.now);

    assertThat(h.out.packets).singleElement().satisfies(p -> assertThat(p.to()).isEqualTo(from));
    assertThat(h.out.messages(GossipMessage.Ack.class)).containsExactly(new GossipMessage.Ack(5));
  }

  @Test
  void ping_withoutTarget_isAnswered() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), new GossipMessage.Ping(6, ""));

    assertThat(h.out.messages(GossipMessage.Ack.class)).hasSize(1);
  }

  @Test
  void ping_forAnotherName_isNotAnswered() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), new GossipMessage.Ping(5, "someone-else"));

    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void streamPing_addressedToUs_answersAckFrame() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] request = h.peer(1).frame(new GossipMessage.Ping(9, "n0"));

    byte[] response = h.node.onStreamRequest(h.peer(1).address(), request, h.now);

    DecodedFrame frame = h.peer(1).decodeFrame(response);
    assertThat(frame.body()).isEqualTo(new GossipMessage.Ack(9));
    assertThat(frame.sender()).isEqualTo("n0");
  }

  @Test
  void streamPing_forAnotherName_closesWithoutAnswer() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] request = h.peer(1).frame(new GossipMessage.Ping(9, "x"));

    assertThat(h.node.onStreamRequest(h.peer(1).address(), request, h.now)).isNull();
  }
}
