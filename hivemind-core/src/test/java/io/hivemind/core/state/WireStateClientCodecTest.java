package io.hivemind.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hivemind.core.state.StateClientMessage.ErrorCode;
import io.hivemind.core.state.StateClientMessage.Refusal;
import io.hivemind.core.state.StateResult.UnavailableReason;
import io.hivemind.core.wire.proto.StateClientErrorCode;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientHello;
import io.hivemind.core.wire.proto.StateClientRefusal;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateOpKind;
import io.hivemind.core.wire.proto.StateOperation;
import io.hivemind.core.wire.proto.StateOperationResult;
import io.hivemind.core.wire.proto.StateResultKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireStateClientCodecTest {

  private static final byte[] V = "value".getBytes(StandardCharsets.UTF_8);

  static List<StateClientMessage> samples() {
    List<StateClientMessage> all = new ArrayList<>();
    all.add(new StateClientMessage.Hello("production", "c1", "bench", "secret"));
    all.add(new StateClientMessage.Hello("development", "", "", ""));
    all.add(new StateClientMessage.Welcome("node-1", 1024, WireStateClientCodec.MAX_FRAME_BYTES));
    for (Refusal reason : Refusal.values()) {
      all.add(new StateClientMessage.Refused(reason, "because " + reason));
    }
    all.add(new StateClientMessage.Request(1, new StateOp.Get("m", "k"), 0));
    all.add(new StateClientMessage.Request(-1, new StateOp.Put("m", "k", V, 1000), 7));
    all.add(new StateClientMessage.Request(3, new StateOp.Delete("m.x", "ключ"), 4));
    all.add(new StateClientMessage.Request(4, new StateOp.CompareAndSet("m", "k", 5, V, 0), 4));
    all.add(StateClientMessage.Reply.of(1, new StateResult.Found(V, 4, 99), 3, "node-1", false));
    all.add(StateClientMessage.Reply.of(2, new StateResult.Absent(), 3, "node-1", true));
    all.add(StateClientMessage.Reply.of(3, new StateResult.Written(12), 3, "node-2", true));
    all.add(StateClientMessage.Reply.of(4, new StateResult.Deleted(true), 3, "n", false));
    all.add(StateClientMessage.Reply.of(5, new StateResult.Conflict(3), 3, "n", false));
    all.add(StateClientMessage.Reply.of(6, new StateResult.Redirect("node-2", 9), 9, "", false));
    for (UnavailableReason reason : UnavailableReason.values()) {
      all.add(
          StateClientMessage.Reply.of(
              7, new StateResult.Unavailable(reason, "not now"), 0, "", false));
    }
    for (ErrorCode code : ErrorCode.values()) {
      all.add(StateClientMessage.Reply.error(8, code, "no: " + code));
    }
    return all;
  }

  @Test
  void everyMessage_roundTrips() {
    for (StateClientMessage m : samples()) {
      byte[] bytes = WireStateClientCodec.encode(m);
      StateClientMessage back = WireStateClientCodec.decode(bytes);
      assertThat(back.getClass()).isEqualTo(m.getClass());
      assertThat(WireStateClientCodec.encode(back)).isEqualTo(bytes);
    }
  }

  @Test
  void everyRefusal_isTheProtoEnumOfTheSameName() {
    for (Refusal reason : Refusal.values()) {
      StateClientFrame frame =
          parse(WireStateClientCodec.encode(new StateClientMessage.Refused(reason, "s")));
      assertThat(frame.getRefused().getReason().name())
          .isEqualTo("STATE_CLIENT_REFUSAL_" + reason.name());
      StateClientMessage.Refused back =
          (StateClientMessage.Refused) WireStateClientCodec.decode(frame.toByteArray());
      assertThat(back.reason()).isEqualTo(reason);
      assertThat(back.sentence()).isEqualTo("s");
    }
  }

  @Test
  void everyErrorCode_isTheProtoEnumOfTheSameName() {
    for (ErrorCode code : ErrorCode.values()) {
      StateClientFrame frame =
          parse(WireStateClientCodec.encode(StateClientMessage.Reply.error(3, code, "s")));
      assertThat(frame.getReply().getError().getCode().name())
          .isEqualTo("STATE_CLIENT_ERROR_" + code.name());
      assertThat(frame.getReply().hasResult()).isFalse();
    }
  }

  @Test
  void unavailableReason_isEncodedAsTheNodeToNodeProtocolDoes() {
    for (UnavailableReason reason : UnavailableReason.values()) {
      StateResult.Unavailable result = new StateResult.Unavailable(reason, "r");
      StateClientFrame frame =
          parse(WireStateClientCodec.encode(StateClientMessage.Reply.of(1, result, 0, "", false)));
      assertThat(frame.getReply().getResult()).isEqualTo(WireStateOps.encode(result));
      StateClientMessage.Reply back =
          (StateClientMessage.Reply) WireStateClientCodec.decode(frame.toByteArray());
      assertThat(((StateResult.Unavailable) back.result()).code()).isEqualTo(reason);
    }
  }

  @Test
  void reply_carriesTheRoutingData() {
    StateClientMessage.Reply back =
        (StateClientMessage.Reply)
            WireStateClientCodec.decode(
                WireStateClientCodec.encode(
                    StateClientMessage.Reply.of(
                        42, new StateResult.Found(V, 4, 99), 17, "node-3", true)));
    assertThat(back.id()).isEqualTo(42);
    assertThat(back.tableVersion()).isEqualTo(17);
    assertThat(back.owner()).isEqualTo("node-3");
    assertThat(back.forwarded()).isTrue();
    assertThat(((StateResult.Found) back.result()).value()).isEqualTo(V);
  }

  @Test
  void otherVersion_refused_andSaysSo() {
    byte[] bytes =
        StateClientFrame.newBuilder()
            .setVersion(2)
            .setHello(StateClientHello.newBuilder().setEnvironment("production"))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOfSatisfying(
            StateClientDecodeException.class, e -> assertThat(e.otherVersion()).isTrue())
        .hasMessageContaining("version 2");
  }

  @Test
  void garbage_refused_notAsAnotherVersion() {
    byte[] bytes = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOfSatisfying(
            StateClientDecodeException.class, e -> assertThat(e.otherVersion()).isFalse());
  }

  @Test
  void frameWithoutBody_refused() {
    byte[] bytes = StateClientFrame.newBuilder().setVersion(1).build().toByteArray();
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOf(StateClientDecodeException.class)
        .hasMessageContaining("no message");
  }

  @Test
  void oversizedFrame_refused_beforeParsing() {
    byte[] bytes = new byte[WireStateClientCodec.MAX_FRAME_BYTES + 1];
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOf(StateClientDecodeException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void longText_refused() {
    String token = "t".repeat(StateClientMessage.MAX_TEXT + 1);
    byte[] bytes =
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setHello(StateClientHello.newBuilder().setEnvironment("production").setToken(token))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOf(StateClientDecodeException.class)
        .hasMessageContaining("token");
  }

  @Test
  void requestBreakingALimit_decodesToInvalidRequest_withItsId() {
    assertInvalid(op(StateOpKind.STATE_OP_GET, "a/b", "k", 0), 0, "map may hold only");
    assertInvalid(op(StateOpKind.STATE_OP_GET, "m", "", 0), 0, "key must be");
    assertInvalid(op(StateOpKind.STATE_OP_UNSPECIFIED, "m", "k", 0), 0, "kind");
    assertInvalid(
        op(StateOpKind.STATE_OP_PUT, "m", "k", StateLimits.MAX_VALUE_BYTES + 1), 0, "larger than");
    assertInvalid(
        StateOperation.newBuilder()
            .setKind(StateOpKind.STATE_OP_PUT)
            .setMap("m")
            .setKey("k")
            .setTtlMillis(-1)
            .build(),
        0,
        "TTL");
    assertInvalid(op(StateOpKind.STATE_OP_GET, "m", "k", 0), -3, "routed version");
  }

  @Test
  void requestWithoutOperation_decodesToInvalidRequest() {
    byte[] bytes =
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRequest(StateClientRequest.newBuilder().setId(9))
            .build()
            .toByteArray();
    assertThat(WireStateClientCodec.decode(bytes))
        .isInstanceOfSatisfying(
            StateClientMessage.InvalidRequest.class, r -> assertThat(r.id()).isEqualTo(9));
  }

  @Test
  void replyWithBothOrNeither_refused() {
    StateClientReply both =
        StateClientReply.newBuilder()
            .setId(1)
            .setResult(
                StateOperationResult.newBuilder().setKind(StateResultKind.STATE_RESULT_ABSENT))
            .setError(
                io.hivemind.core.wire.proto.StateClientError.newBuilder()
                    .setCode(StateClientErrorCode.STATE_CLIENT_ERROR_INVALID))
            .build();
    StateClientReply neither = StateClientReply.newBuilder().setId(1).build();
    for (StateClientReply reply : List.of(both, neither)) {
      byte[] bytes =
          StateClientFrame.newBuilder().setVersion(1).setReply(reply).build().toByteArray();
      assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
          .isInstanceOf(StateClientDecodeException.class)
          .hasMessageContaining("not both or neither");
    }
  }

  @Test
  void unknownRefusalReason_refused() {
    byte[] bytes =
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRefused(
                io.hivemind.core.wire.proto.StateClientRefused.newBuilder().setReasonValue(99))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireStateClientCodec.decode(bytes))
        .isInstanceOf(StateClientDecodeException.class)
        .hasMessageContaining("99");
    assertThat(StateClientRefusal.forNumber(Refusal.values().length + 1)).isNull();
  }

  @Test
  void fuzz_mutatedFrames_decodeOrRefuseTyped() {
    SplittableRandom random = new SplittableRandom(13);
    List<byte[]> frames = new ArrayList<>();
    for (StateClientMessage m : samples()) {
      frames.add(WireStateClientCodec.encode(m));
    }
    int refused = 0;
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = frames.get(random.nextInt(frames.size())).clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(8) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      try {
        StateClientMessage m = WireStateClientCodec.decode(bytes);
        decoded++;
        if (!(m instanceof StateClientMessage.InvalidRequest)) {
          assertThat(WireStateClientCodec.decode(WireStateClientCodec.encode(m)).getClass())
              .isEqualTo(m.getClass());
        }
      } catch (StateClientDecodeException expected) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
    assertThat(decoded).isPositive();
  }

  private static StateOperation op(StateOpKind kind, String map, String key, int valueBytes) {
    return StateOperation.newBuilder()
        .setKind(kind)
        .setMap(map)
        .setKey(key)
        .setValue(ByteString.copyFrom(new byte[valueBytes]))
        .build();
  }

  private static void assertInvalid(StateOperation op, long routedVersion, String sentence) {
    byte[] bytes =
        StateClientFrame.newBuilder()
            .setVersion(1)
            .setRequest(
                StateClientRequest.newBuilder().setId(77).setOp(op).setRoutedVersion(routedVersion))
            .build()
            .toByteArray();
    assertThat(WireStateClientCodec.decode(bytes))
        .isInstanceOfSatisfying(
            StateClientMessage.InvalidRequest.class,
            r -> {
              assertThat(r.id()).isEqualTo(77);
              assertThat(r.sentence()).contains(sentence);
            });
  }

  private static StateClientFrame parse(byte[] bytes) {
    try {
      return StateClientFrame.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
