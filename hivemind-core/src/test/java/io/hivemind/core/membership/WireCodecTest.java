package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.api.Environment;
import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.WireEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Golden, malformed and fuzzed input (Netty DnsResponseTest style), decoded and through the node.
 * Well-formed input is built from the records; the generated protobuf types only forge what the
 * records cannot express. The decoder on its own: {@link WireDecoderTest}.
 */
class WireCodecTest {

  private static final long SEED = 5;

  /**
   * Packet{header{version 1, cluster "c1", environment TESTING, sender "p1"}, messages [Ping{seq 7,
   * target "n0"}, Suspect{name "p2", incarnation 3, from "p1"}]}, encoded by hand from
   * membership.proto.
   */
  private static final byte[] GOLDEN_PACKET =
      HexFormat.of()
          .parseHex(
              "0a0c"
                  + "0801"
                  + "12026331"
                  + "1803"
                  + "22027031" // header
                  + "1208"
                  + "0a06"
                  + "0807"
                  + "12026e30" // Message{ping}
                  + "120c"
                  + "320a"
                  + "0a027032"
                  + "1003"
                  + "1a027031"); // Message{suspect}

  private final FakePeer p1 = new FakePeer("p1", NodeHarness.address(1));

  private static Header.Builder header() {
    return Header.newBuilder()
        .setVersion(WireCodec.PROTOCOL_VERSION)
        .setCluster(NodeHarness.CLUSTER)
        .setEnvironment(WireEnvironment.TESTING)
        .setSender("p1");
  }

  private static byte[] pingPacket(Header.Builder header) {
    return Packet.newBuilder()
        .setHeader(header)
        .addMessages(Message.newBuilder().setPing(Ping.newBuilder().setSeq(1).setTarget("n0")))
        .build()
        .toByteArray();
  }

  private static long acksSent(NodeHarness h, int seq) {
    return h.out.messages(GossipMessage.Ack.class, ack -> ack.seq() == seq).size();
  }

  /** A push-pull frame from p1 of members as the wire has them, valid or not. */
  private static byte[] pushPullOf(MemberInfo... members) {
    return StreamFrame.newBuilder()
        .setHeader(header())
        .setPushPull(PushPull.newBuilder().addAllMembers(List.of(members)))
        .build()
        .toByteArray();
  }

  // ---- golden ---------------------------------------------------------------------------------

  @Test
  void golden_decodesToExpectedMessages() throws Exception {
    DecodedPacket packet =
        new WireCodec(NodeHarness.started(SEED, 0).identity).decodePacket(GOLDEN_PACKET);

    assertThat(packet)
        .isEqualTo(
            new DecodedPacket(
                "p1",
                List.of(new GossipMessage.Ping(7, "n0"), new GossipMessage.Suspect("p2", 3, "p1")),
                0,
                false));
  }

  @Test
  void golden_encoderProducesSameBytes() {
    byte[] encoded =
        p1.packet(new GossipMessage.Ping(7, "n0"), new GossipMessage.Suspect("p2", 3, "p1"));

    assertThat(HexFormat.of().formatHex(encoded))
        .isEqualTo(HexFormat.of().formatHex(GOLDEN_PACKET));
    assertThat(p1.codec.packetOverhead()).isEqualTo(14);
  }

  @Test
  void golden_throughNode_isAnswered() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), GOLDEN_PACKET, 0);

    assertThat(acksSent(h, 7)).isEqualTo(1);
    assertThat(h.node.stats().droppedTotal()).isZero();
    assertThat(h.node.stats().bytesReceived()).isEqualTo(GOLDEN_PACKET.length);
  }

  // ---- malformed packets ----------------------------------------------------------------------

  @Test
  void packet_truncatedInsideHeader_droppedAsMalformed() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), Arrays.copyOf(GOLDEN_PACKET, 6), 0);

    assertThat(h.node.stats().dropped(DropReason.MALFORMED)).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_truncatedInsideMessage_droppedAsMalformed() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), Arrays.copyOf(GOLDEN_PACKET, GOLDEN_PACKET.length - 3), 0);

    assertThat(h.node.stats().dropped(DropReason.MALFORMED)).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_overMaxUdpPayload_droppedAsOversized() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), new byte[WireCodec.MAX_PACKET_BYTES + 1], 0);
    h.node.onPacket(p1.address(), new byte[WireCodec.MAX_PACKET_BYTES], 0);

    assertThat(h.node.stats().dropped(DropReason.OVERSIZED)).isEqualTo(1);
    assertThat(h.node.stats().dropped(DropReason.MALFORMED)).isEqualTo(1);
    assertThat(h.node.stats().packetsReceived()).isEqualTo(2);
  }

  @Test
  void packet_otherVersion_droppedAsWrongVersion() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), pingPacket(header().setVersion(2)), 0);
    h.node.onPacket(p1.address(), pingPacket(header().clearVersion()), 0);

    assertThat(h.node.stats().dropped(DropReason.WRONG_VERSION)).isEqualTo(2);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_otherCluster_droppedAsWrongCluster() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer stranger = FakePeer.of("p1", p1.address(), "c2", NodeHarness.ENVIRONMENT);

    h.node.onPacket(p1.address(), stranger.packet(new GossipMessage.Ping(1, "n0")), 0);

    assertThat(h.node.stats().dropped(DropReason.WRONG_CLUSTER)).isEqualTo(1);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_otherEnvironment_droppedAsWrongEnvironment() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    FakePeer production =
        FakePeer.of("p1", p1.address(), NodeHarness.CLUSTER, Environment.PRODUCTION);

    h.node.onPacket(p1.address(), production.packet(new GossipMessage.Ping(1, "n0")), 0);
    h.node.onPacket(p1.address(), pingPacket(header().setEnvironmentValue(99)), 0);

    assertThat(h.node.stats().dropped(DropReason.WRONG_ENVIRONMENT)).isEqualTo(2);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_withoutHeader_droppedAsMalformed() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] headless =
        Packet.newBuilder()
            .addMessages(Message.newBuilder().setPing(Ping.newBuilder().setSeq(1)))
            .build()
            .toByteArray();

    h.node.onPacket(p1.address(), headless, 0);
    h.node.onPacket(p1.address(), new byte[0], 0);

    assertThat(h.node.stats().dropped(DropReason.MALFORMED)).isEqualTo(2);
    assertThat(h.out.packets).isEmpty();
  }

  @Test
  void packet_emptySender_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), pingPacket(header().setSender("")), 0);

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void packet_tooManyMessages_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    List<EncodedMessage> pings = new ArrayList<>();
    for (int i = 0; i < WireCodec.MAX_MESSAGES_PER_PACKET + 1; i++) {
      pings.add(WireEncoder.encode(new GossipMessage.Ping(i, "n0")));
    }

    h.node.onPacket(p1.address(), p1.codec.packet(pings), 0);
    h.node.onPacket(p1.address(), p1.codec.packet(pings.subList(0, 255)), 0);

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.out.packets).hasSize(255);
  }

  @Test
  void packet_emptyMessage_countedInvalidRestHandled() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(
        p1.address(),
        p1.packet(
            WireForgery.empty(),
            WireEncoder.encode(new GossipMessage.Ping(4, "n0")),
            WireForgery.empty()),
        0);

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(2);
    assertThat(acksSent(h, 4)).isEqualTo(1);
  }

  /**
   * A message that breaks a field rule ends its packet (version 1's behaviour, kept: counters
   * compare across versions): the messages before it are handled, it and the rest are dropped and
   * counted once, and the packet starts nothing on its sender's account.
   */
  @Test
  void packet_brokenMessage_earlierHandledRestDroppedCountedOnce() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    GossipMember nameless = GossipMember.of("", p1.address(), 1, MemberState.ALIVE);

    h.node.onPacket(
        p1.address(),
        p1.packet(
            new GossipMessage.Ping(4, "n0"),
            new GossipMessage.Alive(nameless),
            new GossipMessage.Ping(5, "n0"),
            new GossipMessage.Suspect("", 1, "p1")),
        0);
    h.runUntil(60_000);

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(acksSent(h, 4)).isEqualTo(1);
    assertThat(acksSent(h, 5)).isZero();
    assertThat(h.out.streams).as("no repair exchange with the unknown sender").isEmpty();
  }

  /** The same unknown sender, in a packet without a broken message, gets its repair exchange. */
  @Test
  void packet_unknownSenderIntactPacket_repairExchangeFollows() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.node.onPacket(p1.address(), p1.packet(new GossipMessage.Ping(4, "n0")), 0);
    h.runUntil(60_000);

    assertThat(h.out.streams).extracting(RecordingOutput.OpenedStream::to).contains(p1.address());
  }

  @Test
  void packet_randomBytes_eachCountedOnceNeverThrows() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    SplittableRandom random = new SplittableRandom(SEED);

    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(1, 1_500)];
      random.nextBytes(bytes);
      h.node.onPacket(p1.address(), bytes, 0);
    }

    assertThat(h.node.stats().droppedTotal()).isEqualTo(2_000);
    assertThat(h.node.stats().packetsReceived()).isEqualTo(2_000);
    assertThat(h.out.packets).isEmpty();
  }

  // ---- field rules ----------------------------------------------------------------------------

  @Test
  void alive_metadataOf512Bytes_accepted() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    GossipMember member =
        p1.member(1, List.of(), Map.of("k", "x".repeat(256), "l", "y".repeat(254)), "");

    h.deliver(p1, new GossipMessage.Alive(member));

    assertThat(h.node.member("p1")).isPresent();
    assertThat(h.node.stats().droppedTotal()).isZero();
  }

  @Test
  void alive_metadataOver512Bytes_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    GossipMember member =
        p1.member(1, List.of("r".repeat(200)), Map.of("k", "x".repeat(300)), "zone-a1234567");

    h.deliver(p1, new GossipMessage.Alive(member));

    assertThat(h.node.member("p1")).isEmpty();
    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void alive_nameOf128Bytes_accepted() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    String name = "n".repeat(128);

    h.deliver(
        p1, new GossipMessage.Alive(GossipMember.of(name, p1.address(), 1, MemberState.ALIVE)));

    assertThat(h.node.member(name)).isPresent();
  }

  @Test
  void alive_nameOver128Bytes_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    // 43 characters, 129 bytes of UTF-8: the bound is in bytes.
    String name = "€".repeat(43);

    h.deliver(
        p1, new GossipMessage.Alive(GossipMember.of(name, p1.address(), 1, MemberState.ALIVE)));
    h.deliver(p1, new GossipMessage.Suspect("s".repeat(129), 1, "p1"));
    h.deliver(p1, new GossipMessage.Dead("d".repeat(129), 1, "p1"));
    h.deliver(p1, new GossipMessage.Left("l".repeat(129), 1));

    assertThat(h.node.member(name)).isEmpty();
    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(4);
  }

  @Test
  void alive_emptyNameOrNoAddress_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);

    h.deliver(p1, new GossipMessage.Alive(GossipMember.of("", p1.address(), 1, MemberState.ALIVE)));
    h.deliver(p1, WireForgery.alive(WireForgery.info(p1.member(1)).clearAddress()));
    h.deliver(p1, WireForgery.aliveAt(p1.member(1), " ", 1));
    h.deliver(p1, WireForgery.aliveAt(p1.member(1), "h", 65_536));

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(4);
    assertThat(h.node.members()).hasSize(1);
  }

  /** uint32 ports at or above 2^31 arrive as negative Java ints. */
  @Test
  void alive_portAbove2To31_droppedAsInvalidNotThrown() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    EncodedMessage alive = WireForgery.aliveAt(p1.member(1), "h", -1);

    assertThatCode(() -> h.deliver(p1, alive)).doesNotThrowAnyException();

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.node.member("p1")).isEmpty();
  }

  @Test
  void indirectPing_targetPortAbove2To31_droppedAsInvalidNotThrown() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    EncodedMessage request = WireForgery.indirectPing(1, "p2", "h", Integer.MIN_VALUE);

    assertThatCode(() -> h.deliver(p1, request)).doesNotThrowAnyException();

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void pushPull_memberPortAbove2To31_droppedAsInvalidOthersMerged() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    MemberInfo bad =
        WireForgery.info(h.peer(2).member(1))
            .setAddress(Endpoint.newBuilder().setHost("h").setPort(-7))
            .build();
    byte[] frame = pushPullOf(bad, WireReference.member(p1.member(1)));

    assertThatCode(() -> h.node.onStreamRequest(p1.address(), frame, 0)).doesNotThrowAnyException();

    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.node.member("p1")).isPresent();
  }

  @Test
  void pushPull_oversizedMetadataMember_skippedOthersMerged() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    GossipMember bad = h.peer(2).member(1, List.of(), Map.of("k", "x".repeat(600)), "");

    byte[] response =
        h.node.onStreamRequest(p1.address(), p1.pushPull(false, bad, p1.member(1)), 0);

    assertThat(response).isNotNull();
    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(h.node.member("p2")).isEmpty();
    assertThat(h.node.member("p1")).isPresent();
  }

  // ---- malformed stream frames ----------------------------------------------------------------

  @Test
  void frame_badInput_returnsNullAndCountsReason() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    byte[] valid = p1.pushPull(false, p1.member(1));
    PushPull empty = PushPull.getDefaultInstance();

    byte[][] inputs = {
      Arrays.copyOf(valid, 5),
      StreamFrame.newBuilder().setPushPull(empty).build().toByteArray(),
      StreamFrame.newBuilder()
          .setHeader(header().setVersion(9))
          .setPushPull(empty)
          .build()
          .toByteArray(),
      StreamFrame.newBuilder()
          .setHeader(header().setCluster("c2"))
          .setPushPull(empty)
          .build()
          .toByteArray(),
      StreamFrame.newBuilder()
          .setHeader(header().setEnvironment(WireEnvironment.STAGING))
          .setPushPull(empty)
          .build()
          .toByteArray(),
      StreamFrame.newBuilder().setHeader(header()).build().toByteArray(),
    };
    for (byte[] input : inputs) {
      assertThat(h.node.onStreamRequest(p1.address(), input, 0)).isNull();
    }

    assertThat(h.node.stats().droppedByReason())
        .containsEntry(DropReason.MALFORMED, 2L)
        .containsEntry(DropReason.WRONG_VERSION, 1L)
        .containsEntry(DropReason.WRONG_CLUSTER, 1L)
        .containsEntry(DropReason.WRONG_ENVIRONMENT, 1L)
        .containsEntry(DropReason.INVALID, 1L);
    assertThat(h.node.members()).hasSize(1);
  }

  @Test
  void frame_tooManyMembers_droppedAsInvalid() {
    NodeHarness h = NodeHarness.started(SEED, 0);
    PushPull.Builder state = PushPull.newBuilder();
    MemberInfo tiny = MemberInfo.newBuilder().setName("m").build();
    for (int i = 0; i <= WireCodec.MAX_MEMBERS; i++) {
      state.addMembers(tiny);
    }

    byte[] response =
        h.node.onStreamRequest(
            p1.address(),
            StreamFrame.newBuilder().setHeader(header()).setPushPull(state).build().toByteArray(),
            0);

    assertThat(response).isNull();
    assertThat(h.node.stats().dropped(DropReason.INVALID)).isEqualTo(1);
  }

  @Test
  void decodePacket_reasonsAreTyped() {
    WireCodec codec = new WireCodec(NodeHarness.started(SEED, 0).identity);

    assertThatThrownBy(() -> codec.decodePacket(new byte[] {(byte) 0xff}))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.reason()).isEqualTo(DropReason.MALFORMED));
    assertThatThrownBy(() -> codec.decodePacket(pingPacket(header().setCluster("other"))))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DropReason.WRONG_CLUSTER);
              assertThat(e.getMessage()).contains("other");
            });
  }

  // ---- fuzz -----------------------------------------------------------------------------------

  /** A valid packet with one message of every kind. */
  private byte[] richPacket() {
    FakePeer p2 = new FakePeer("p2", NodeHarness.address(2));
    return p1.packet(
        new GossipMessage.Ping(11, "n0"),
        new GossipMessage.IndirectPing(12, "p2", p2.address(), true),
        new GossipMessage.Ack(13),
        new GossipMessage.Nack(14),
        new GossipMessage.Alive(p2.member(3, List.of("db"), Map.of("rack", "r1"), "z")),
        new GossipMessage.Suspect("p2", 3, "p1"),
        new GossipMessage.Dead("p2", 3, "p1"),
        new GossipMessage.Left("p1", 1),
        p1.alive(1));
  }

  private byte[] richFrame() {
    FakePeer p2 = new FakePeer("p2", NodeHarness.address(2));
    return p1.pushPull(
        true,
        p1.member(1),
        p2.member(2, List.of("db"), Map.of("rack", "r1"), ""),
        new FakePeer("p3", NodeHarness.address(3)).member(4, MemberState.DEAD),
        new FakePeer("p4", NodeHarness.address(4)).member(1, MemberState.SUSPECT),
        new FakePeer("p5", NodeHarness.address(5)).member(1, MemberState.LEFT));
  }

  private static byte[] mutate(byte[] original, SplittableRandom random) {
    byte[] bytes = original.clone();
    int mutations = random.nextInt(1, 5);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(6)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes = Arrays.copyOf(bytes, at);
        case 3 -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
        case 4 -> {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
        }
        default -> bytes[at] = (byte) (random.nextBoolean() ? 0x00 : 0xff);
      }
    }
    return bytes;
  }

  private static void assertStillAnswers(NodeHarness h, String context) {
    int seq = 424_242;
    h.deliver(h.peer(9), new GossipMessage.Ping(seq, "n0"));
    assertThat(acksSent(h, seq)).as(context).isEqualTo(1);
  }

  @Test
  void fuzz_mutatedPackets_neverThrowAndNodeKeepsAnswering() {
    byte[] valid = richPacket();
    SplittableRandom random = new SplittableRandom(SEED);
    NodeHarness h = NodeHarness.started(SEED, 3);
    long receivedBefore = h.node.stats().packetsReceived();

    for (int i = 0; i < 20_000; i++) {
      byte[] input = mutate(valid, random);
      try {
        h.node.onPacket(p1.address(), input, i);
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + SEED + " iteration " + i + " input " + HexFormat.of().formatHex(input), e);
      }
    }

    assertThat(h.node.stats().packetsReceived() - receivedBefore).isEqualTo(20_000);
    assertThat(h.node.stats().droppedTotal()).isPositive();
    assertStillAnswers(h, "after packet fuzz, seed " + SEED);
  }

  @Test
  void fuzz_mutatedPushPullFrames_neverThrowAndNodeKeepsAnswering() {
    byte[] valid = richFrame();
    SplittableRandom random = new SplittableRandom(SEED);
    NodeHarness h = null;

    for (int i = 0; i < 20_000; i++) {
      // A fresh node now and then keeps the full-state answers small.
      if (i % 1_000 == 0) {
        if (h != null) {
          assertStillAnswers(h, "seed " + SEED + " before iteration " + i);
        }
        h = NodeHarness.started(SEED + i, 3);
      }
      byte[] input = mutate(valid, random);
      try {
        byte[] response = h.node.onStreamRequest(p1.address(), input, i);
        if (response != null) {
          p1.decodeFrame(response);
        }
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + SEED + " iteration " + i + " input " + HexFormat.of().formatHex(input), e);
      }
    }
    assertStillAnswers(h, "after frame fuzz, seed " + SEED);
  }

  // ---- what a node writes ---------------------------------------------------------------------

  /**
   * The local record lists roles and tags sorted on the wire, so equal records are equal bytes in
   * every process (59ab5db: a refutation storm between processes that listed them in other orders).
   */
  @Test
  void localRecord_onTheWire_listsRolesAndTagsSorted() throws Exception {
    NodeHarness h = NodeHarness.started(SEED, 1);

    h.node.updateMeta(Set.of("host", "catalog", "dns"), Map.of("b", "2", "a", "1"), "", h.now);
    h.runUntil(
        2_000,
        () ->
            !h.out
                .messages(GossipMessage.Alive.class, a -> !a.member().roles().isEmpty())
                .isEmpty());

    RecordingOutput.SentPacket sent =
        h.out.packets.stream()
            .filter(
                p ->
                    p.all(GossipMessage.Alive.class).stream()
                        .anyMatch(a -> !a.member().roles().isEmpty()))
            .findFirst()
            .orElseThrow();
    MemberInfo announced =
        Packet.parseFrom(sent.bytes()).getMessagesList().stream()
            .filter(Message::hasAlive)
            .map(m -> m.getAlive().getMember())
            .filter(m -> m.getRolesCount() > 0)
            .findFirst()
            .orElseThrow();
    assertThat(announced.getRolesList()).containsExactly("catalog", "dns", "host");
    assertThat(announced.getTagsMap().keySet()).containsExactly("a", "b");
  }
}
