package io.hivemind.core.membership;

import static io.hivemind.core.membership.MembershipEvent.Type.MEMBER_SUSPECTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.StreamFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probe rounds, relaying and answering (SWIM §3.1, §4.3; Lifeguard §IV-A). */
class ProberTest {

  private static final long SEED = 7;

  /** Runs until the node's first probe and returns its Ping; {@code h.now} is the round start. */
  private static Ping firstProbe(NodeHarness h) {
    h.runUntil(h.now + 5_000, () -> !h.pings().isEmpty());
    return h.pings().get(0).all(Message.BodyCase.PING).get(0).getPing();
  }

  private static Address addressOf(NodeHarness h, String name) {
    return h.node.member(name).orElseThrow().address();
  }

  private static List<IndirectPing> indirectPings(NodeHarness h) {
    return h.out.messages(Message::hasIndirectPing).stream().map(Message::getIndirectPing).toList();
  }

  // ---- probing --------------------------------------------------------------------------------

  @Test
  void probe_afterStart_pingsTheOnlyOtherMemberWithinOneInterval() {
    NodeHarness h = NodeHarness.started(SEED, 1);

    Ping ping = firstProbe(h);

    assertThat(h.now).isBetween(0L, 1_000L);
    assertThat(ping.getTarget()).isEqualTo("p1");
    assertThat(h.pings().get(0).to()).isEqualTo(h.peer(1).address());
    assertThat(h.node.stats().probes()).isEqualTo(1);
  }

  @Test
  void probe_noAckWithinProbeTimeout_asksRelaysAndPingsOverStream() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    Ping ping = firstProbe(h);
    long start = h.now;
    Address target = addressOf(h, ping.getTarget());

    h.runUntil(start + 499);
    assertThat(indirectPings(h)).isEmpty();
    assertThat(h.out.streams).isEmpty();

    h.runUntil(start + 500);
    List<RecordingOutput.SentPacket> relayed = h.out.packetsWith(Message.BodyCase.INDIRECT_PING);
    assertThat(relayed)
        .extracting(RecordingOutput.SentPacket::to)
        .doesNotContain(target, NodeHarness.SELF_ADDRESS)
        .doesNotHaveDuplicates()
        .hasSize(2);
    assertThat(indirectPings(h))
        .allSatisfy(
            request -> {
              assertThat(request.getSeq()).isEqualTo(ping.getSeq());
              assertThat(request.getTarget()).isEqualTo(ping.getTarget());
              assertThat(request.getTargetAddress()).isEqualTo(WireCodec.endpoint(target));
              assertThat(request.getNack()).isTrue();
            });
    assertThat(h.out.streams).hasSize(1);
    RecordingOutput.OpenedStream stream = h.out.streams.get(0);
    assertThat(stream.to()).isEqualTo(target);
    assertThat(stream.request().getPing().getSeq()).isEqualTo(ping.getSeq());
    assertThat(stream.request().getPing().getTarget()).isEqualTo(ping.getTarget());
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
    assertThat(h.out.eventTypes()).containsExactly(MEMBER_SUSPECTED);
    assertThat(h.node.stats().probeFailures()).isEqualTo(1);
    // No relay to miss a nack from: the failure alone counts against our health.
    assertThat(h.node.localHealthScore()).isEqualTo(1);
  }

  @Test
  void probe_relaysSilent_raisesHealthByEachMissingNack() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    Ping ping = firstProbe(h);
    long start = h.now;

    h.runUntil(start + 1_000);

    assertThat(h.state(ping.getTarget())).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.localHealthScore()).isEqualTo(2);
  }

  @Test
  void probe_relaysNack_targetSuspectedButHealthUnchanged() {
    NodeHarness h = NodeHarness.started(SEED, 3);
    Ping ping = firstProbe(h);
    long start = h.now;
    h.runUntil(start + 500);

    for (RecordingOutput.SentPacket request : h.out.packetsWith(Message.BodyCase.INDIRECT_PING)) {
      h.deliver(h.peers.get(request.to()), WireCodec.nack(ping.getSeq()));
    }
    h.runUntil(start + 1_000);

    assertThat(h.state(ping.getTarget())).isEqualTo(MemberState.SUSPECT);
    assertThat(h.node.localHealthScore()).isZero();
  }

  @Test
  void probe_ackWithRoundSeqFromAnyAddress_preventsSuspicionAndLowersHealth() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    h.deliver(h.peer(1), WireCodec.suspect("n0", 0, "p1"));
    assertThat(h.node.localHealthScore()).isEqualTo(1);
    Ping ping = firstProbe(h);
    long start = h.now;

    h.node.onPacket(
        new Address("192.0.2.9", 1234), h.peer(1).packet(WireCodec.ack(ping.getSeq())), h.now);

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
    Ping ping = firstProbe(h);
    long start = h.now;

    h.deliver(h.peer(1), WireCodec.ack(ping.getSeq() + 1000));
    h.runUntil(start + 1_000);

    assertThat(h.state("p1")).isEqualTo(MemberState.SUSPECT);
  }

  @Test
  void probe_streamPingAnswered_countsAsAck() {
    NodeHarness h = NodeHarness.started(SEED, 1);
    Ping ping = firstProbe(h);
    long start = h.now;
    h.runUntil(start + 500);
    long streamId = h.out.streams.get(0).streamId();

    byte[] response =
        h.peer(1)
            .codec
            .frame(StreamFrame.newBuilder().setAck(Ack.newBuilder().setSeq(ping.getSeq())));
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
    h.deliver(h.peer(2), WireCodec.suspect("p1", 1, "p2"));
    Address p1 = h.peer(1).address();

    h.runUntil(
        10_000, () -> h.out.packetsTo(p1).stream().anyMatch(p -> p.has(Message.BodyCase.PING)));

    RecordingOutput.SentPacket probe =
        h.out.packetsTo(p1).stream().filter(p -> p.has(Message.BodyCase.PING)).findFirst().get();
    assertThat(probe.all(Message.BodyCase.SUSPECT))
        .anySatisfy(
            m -> {
              assertThat(m.getSuspect().getName()).isEqualTo("p1");
              assertThat(m.getSuspect().getIncarnation()).isEqualTo(1);
              assertThat(m.getSuspect().getFrom()).isEqualTo("n0");
            });
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

    h.deliver(requester, WireCodec.indirectPing(77, "p2", target.address(), true));

    List<RecordingOutput.SentPacket> toTarget = h.out.packetsTo(target.address());
    assertThat(toTarget).hasSize(1);
    Ping ping = toTarget.get(0).all(Message.BodyCase.PING).get(0).getPing();
    assertThat(ping.getTarget()).isEqualTo("p2");
    h.clearOutput();

    h.deliver(target, WireCodec.ack(ping.getSeq()));

    assertThat(h.out.messages(Message::hasAck))
        .singleElement()
        .satisfies(m -> assertThat(m.getAck().getSeq()).isEqualTo(77));
    assertThat(h.out.packetsWith(Message.BodyCase.ACK).get(0).to()).isEqualTo(requester.address());
    h.runUntil(h.now + 2_000);
    assertThat(h.out.messages(Message::hasNack)).isEmpty();
  }

  @Test
  void indirectPing_targetSilent_nacksRequesterAtProbeTimeout() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    h.runUntil(10);
    FakePeer requester = h.peer(1);

    h.deliver(requester, WireCodec.indirectPing(77, "p2", h.peer(2).address(), true));

    h.runUntil(509);
    assertThat(h.out.messages(Message::hasNack)).isEmpty();
    h.runUntil(510);
    assertThat(h.out.packetsWith(Message.BodyCase.NACK))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.to()).isEqualTo(requester.address());
              assertThat(p.all(Message.BodyCase.NACK).get(0).getNack().getSeq()).isEqualTo(77);
            });
  }

  @Test
  void indirectPing_withoutNack_staysSilent() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), WireCodec.indirectPing(77, "p2", h.peer(2).address(), false));
    h.runUntil(5_000);

    assertThat(h.out.packetsTo(h.peer(1).address())).isEmpty();
  }

  @Test
  void indirectPing_emptyTargetHost_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    Message request =
        Message.newBuilder()
            .setIndirectPing(
                IndirectPing.newBuilder()
                    .setSeq(1)
                    .setTarget("p2")
                    .setTargetAddress(Endpoint.newBuilder().setHost("").setPort(1)))
            .build();

    h.deliver(h.peer(1), request.toByteString());

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  // ---- answering ------------------------------------------------------------------------------

  @Test
  void ping_addressedToUs_acksSameSeqToSenderAddress() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    Address from = new Address("192.0.2.1", 40_000);

    h.node.onPacket(from, h.peer(1).packet(WireCodec.ping(5, "n0")), h.now);

    assertThat(h.out.packets).singleElement().satisfies(p -> assertThat(p.to()).isEqualTo(from));
    assertThat(h.out.messages(Message::hasAck))
        .singleElement()
        .satisfies(m -> assertThat(m.getAck().getSeq()).isEqualTo(5));
  }

  @Test
  void ping_withoutTarget_isAnswered() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), WireCodec.ping(6, ""));

    assertThat(h.out.messages(Message::hasAck)).hasSize(1);
  }

  @Test
  void ping_forAnotherName_isNotAnswered() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(h.peer(1), WireCodec.ping(5, "someone-else"));

    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void streamPing_addressedToUs_answersAckFrame() throws InvalidProtocolBufferException {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] request =
        h.peer(1)
            .codec
            .frame(StreamFrame.newBuilder().setPing(Ping.newBuilder().setSeq(9).setTarget("n0")));

    byte[] response = h.node.onStreamRequest(h.peer(1).address(), request, h.now);

    StreamFrame frame = StreamFrame.parseFrom(response);
    assertThat(frame.getAck().getSeq()).isEqualTo(9);
    assertThat(frame.getHeader().getSender()).isEqualTo("n0");
  }

  @Test
  void streamPing_forAnotherName_closesWithoutAnswer() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] request =
        h.peer(1)
            .codec
            .frame(StreamFrame.newBuilder().setPing(Ping.newBuilder().setSeq(9).setTarget("x")));

    assertThat(h.node.onStreamRequest(h.peer(1).address(), request, h.now)).isNull();
  }
}
