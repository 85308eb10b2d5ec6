package io.hivemind.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.GatewayEntry;
import io.hivemind.core.wire.proto.GatewayErrorCode;
import io.hivemind.core.wire.proto.GatewayFrame;
import io.hivemind.core.wire.proto.GatewayHeartbeat;
import io.hivemind.core.wire.proto.GatewayPeer;
import io.hivemind.core.wire.proto.GatewayResult;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden, round-trip, malformed and fuzzed frames of the control gateway protocol. */
class WireGatewayCodecTest {

  private static final long SEED = 10;

  /** GatewayFrame{version 1, follow{after_index 5}}, encoded by hand from control_gateway.proto. */
  private static final byte[] GOLDEN_FOLLOW = HexFormat.of().parseHex("0801" + "1202" + "0805");

  @Test
  void decode_goldenFollow_isTheRecord() throws Exception {
    assertThat(WireGatewayCodec.decode(GOLDEN_FOLLOW)).isEqualTo(new GatewayMessage.Follow(5));
    assertThat(WireGatewayCodec.encode(new GatewayMessage.Follow(5))).isEqualTo(GOLDEN_FOLLOW);
  }

  /**
   * GatewayFrame{version 1, follow{after_index 5, node_id "n", environment "testing"}}, by hand:
   * field 3 of GatewayFollow is the environment.
   */
  private static final byte[] GOLDEN_FOLLOW_WITH_ENVIRONMENT =
      HexFormat.of().parseHex("0801" + "120e" + "0805" + "12016e" + "1a0774657374696e67");

  @Test
  void decode_goldenFollowWithEnvironment_carriesIt() throws Exception {
    GatewayMessage.Follow follow = new GatewayMessage.Follow(5, "n", "testing");
    assertThat(WireGatewayCodec.decode(GOLDEN_FOLLOW_WITH_ENVIRONMENT)).isEqualTo(follow);
    assertThat(WireGatewayCodec.encode(follow)).isEqualTo(GOLDEN_FOLLOW_WITH_ENVIRONMENT);
  }

  @Test
  void decode_followOfAnOlderVersion_declaresNoEnvironment() throws Exception {
    // A follower built before the field sends none: it decodes as "", which gateways refuse.
    GatewayMessage decoded = WireGatewayCodec.decode(GOLDEN_FOLLOW);
    assertThat(((GatewayMessage.Follow) decoded).environment()).isEmpty();
  }

  @Test
  void withEnvironment_keepsTheOtherFields() {
    assertThat(new GatewayMessage.Follow(4, "node-a").withEnvironment("staging"))
        .isEqualTo(new GatewayMessage.Follow(4, "node-a", "staging"));
    assertThat(new GatewayMessage.Follow(4, "", "staging").withNodeId("node-a"))
        .isEqualTo(new GatewayMessage.Follow(4, "node-a", "staging"));
    assertThat(new GatewayMessage.MeshPeer("control-2").withEnvironment("staging"))
        .isEqualTo(new GatewayMessage.MeshPeer("control-2", "staging"));
  }

  @Test
  void roundTrip_everyMessage_comesBackEqual() throws Exception {
    List<GatewayMessage> messages =
        List.of(
            new GatewayMessage.Follow(0),
            new GatewayMessage.Follow(3, "node-1"),
            new GatewayMessage.MeshPeer("control-2"),
            new GatewayMessage.Follow(3, "node-1", "production"),
            new GatewayMessage.MeshPeer("control-2", "production"),
            new GatewayMessage.Failure(0, GatewayError.WRONG_ENVIRONMENT, "wrong environment"),
            new GatewayMessage.ReadIndex(7),
            new GatewayMessage.ReadIndexResult(7, 42),
            new GatewayMessage.Heartbeat(
                9,
                "127.0.0.1:7303",
                3,
                List.of(
                    new GatewayMessage.Peer("n1", "127.0.0.1:7303", true, true),
                    new GatewayMessage.Peer("n2", "127.0.0.2:7303", false, false))),
            new GatewayMessage.Heartbeat(0, "", 0, List.of()),
            new GatewayMessage.Failure(3, GatewayError.NO_QUORUM, "no leader"),
            new GatewayMessage.Failure(4, GatewayError.INTERNAL, ""));
    for (GatewayMessage message : messages) {
      assertThat(WireGatewayCodec.decode(WireGatewayCodec.encode(message))).isEqualTo(message);
    }
  }

  @Test
  void roundTrip_messagesWithBytes_keepTheBytes() throws Exception {
    byte[] bytes = {1, 2, 3, 0, -1};
    var entry =
        (GatewayMessage.Entry)
            WireGatewayCodec.decode(WireGatewayCodec.encode(new GatewayMessage.Entry(12, bytes)));
    assertThat(entry.index()).isEqualTo(12);
    assertThat(entry.entryBytes()).containsExactly(bytes);
    var submit =
        (GatewayMessage.Submit)
            WireGatewayCodec.decode(WireGatewayCodec.encode(new GatewayMessage.Submit(-5, bytes)));
    assertThat(submit.requestId()).isEqualTo(-5); // an id is echoed, any 64 bits
    assertThat(submit.entryBytes()).containsExactly(bytes);
    var snapshot =
        (GatewayMessage.Snapshot)
            WireGatewayCodec.decode(WireGatewayCodec.encode(new GatewayMessage.Snapshot(8, bytes)));
    assertThat(snapshot.snapshotBytes()).containsExactly(bytes);
    var result =
        (GatewayMessage.SubmitResult)
            WireGatewayCodec.decode(
                WireGatewayCodec.encode(new GatewayMessage.SubmitResult(2, bytes)));
    assertThat(result.resultBytes()).containsExactly(bytes);
    var catalog =
        (GatewayMessage.Catalog)
            WireGatewayCodec.decode(WireGatewayCodec.encode(new GatewayMessage.Catalog(bytes)));
    assertThat(catalog.frameBytes()).containsExactly(bytes);
  }

  @Test
  void decode_overlongNodeId_isRefused() {
    byte[] frame =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setMeshPeer(
                io.hivemind.core.wire.proto.GatewayMeshPeer.newBuilder().setNodeId("n".repeat(301)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(frame))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("mesh peer id");
  }

  @Test
  void submit_carriesItsAclToken_whichItsTextNeverShows() throws Exception {
    var submit =
        (GatewayMessage.Submit)
            WireGatewayCodec.decode(
                WireGatewayCodec.encode(new GatewayMessage.Submit(3, new byte[] {1}, "s3cret")));

    assertThat(submit.aclToken()).isEqualTo("s3cret");
    assertThat(submit.toString()).doesNotContain("s3cret").contains("with a token");
    assertThat(new GatewayMessage.Submit(3, new byte[] {1}).aclToken()).isEmpty();
  }

  @Test
  void decode_overlongAclToken_isRefused() {
    byte[] frame =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setSubmit(
                io.hivemind.core.wire.proto.GatewaySubmit.newBuilder()
                    .setRequestId(1)
                    .setAclToken("t".repeat(GatewayMessage.Submit.MAX_ACL_TOKEN_CHARS + 1)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(frame))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("ACL token");
  }

  @Test
  void errorCodes_matchTheWireEnumByName() {
    for (GatewayError error : GatewayError.values()) {
      assertThat(WireGatewayCodec.code(error).name()).isEqualTo(error.name());
    }
  }

  @Test
  void encode_longErrorMessage_isCut() throws Exception {
    String longMessage = "x".repeat(5_000);
    var failure =
        (GatewayMessage.Failure)
            WireGatewayCodec.decode(
                WireGatewayCodec.encode(
                    new GatewayMessage.Failure(1, GatewayError.INTERNAL, longMessage)));
    assertThat(failure.message()).hasSize(WireGatewayCodec.MAX_MESSAGE_CHARS);
  }

  @Test
  void decode_newerVersion_isRefused() {
    byte[] frame = GatewayFrame.newBuilder().setVersion(2).build().toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(frame))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void decode_noBody_isRefused() {
    byte[] frame = GatewayFrame.newBuilder().setVersion(1).build().toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(frame))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("without a body");
  }

  @Test
  void decode_entryAtIndexZeroOrHuge_isRefused() {
    for (long index : new long[] {0, -1}) {
      byte[] frame =
          GatewayFrame.newBuilder()
              .setVersion(1)
              .setEntry(GatewayEntry.newBuilder().setIndex(index).setEntry(ByteString.EMPTY))
              .build()
              .toByteArray();
      assertThatThrownBy(() -> WireGatewayCodec.decode(frame))
          .isInstanceOf(ControlDecodeException.class)
          .hasMessageContaining("entry index");
    }
  }

  @Test
  void decode_tooManyPeersOrLongAddress_isRefused() {
    GatewayHeartbeat.Builder many = GatewayHeartbeat.newBuilder();
    for (int i = 0; i <= WireGatewayCodec.MAX_PEERS; i++) {
      many.addPeers(GatewayPeer.newBuilder().setId("n" + i));
    }
    byte[] manyPeers =
        GatewayFrame.newBuilder().setVersion(1).setHeartbeat(many).build().toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(manyPeers))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("peers");
    byte[] longLeader =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setHeartbeat(GatewayHeartbeat.newBuilder().setLeaderAddress("a".repeat(301)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(longLeader))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("leader address");
  }

  @Test
  void decode_unknownErrorCodeOrNoOutcome_isRefused() {
    byte[] unknownCode =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setResult(
                GatewayResult.newBuilder()
                    .setRequestId(1)
                    .setError(
                        io.hivemind.core.wire.proto.GatewayError.newBuilder().setCodeValue(99)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(unknownCode))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("unknown error code 99");
    byte[] unspecified =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setResult(
                GatewayResult.newBuilder()
                    .setError(
                        io.hivemind.core.wire.proto.GatewayError.newBuilder()
                            .setCode(GatewayErrorCode.ERROR_UNSPECIFIED)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(unspecified))
        .isInstanceOf(ControlDecodeException.class);
    byte[] noOutcome =
        GatewayFrame.newBuilder()
            .setVersion(1)
            .setResult(GatewayResult.newBuilder().setRequestId(3))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireGatewayCodec.decode(noOutcome))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("no outcome");
  }

  @Test
  void decode_garbage_isRefusedWithTheTypedException() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertThatThrownBy(() -> WireGatewayCodec.decode(garbage))
        .isInstanceOf(ControlDecodeException.class)
        .hasMessageContaining("not a gateway frame");
  }

  /** Random bytes and mutated real frames: a record or the typed exception, nothing else. */
  @Test
  void decode_fuzzedInput_neverThrowsAnythingElse() {
    SplittableRandom random = new SplittableRandom(SEED);
    byte[] real =
        WireGatewayCodec.encode(
            new GatewayMessage.Heartbeat(
                5, "127.0.0.1:1", 2, List.of(new GatewayMessage.Peer("a", "b", true, false))));
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] input =
          i % 2 == 0 ? randomBytes(random) : mutate(Arrays.copyOf(real, real.length), random);
      try {
        assertThat(WireGatewayCodec.decode(input)).isNotNull();
        decoded++;
      } catch (ControlDecodeException expected) {
        // refused with the typed exception: fine
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + SEED + ", input " + HexFormat.of().formatHex(input), e);
      }
    }
    assertThat(decoded).as("some mutations still decode (seed %d)", SEED).isPositive();
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] mutate(byte[] bytes, SplittableRandom random) {
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return bytes;
  }
}
