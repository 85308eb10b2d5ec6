package io.hivemind.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.hivemind.api.MemberState;
import io.hivemind.core.wire.proto.Ack;
import io.hivemind.core.wire.proto.Alive;
import io.hivemind.core.wire.proto.Dead;
import io.hivemind.core.wire.proto.Endpoint;
import io.hivemind.core.wire.proto.Header;
import io.hivemind.core.wire.proto.IndirectPing;
import io.hivemind.core.wire.proto.Left;
import io.hivemind.core.wire.proto.MemberInfo;
import io.hivemind.core.wire.proto.Message;
import io.hivemind.core.wire.proto.Nack;
import io.hivemind.core.wire.proto.Packet;
import io.hivemind.core.wire.proto.Ping;
import io.hivemind.core.wire.proto.PushPull;
import io.hivemind.core.wire.proto.StreamFrame;
import io.hivemind.core.wire.proto.Suspect;
import io.hivemind.core.wire.proto.WireEnvironment;
import io.hivemind.core.wire.proto.WireState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge decoder on its own ({@link WireCodec} with {@link WireDecoder} and {@link WireEncoder}):
 * every message kind round-trips between bytes and records, every rule drops with its {@link
 * DropReason}, and no input throws anything but {@link WireException}. Expected bytes are built
 * with the generated protobuf builders, so they do not depend on the encoder under test.
 */
class WireDecoderTest {

  private static final long SEED = 17;
  private static final Address P2_ADDRESS = new Address("10.0.0.3", 7946);

  /** The receiving node's codec: cluster c1, environment TESTING. */
  private final WireCodec codec =
      new WireCodec(
          NodeIdentity.of(
              "n0", NodeHarness.SELF_ADDRESS, NodeHarness.CLUSTER, NodeHarness.ENVIRONMENT));

  private final FakePeer p1 = new FakePeer("p1", NodeHarness.address(1));

  // ---- building expected bytes ----------------------------------------------------------------

  private static Header.Builder header() {
    return Header.newBuilder()
        .setVersion(WireCodec.PROTOCOL_VERSION)
        .setCluster(NodeHarness.CLUSTER)
        .setEnvironment(WireEnvironment.TESTING)
        .setSender("p1");
  }

  private static Endpoint endpoint(String host, int port) {
    return Endpoint.newBuilder().setHost(host).setPort(port).build();
  }

  /** p2's record as the wire has it, alive at incarnation 3, without metadata. */
  private static MemberInfo.Builder p2Info() {
    return MemberInfo.newBuilder()
        .setName("p2")
        .setAddress(endpoint(P2_ADDRESS.host(), P2_ADDRESS.port()))
        .setIncarnation(3)
        .setState(WireState.ALIVE);
  }

  private static Message alive(MemberInfo.Builder member) {
    return Message.newBuilder().setAlive(Alive.newBuilder().setMember(member)).build();
  }

  private static Message indirectPing(String target, Endpoint address) {
    IndirectPing.Builder request = IndirectPing.newBuilder().setSeq(1).setTarget(target);
    if (address != null) {
      request.setTargetAddress(address);
    }
    return Message.newBuilder().setIndirectPing(request).build();
  }

  private static byte[] packetOf(Header.Builder header, List<Message> messages) {
    return Packet.newBuilder().setHeader(header).addAllMessages(messages).build().toByteArray();
  }

  private static byte[] packetOf(Message... messages) {
    return packetOf(header(), List.of(messages));
  }

  private static byte[] frameOf(StreamFrame.Builder frame) {
    return frame.setHeader(header()).build().toByteArray();
  }

  // ---- round trips: packet messages -----------------------------------------------------------

  static Stream<Arguments> everyMessageKind() {
    GossipMember p2 =
        new GossipMember(
            "p2",
            P2_ADDRESS,
            3,
            MemberState.ALIVE,
            List.of("db", "web"),
            Map.of("rack", "r1", "a", "1"),
            "zone-a");
    MemberInfo.Builder p2Info =
        p2Info().addRoles("db").addRoles("web").putTags("a", "1").putTags("rack", "r1");
    return Stream.of(
        Arguments.of(
            new GossipMessage.Ping(7, "n0"),
            Message.newBuilder().setPing(Ping.newBuilder().setSeq(7).setTarget("n0")).build()),
        Arguments.of(
            new GossipMessage.Ping(8, ""),
            Message.newBuilder().setPing(Ping.newBuilder().setSeq(8)).build()),
        Arguments.of(
            new GossipMessage.IndirectPing(12, "p2", P2_ADDRESS, true),
            Message.newBuilder()
                .setIndirectPing(
                    IndirectPing.newBuilder()
                        .setSeq(12)
                        .setTarget("p2")
                        .setTargetAddress(endpoint(P2_ADDRESS.host(), P2_ADDRESS.port()))
                        .setNack(true))
                .build()),
        Arguments.of(
            new GossipMessage.Ack(13),
            Message.newBuilder().setAck(Ack.newBuilder().setSeq(13)).build()),
        Arguments.of(
            // uint32 on the wire: 2^31 and above are negative ints, and stay the same bits.
            new GossipMessage.Ack(-5),
            Message.newBuilder().setAck(Ack.newBuilder().setSeq(-5)).build()),
        Arguments.of(
            new GossipMessage.Nack(14),
            Message.newBuilder().setNack(Nack.newBuilder().setSeq(14)).build()),
        Arguments.of(new GossipMessage.Alive(p2), alive(p2Info.setZone("zone-a"))),
        Arguments.of(
            new GossipMessage.Alive(GossipMember.of("p2", P2_ADDRESS, 3, MemberState.ALIVE)),
            alive(p2Info())),
        Arguments.of(
            new GossipMessage.Suspect("p2", 3, "p1"),
            Message.newBuilder()
                .setSuspect(Suspect.newBuilder().setName("p2").setIncarnation(3).setFrom("p1"))
                .build()),
        Arguments.of(
            // The highest incarnation gossip may carry (MemberUpdates.MAX_INCARNATION).
            new GossipMessage.Dead("p2", MemberUpdates.MAX_INCARNATION, "p1"),
            Message.newBuilder()
                .setDead(
                    Dead.newBuilder()
                        .setName("p2")
                        .setIncarnation(MemberUpdates.MAX_INCARNATION)
                        .setFrom("p1"))
                .build()),
        Arguments.of(
            new GossipMessage.Left("p2", 4),
            Message.newBuilder()
                .setLeft(Left.newBuilder().setName("p2").setIncarnation(4))
                .build()));
  }

  @ParameterizedTest
  @MethodSource("everyMessageKind")
  void message_everyKind_encodesAsProtobufAndRoundTrips(GossipMessage record, Message wire)
      throws WireException {
    byte[] bytes = wire.toByteArray();

    assertThat(WireEncoder.encode(record)).isEqualTo(new EncodedMessage(bytes));
    DecodedPacket decoded = codec.decodePacket(packetOf(wire));
    assertThat(decoded).isEqualTo(new DecodedPacket("p1", List.of(record), 0, false));
    assertThat(WireEncoder.encode(decoded.messages().get(0))).isEqualTo(new EncodedMessage(bytes));
  }

  @Test
  void packet_everyKindTogether_decodesInOrderAndReassemblesToSameBytes() throws WireException {
    List<GossipMessage> records = new ArrayList<>();
    List<Message> wire = new ArrayList<>();
    everyMessageKind()
        .forEach(
            kind -> {
              records.add((GossipMessage) kind.get()[0]);
              wire.add((Message) kind.get()[1]);
            });
    byte[] bytes = packetOf(header(), wire);

    DecodedPacket decoded = codec.decodePacket(bytes);

    assertThat(decoded.messages()).containsExactlyElementsOf(records);
    assertThat(p1.packet(decoded.messages().toArray(GossipMessage[]::new))).isEqualTo(bytes);
  }

  /**
   * Tags are a map: written sorted by key whatever map holds them. Roles are written as listed (the
   * record keeps the wire's order; our own are sorted by NodeState, see WireCodecTest).
   */
  @Test
  void member_tagsInAnyOrder_encodedSortedRolesAsListed() throws Exception {
    GossipMember member =
        new GossipMember(
            "p2",
            P2_ADDRESS,
            3,
            MemberState.ALIVE,
            List.of("web", "db", "dns", "catalog"),
            Map.of("z", "1", "b", "2", "m", "3"),
            "");

    EncodedMessage alive = WireEncoder.encode(new GossipMessage.Alive(member));

    MemberInfo info = Message.parseFrom(alive.bytes()).getAlive().getMember();
    assertThat(info.getRolesList()).containsExactly("web", "db", "dns", "catalog");
    assertThat(info.getTagsMap().keySet()).containsExactly("b", "m", "z");
  }

  // ---- round trips: stream frames -------------------------------------------------------------

  static Stream<Arguments> everyFrameKind() {
    List<GossipMember> members = new ArrayList<>();
    PushPull.Builder state = PushPull.newBuilder().setJoin(true);
    int i = 0;
    for (MemberState memberState : MemberState.values()) {
      i++;
      Address address = new Address("10.0.1." + i, 7000 + i);
      members.add(
          new GossipMember(
              "m" + i, address, i, memberState, List.of("db"), Map.of("rack", "r" + i), "z"));
      state.addMembers(
          MemberInfo.newBuilder()
              .setName("m" + i)
              .setAddress(endpoint(address.host(), address.port()))
              .setIncarnation(i)
              .setState(WireState.forNumber(memberState.ordinal() + 1))
              .addRoles("db")
              .putTags("rack", "r" + i)
              .setZone("z"));
    }
    return Stream.of(
        Arguments.of(
            new StreamMessage.PushPull(true, members), StreamFrame.newBuilder().setPushPull(state)),
        Arguments.of(
            new StreamMessage.PushPull(false, List.of()),
            StreamFrame.newBuilder().setPushPull(PushPull.getDefaultInstance())),
        Arguments.of(
            new GossipMessage.Ping(9, "n0"),
            StreamFrame.newBuilder().setPing(Ping.newBuilder().setSeq(9).setTarget("n0"))),
        Arguments.of(
            new GossipMessage.Ack(9), StreamFrame.newBuilder().setAck(Ack.newBuilder().setSeq(9))));
  }

  @ParameterizedTest
  @MethodSource("everyFrameKind")
  void frame_everyKind_encodesAsProtobufAndRoundTrips(StreamMessage body, StreamFrame.Builder wire)
      throws WireException {
    byte[] bytes = frameOf(wire);

    assertThat(p1.frame(body)).isEqualTo(bytes);
    DecodedFrame decoded = codec.decodeFrame(bytes);
    assertThat(decoded).isEqualTo(new DecodedFrame("p1", body));
    assertThat(p1.frame(decoded.body())).isEqualTo(bytes);
  }

  @Test
  void frame_withoutBody_decodesAsUnknown() throws WireException {
    DecodedFrame decoded = codec.decodeFrame(frameOf(StreamFrame.newBuilder()));

    assertThat(decoded.body()).isEqualTo(StreamMessage.Unknown.INSTANCE);
  }

  // ---- whole packets and frames dropped -------------------------------------------------------

  static Stream<Arguments> droppedPackets() {
    Message ping = Message.newBuilder().setPing(Ping.newBuilder().setSeq(1)).build();
    List<Message> tooMany = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_MESSAGES_PER_PACKET; i++) {
      tooMany.add(ping);
    }
    return Stream.of(
        Arguments.of("over 65,507 bytes", new byte[65_508], DropReason.OVERSIZED),
        Arguments.of("not protobuf", new byte[] {(byte) 0xff, 0x01}, DropReason.MALFORMED),
        Arguments.of("empty", new byte[0], DropReason.MALFORMED),
        Arguments.of(
            "no header",
            Packet.newBuilder().addMessages(ping).build().toByteArray(),
            DropReason.MALFORMED),
        Arguments.of(
            "version 2", packetOf(header().setVersion(2), List.of(ping)), DropReason.WRONG_VERSION),
        Arguments.of(
            "no version",
            packetOf(header().clearVersion(), List.of(ping)),
            DropReason.WRONG_VERSION),
        Arguments.of(
            "other cluster",
            packetOf(header().setCluster("c2"), List.of(ping)),
            DropReason.WRONG_CLUSTER),
        Arguments.of(
            "other environment",
            packetOf(header().setEnvironment(WireEnvironment.PRODUCTION), List.of(ping)),
            DropReason.WRONG_ENVIRONMENT),
        Arguments.of(
            "unknown environment",
            packetOf(header().setEnvironmentValue(99), List.of(ping)),
            DropReason.WRONG_ENVIRONMENT),
        Arguments.of(
            "empty sender", packetOf(header().setSender(""), List.of(ping)), DropReason.INVALID),
        Arguments.of(
            "sender of 129 bytes",
            packetOf(header().setSender("s".repeat(129)), List.of(ping)),
            DropReason.INVALID),
        Arguments.of("256 messages", packetOf(header(), tooMany), DropReason.INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("droppedPackets")
  void packet_brokenWhole_throwsItsReason(String what, byte[] bytes, DropReason reason) {
    assertThatThrownBy(() -> codec.decodePacket(bytes))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.reason()).as(what).isEqualTo(reason));
  }

  static Stream<Arguments> droppedFrames() {
    StreamFrame.Builder empty = StreamFrame.newBuilder().setPushPull(PushPull.getDefaultInstance());
    PushPull.Builder tooMany = PushPull.newBuilder();
    MemberInfo tiny = MemberInfo.newBuilder().setName("m").build();
    for (int i = 0; i <= WireCodec.MAX_MEMBERS; i++) {
      tooMany.addMembers(tiny);
    }
    return Stream.of(
        Arguments.of("over 64 MiB", new byte[WireCodec.MAX_FRAME_BYTES + 1], DropReason.OVERSIZED),
        Arguments.of("not protobuf", new byte[] {(byte) 0xff}, DropReason.MALFORMED),
        Arguments.of("no header", empty.build().toByteArray(), DropReason.MALFORMED),
        Arguments.of(
            "version 9",
            empty.clone().setHeader(header().setVersion(9)).build().toByteArray(),
            DropReason.WRONG_VERSION),
        Arguments.of(
            "other cluster",
            empty.clone().setHeader(header().setCluster("c2")).build().toByteArray(),
            DropReason.WRONG_CLUSTER),
        Arguments.of(
            "other environment",
            empty
                .clone()
                .setHeader(header().setEnvironment(WireEnvironment.STAGING))
                .build()
                .toByteArray(),
            DropReason.WRONG_ENVIRONMENT),
        Arguments.of(
            "empty sender",
            empty.clone().setHeader(header().setSender("")).build().toByteArray(),
            DropReason.INVALID),
        Arguments.of(
            "100,001 members",
            frameOf(StreamFrame.newBuilder().setPushPull(tooMany)),
            DropReason.INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("droppedFrames")
  void frame_brokenWhole_throwsItsReason(String what, byte[] bytes, DropReason reason) {
    assertThatThrownBy(() -> codec.decodeFrame(bytes))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.reason()).as(what).isEqualTo(reason));
  }

  // ---- one message or member dropped ----------------------------------------------------------

  /** Member records that break a rule: invalid in an Alive and in a push-pull alike. */
  static Stream<Arguments> invalidMembers() {
    return Stream.of(
        Arguments.of("empty name", p2Info().setName("")),
        Arguments.of("name of 129 bytes", p2Info().setName("€".repeat(43))),
        Arguments.of("no address", p2Info().clearAddress()),
        Arguments.of("empty host", p2Info().setAddress(endpoint("", 1))),
        Arguments.of("blank host", p2Info().setAddress(endpoint("  ", 1))),
        Arguments.of("host of 256 bytes", p2Info().setAddress(endpoint("h".repeat(256), 1))),
        Arguments.of("port 65,536", p2Info().setAddress(endpoint("10.0.0.3", 65_536))),
        Arguments.of("port 2^31", p2Info().setAddress(endpoint("10.0.0.3", Integer.MIN_VALUE))),
        Arguments.of("port 0", p2Info().setAddress(endpoint("10.0.0.3", 0))),
        Arguments.of("host a name", p2Info().setAddress(endpoint("db.example.com", 1))),
        Arguments.of("host 12?.0.0.1", p2Info().setAddress(endpoint("12?.0.0.1", 1))),
        Arguments.of("host 256.0.0.1", p2Info().setAddress(endpoint("256.0.0.1", 1))),
        Arguments.of("host 010.0.0.1", p2Info().setAddress(endpoint("010.0.0.1", 1))),
        Arguments.of("host [::1]", p2Info().setAddress(endpoint("[::1]", 1))),
        Arguments.of("host with zone", p2Info().setAddress(endpoint("fe80::1%eth0", 1))),
        Arguments.of("host 1::2::3", p2Info().setAddress(endpoint("1::2::3", 1))),
        Arguments.of("name with CR", p2Info().setName("p2\r")),
        Arguments.of("name with BEL", p2Info().setName("p\u00072")),
        Arguments.of("name with DEL", p2Info().setName("p2\u007f")),
        Arguments.of("name with a space", p2Info().setName("p 2")),
        Arguments.of("name starting with '-'", p2Info().setName("-p2")),
        Arguments.of("name not ASCII", p2Info().setName("pé")),
        Arguments.of("tag key with '='", p2Info().putTags("a=b", "1")),
        Arguments.of("tag key of 65 bytes", p2Info().putTags("k".repeat(65), "1")),
        Arguments.of("tag value with CR", p2Info().putTags("k", "v\r\nX-Injected: 1")),
        Arguments.of("tag value of 257 bytes", p2Info().putTags("k", "v".repeat(257))),
        Arguments.of("role upper case", p2Info().addRoles("DNS")),
        Arguments.of("role empty", p2Info().addRoles("")),
        Arguments.of("zone with a space", p2Info().setZone("eu west")),
        Arguments.of(
            "513 bytes of metadata",
            p2Info().putTags("k", "x".repeat(256)).putTags("l", "y".repeat(254)).setZone("z")),
        Arguments.of("no state", p2Info().setState(WireState.STATE_UNSPECIFIED)),
        Arguments.of("incarnation 2^62 + 1", p2Info().setIncarnation((1L << 62) + 1)),
        Arguments.of("incarnation 2^63 - 1", p2Info().setIncarnation(Long.MAX_VALUE)),
        // uint64 on the wire: 2^63 and above arrive as negative longs.
        Arguments.of("incarnation 2^64 - 1", p2Info().setIncarnation(-1)),
        Arguments.of("unknown state", p2Info().setStateValue(99)));
  }

  static Stream<Arguments> invalidMessages() {
    Stream<Arguments> others =
        Stream.of(
            Arguments.of("indirect ping, empty target", indirectPing("", endpoint("10.0.0.3", 1))),
            Arguments.of(
                "indirect ping, target with BEL",
                indirectPing("p\u00072", endpoint("10.0.0.3", 1))),
            Arguments.of(
                "ping, target with CR",
                Message.newBuilder()
                    .setPing(Ping.newBuilder().setSeq(1).setTarget("n0\r"))
                    .build()),
            Arguments.of(
                "suspect, from of 20 KB",
                Message.newBuilder()
                    .setSuspect(Suspect.newBuilder().setName("p2").setFrom("f".repeat(20_000)))
                    .build()),
            Arguments.of(
                "dead, empty from",
                Message.newBuilder().setDead(Dead.newBuilder().setName("p2")).build()),
            Arguments.of(
                "indirect ping, target of 129 bytes",
                indirectPing("t".repeat(129), endpoint("h", 1))),
            Arguments.of("indirect ping, no address", indirectPing("p2", null)),
            Arguments.of("indirect ping, empty host", indirectPing("p2", endpoint("", 1))),
            Arguments.of("indirect ping, blank host", indirectPing("p2", endpoint(" ", 1))),
            Arguments.of("indirect ping, port 65,536", indirectPing("p2", endpoint("h", 65_536))),
            Arguments.of(
                "indirect ping, port 2^31", indirectPing("p2", endpoint("h", Integer.MIN_VALUE))),
            Arguments.of(
                "suspect, empty name",
                Message.newBuilder().setSuspect(Suspect.newBuilder().setFrom("p1")).build()),
            Arguments.of(
                "dead, name of 129 bytes",
                Message.newBuilder().setDead(Dead.newBuilder().setName("d".repeat(129))).build()),
            Arguments.of(
                "suspect, incarnation 2^63 - 1",
                Message.newBuilder()
                    .setSuspect(
                        Suspect.newBuilder()
                            .setName("p2")
                            .setIncarnation(Long.MAX_VALUE)
                            .setFrom("p1"))
                    .build()),
            Arguments.of(
                "dead, incarnation 2^63",
                Message.newBuilder()
                    .setDead(Dead.newBuilder().setName("p2").setIncarnation(Long.MIN_VALUE))
                    .build()),
            Arguments.of(
                "left, incarnation 2^62 + 1",
                Message.newBuilder()
                    .setLeft(Left.newBuilder().setName("p2").setIncarnation((1L << 62) + 1))
                    .build()),
            Arguments.of(
                "left, empty name",
                Message.newBuilder().setLeft(Left.newBuilder().setIncarnation(1)).build()));
    Stream<Arguments> alives =
        invalidMembers()
            .map(a -> Arguments.of("alive, " + a.get()[0], alive((MemberInfo.Builder) a.get()[1])));
    return Stream.concat(others, alives);
  }

  /**
   * A message that breaks a rule is dropped with everything after it in its packet, counted once as
   * INVALID; what came before it stays (see {@link DecodedPacket}).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidMessages")
  void message_brokenRule_endsPacketCountedInvalidOnce(String what, Message broken)
      throws WireException {
    Message before = Message.newBuilder().setAck(Ack.newBuilder().setSeq(1)).build();
    Message after = Message.newBuilder().setAck(Ack.newBuilder().setSeq(2)).build();

    DecodedPacket decoded = codec.decodePacket(packetOf(before, broken, after, broken));

    assertThat(decoded)
        .as(what)
        .isEqualTo(new DecodedPacket("p1", List.of(new GossipMessage.Ack(1)), 1, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidMembers")
  void pushPull_brokenMember_droppedAndCountedOthersKept(String what, MemberInfo.Builder broken)
      throws WireException {
    byte[] frame =
        frameOf(
            StreamFrame.newBuilder()
                .setPushPull(PushPull.newBuilder().addMembers(broken).addMembers(p2Info())));

    DecodedFrame decoded = codec.decodeFrame(frame);

    assertThat(decoded.body())
        .as(what)
        .isEqualTo(
            new StreamMessage.PushPull(
                false, List.of(GossipMember.of("p2", P2_ADDRESS, 3, MemberState.ALIVE)), 1));
  }

  /** A message of no known kind (a later version's) is skipped; the rest of the packet stays. */
  @Test
  void message_ofNoKnownKind_skippedCountedRestKept() throws WireException {
    Message unknown = Message.getDefaultInstance();
    Message ack = Message.newBuilder().setAck(Ack.newBuilder().setSeq(1)).build();

    DecodedPacket decoded = codec.decodePacket(packetOf(unknown, ack, unknown));

    assertThat(decoded)
        .isEqualTo(new DecodedPacket("p1", List.of(new GossipMessage.Ack(1)), 2, false));
  }

  private static final String LONGEST_IPV6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

  @Test
  void bounds_atTheLimit_accepted() throws WireException {
    MemberInfo.Builder atLimits =
        p2Info()
            .setName("n".repeat(128))
            .setAddress(endpoint(LONGEST_IPV6, 65_535))
            .putTags("k", "x".repeat(256))
            .putTags("l", "y".repeat(253))
            .setZone("z");
    Message port1 = alive(p2Info().setAddress(endpoint("0.0.0.0", 1)));

    DecodedPacket decoded = codec.decodePacket(packetOf(alive(atLimits), port1));

    assertThat(decoded.invalidMessages()).isZero();
    assertThat(decoded.messages()).hasSize(2);
    GossipMember member = ((GossipMessage.Alive) decoded.messages().get(0)).member();
    assertThat(member.address()).isEqualTo(new Address(LONGEST_IPV6, 65_535));
  }

  // ---- fuzz -----------------------------------------------------------------------------------

  /**
   * 20,000 inputs from one seed: random bytes, and real packets and frames with bits flipped or cut
   * short. Decoding either succeeds with records that re-encode and decode to themselves, or throws
   * a {@link WireException}; nothing else ever escapes.
   */
  @Test
  void fuzz_randomAndBitFlippedInput_onlyWireExceptionsAndSelfConsistentRecords() {
    byte[] packet = richPacket();
    byte[] frame = richFrame();
    Random random = new Random(SEED);
    Map<DropReason, Integer> reasons = new EnumMap<>(DropReason.class);
    int decoded = 0;
    int invalidInside = 0;

    for (int i = 0; i < 20_000; i++) {
      // Random bytes go to either decoder; flipped input to the decoder of its kind.
      boolean asFrame = i % 4 >= 2;
      byte[] input = i % 2 == 0 ? randomBytes(random) : flipped(asFrame ? frame : packet, random);
      try {
        invalidInside +=
            asFrame
                ? checkSelfConsistent(codec.decodeFrame(input))
                : checkSelfConsistent(codec.decodePacket(input));
        decoded++;
      } catch (WireException e) {
        reasons.merge(e.reason(), 1, Integer::sum);
      } catch (RuntimeException | Error e) {
        fail("seed %d, input %d: %s threw %s", SEED, i, HexFormat.of().formatHex(input), e);
      }
    }

    assertThat(decoded).as("inputs that decoded").isGreaterThan(1_000);
    assertThat(invalidInside).as("messages or members dropped inside").isPositive();
    assertThat(reasons).containsKeys(DropReason.MALFORMED, DropReason.INVALID);
  }

  private byte[] richPacket() {
    return p1.packet(
        new GossipMessage.Ping(11, "n0"),
        new GossipMessage.IndirectPing(12, "p2", P2_ADDRESS, true),
        new GossipMessage.Ack(13),
        new GossipMessage.Nack(14),
        new GossipMessage.Alive(
            new GossipMember(
                "p2", P2_ADDRESS, 3, MemberState.ALIVE, List.of("db"), Map.of("rack", "r1"), "z")),
        new GossipMessage.Suspect("p2", 3, "p1"),
        new GossipMessage.Dead("p2", 3, "p1"),
        new GossipMessage.Left("p1", 1));
  }

  private byte[] richFrame() {
    List<GossipMember> members = new ArrayList<>();
    for (MemberState state : MemberState.values()) {
      members.add(
          new GossipMember(
              "m" + state, P2_ADDRESS, 2, state, List.of("db", "dns"), Map.of("rack", "r1"), "z"));
    }
    return p1.pushPull(true, members.toArray(GossipMember[]::new));
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(1_500)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** One to four bits flipped; one time in four also cut short. */
  private static byte[] flipped(byte[] original, Random random) {
    byte[] bytes = original.clone();
    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
    if (random.nextInt(4) == 0) {
      bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }
    return bytes;
  }

  /** Every decoded record re-encodes and decodes to itself: it keeps every rule. */
  private int checkSelfConsistent(DecodedPacket packet) throws WireException {
    for (GossipMessage message : packet.messages()) {
      assertThat(codec.decodePacket(p1.packet(message)).messages()).containsExactly(message);
    }
    return packet.invalidMessages();
  }

  private int checkSelfConsistent(DecodedFrame frame) throws WireException {
    if (frame.body() instanceof StreamMessage.Unknown) {
      return 0;
    }
    StreamMessage body = frame.body();
    StreamMessage again = codec.decodeFrame(p1.frame(body)).body();
    if (body instanceof StreamMessage.PushPull state) {
      assertThat(again).isEqualTo(new StreamMessage.PushPull(state.join(), state.members()));
      return state.invalidMembers();
    }
    assertThat(again).isEqualTo(body);
    return 0;
  }
}
