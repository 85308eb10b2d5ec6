package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hivemind.core.wire.proto.StateClientError;
import io.hivemind.core.wire.proto.StateClientErrorCode;
import io.hivemind.core.wire.proto.StateClientFrame;
import io.hivemind.core.wire.proto.StateClientHello;
import io.hivemind.core.wire.proto.StateClientRefusal;
import io.hivemind.core.wire.proto.StateClientRefused;
import io.hivemind.core.wire.proto.StateClientReply;
import io.hivemind.core.wire.proto.StateClientRequest;
import io.hivemind.core.wire.proto.StateClientWelcome;
import io.hivemind.core.wire.proto.StateOpKind;
import io.hivemind.core.wire.proto.StateOperationResult;
import io.hivemind.core.wire.proto.StateResultKind;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codec against protobuf's generated classes of state_client.proto (hivemind-core,
 * test scope): what the client encodes parses as the agent will parse it, what the agent's encoder
 * writes decodes to the same outcome, and mutated frames only ever throw {@link IOException}.
 */
class StateClientFramesTest {

  @Test
  void request_everyKind_parsesWithProtobuf() throws Exception {
    byte[] value = {1, 2, 3};
    StateRequest[] requests = {
      StateRequest.get("sessions", "alice"),
      StateRequest.delete("sessions", "bob"),
      StateRequest.write("m", "k", value, 30_000, -1),
      StateRequest.write("m", "clé/ü", value, 0, 0),
      StateRequest.write("m", "k", new byte[0], 1, Long.MAX_VALUE)
    };
    for (StateRequest request : requests) {
      byte[] framed = StateClientFrames.request(Long.MAX_VALUE, request, 1L << 40);
      StateClientFrame frame = parse(framed);
      assertThat(frame.getVersion()).isEqualTo(1);
      StateClientRequest wire = frame.getRequest();
      assertThat(wire.getId()).isEqualTo(Long.MAX_VALUE);
      assertThat(wire.getRoutedVersion()).isEqualTo(1L << 40);
      assertThat(wire.getOp().getKindValue()).isEqualTo(request.kind().wire);
      assertThat(wire.getOp().getMap()).isEqualTo(request.map());
      assertThat(wire.getOp().getKey()).isEqualTo(request.key());
      assertThat(wire.getOp().getValue().toByteArray()).isEqualTo(request.value());
      assertThat(wire.getOp().getTtlMillis()).isEqualTo(request.ttlMillis());
      assertThat(wire.getOp().getExpectedVersion()).isEqualTo(request.expectedVersion());
    }
    assertThat(parse(StateClientFrames.request(1, requests[3], 0)).getRequest().getOp().getKind())
        .isEqualTo(StateOpKind.STATE_OP_COMPARE_AND_SET);
  }

  @Test
  void request_sameBytesAsProtobuf() throws Exception {
    StateRequest put = StateRequest.write("m", "k", new byte[] {9}, 5, -1);
    byte[] framed = StateClientFrames.request(7, put, 3);
    assertThat(Arrays.copyOfRange(framed, 4, framed.length)).isEqualTo(parse(framed).toByteArray());
  }

  @Test
  void hello_parsesWithProtobuf() throws Exception {
    StateClientHello hello =
        parse(StateClientFrames.hello("development", "dc1", "hivemind-client/dev", "s3cret"))
            .getHello();
    assertThat(hello.getEnvironment()).isEqualTo("development");
    assertThat(hello.getCluster()).isEqualTo("dc1");
    assertThat(hello.getClientName()).isEqualTo("hivemind-client/dev");
    assertThat(hello.getToken()).isEqualTo("s3cret");
  }

  @Test
  void welcomeAndRefused_decoded() throws Exception {
    StateClientFrames.Answer welcome =
        StateClientFrames.decode(
            frame()
                .setWelcome(
                    StateClientWelcome.newBuilder()
                        .setAgent("node-a")
                        .setMaxInFlight(1024)
                        .setMaxFrameBytes((1 << 20) + (64 << 10)))
                .build()
                .toByteArray());
    assertThat(welcome)
        .isEqualTo(new StateClientFrames.Welcome("node-a", 1024, (1 << 20) + (64 << 10)));
    StateClientFrames.Answer refused =
        StateClientFrames.decode(
            frame()
                .setRefused(
                    StateClientRefused.newBuilder()
                        .setReason(StateClientRefusal.STATE_CLIENT_REFUSAL_WRONG_CLUSTER)
                        .setSentence("serves dc2"))
                .build()
                .toByteArray());
    assertThat(refused).isEqualTo(new StateClientFrames.Refused("wrong_cluster", "serves dc2"));
  }

  @Test
  void welcome_withoutInFlightBound_isMalformed() {
    byte[] bytes =
        frame()
            .setWelcome(StateClientWelcome.newBuilder().setAgent("a").setMaxFrameBytes(1 << 20))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> StateClientFrames.decode(bytes)).isInstanceOf(IOException.class);
  }

  @Test
  void reply_everyResult_decodedToItsOutcome() throws Exception {
    StateReply found =
        reply(
            result(StateResultKind.STATE_RESULT_FOUND)
                .setValue(ByteString.copyFrom(new byte[] {4, 5}))
                .setVersion(12)
                .setExpiresAtMillis(99));
    assertThat(found.outcome()).isInstanceOf(StateReply.Found.class);
    StateReply.Found entry = (StateReply.Found) found.outcome();
    assertThat(entry.value()).containsExactly(4, 5);
    assertThat(entry.version()).isEqualTo(12);
    assertThat(entry.expiresAtMillis()).isEqualTo(99);
    assertThat(found.tableVersion()).isEqualTo(8);
    assertThat(found.forwarded()).isTrue();

    assertThat(reply(result(StateResultKind.STATE_RESULT_ABSENT)).outcome())
        .isEqualTo(new StateReply.Absent());
    assertThat(reply(result(StateResultKind.STATE_RESULT_WRITTEN).setVersion(3)).outcome())
        .isEqualTo(new StateReply.Written(3));
    assertThat(reply(result(StateResultKind.STATE_RESULT_DELETED).setExisted(true)).outcome())
        .isEqualTo(new StateReply.Deleted(true));
    assertThat(reply(result(StateResultKind.STATE_RESULT_CONFLICT).setVersion(4)).outcome())
        .isInstanceOfSatisfying(
            StateReply.Conflict.class, c -> assertThat(c.currentVersion()).isEqualTo(4));
    assertThat(
            reply(result(StateResultKind.STATE_RESULT_REDIRECT).setOwnerId("n2").setVersion(9))
                .outcome())
        .isInstanceOfSatisfying(
            StateReply.Moved.class, m -> assertThat(m.message()).contains("'n2'", "version 9"));
    // WireStateOps writes UnavailableReason.ordinal() + 1: 3 is NO_LEASE, 6 OVERLOADED.
    assertThat(
            reply(result(StateResultKind.STATE_RESULT_UNAVAILABLE).setReasonCode(3).setReason("x"))
                .outcome())
        .isEqualTo(new StateReply.Unavailable("no_lease", "no_lease: x"));
    assertThat(reply(result(StateResultKind.STATE_RESULT_UNAVAILABLE).setReasonCode(6)).outcome())
        .isEqualTo(new StateReply.Unavailable("overloaded", "overloaded"));
  }

  @Test
  void reply_errors_areTheHttpApisExceptions() throws Exception {
    StateReply denied =
        decodeReply(
            StateClientReply.newBuilder()
                .setId(5)
                .setError(
                    StateClientError.newBuilder()
                        .setCode(StateClientErrorCode.STATE_CLIENT_ERROR_ACL_DENIED)
                        .setSentence("needs key:write")));
    assertThat(((StateReply.Failed) denied.outcome()).error())
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo("acl_denied");
              assertThat(e.httpStatus()).isEqualTo(403);
              assertThat(e.getMessage()).isEqualTo("needs key:write");
            });
    StateReply invalid =
        decodeReply(
            StateClientReply.newBuilder()
                .setId(5)
                .setError(
                    StateClientError.newBuilder()
                        .setCode(StateClientErrorCode.STATE_CLIENT_ERROR_INVALID)
                        .setSentence("key too long")));
    assertThat(((StateReply.Failed) invalid.outcome()).error().httpStatus()).isEqualTo(400);
  }

  @Test
  void reply_unknownFields_skipped() throws Exception {
    // A newer agent's fields, at the top, in the reply and in the result.
    byte[] bytes =
        new ProtoWriter()
            .uint64(1, 1)
            .message(
                6,
                new ProtoWriter()
                    .uint64(1, 77)
                    .message(2, new ProtoWriter().uint64(1, 3).uint64(3, 2).string(50, "future"))
                    .uint64(3, 4)
                    .uint64(40, 1))
            .string(30, "more")
            .toByteArray();
    StateClientFrames.Reply reply = (StateClientFrames.Reply) StateClientFrames.decode(bytes);
    assertThat(reply.id()).isEqualTo(77);
    assertThat(reply.reply().outcome()).isEqualTo(new StateReply.Written(2));
    assertThat(reply.reply().tableVersion()).isEqualTo(4);
  }

  @Test
  void malformed_isIOException() {
    byte[] noBody = frame().build().toByteArray();
    byte[] noResult =
        frame().setReply(StateClientReply.newBuilder().setId(1)).build().toByteArray();
    byte[] badVersion =
        StateClientFrame.newBuilder()
            .setVersion(2)
            .setReply(StateClientReply.newBuilder().setId(1))
            .build()
            .toByteArray();
    byte[] truncated = {0x08, 0x01, 0x32, 0x10, 0x08};
    for (byte[] bytes : new byte[][] {noBody, noResult, badVersion, truncated}) {
      assertThatThrownBy(() -> StateClientFrames.decode(bytes)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void length_boundedBeforeAllocating() throws Exception {
    assertThat(StateClientFrames.length(new byte[] {0, 0, 1, 0}, 1024)).isEqualTo(256);
    assertThatThrownBy(() -> StateClientFrames.length(new byte[] {0, 0, 4, 1}, 1024))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1025 bytes");
    assertThatThrownBy(() -> StateClientFrames.length(new byte[] {(byte) 0xFF, 0, 0, 0}, 1024))
        .isInstanceOf(IOException.class);
  }

  @Test
  void fuzz_mutatedReplies_onlyEverThrowIOException() {
    byte[] valid =
        frame()
            .setReply(
                StateClientReply.newBuilder()
                    .setId(3)
                    .setResult(
                        result(StateResultKind.STATE_RESULT_FOUND)
                            .setValue(ByteString.copyFromUtf8("hello"))
                            .setVersion(2)
                            .setOwnerId("n1"))
                    .setTableVersion(5)
                    .setOwner("n1")
                    .setForwarded(true))
            .build()
            .toByteArray();
    SplittableRandom random = new SplittableRandom(13);
    int decoded = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] mutated = mutate(valid, random);
      try {
        StateClientFrames.decode(mutated);
        decoded++;
      } catch (IOException expected) {
        // The only failure allowed.
      }
    }
    assertThat(decoded).isPositive();
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] bytes = valid.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int i = random.nextInt(1, 4); i > 0; i--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      default -> {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + random.nextInt(1, 8));
        for (int i = bytes.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt(256);
        }
        bytes = longer;
      }
    }
    return bytes;
  }

  private static StateClientFrame.Builder frame() {
    return StateClientFrame.newBuilder().setVersion(1);
  }

  private static StateOperationResult.Builder result(StateResultKind kind) {
    return StateOperationResult.newBuilder().setKind(kind);
  }

  private static StateReply reply(StateOperationResult.Builder result) throws IOException {
    return decodeReply(
        StateClientReply.newBuilder()
            .setId(41)
            .setResult(result)
            .setTableVersion(8)
            .setOwner("n1")
            .setForwarded(true));
  }

  private static StateReply decodeReply(StateClientReply.Builder reply) throws IOException {
    StateClientFrames.Answer answer =
        StateClientFrames.decode(frame().setReply(reply).build().toByteArray());
    assertThat(answer).isInstanceOf(StateClientFrames.Reply.class);
    assertThat(((StateClientFrames.Reply) answer).id()).isEqualTo(reply.getId());
    return ((StateClientFrames.Reply) answer).reply();
  }

  private static StateClientFrame parse(byte[] framed) throws Exception {
    int length = StateClientFrames.length(framed, Integer.MAX_VALUE);
    assertThat(length).isEqualTo(framed.length - 4);
    return StateClientFrame.parseFrom(Arrays.copyOfRange(framed, 4, framed.length));
  }
}
