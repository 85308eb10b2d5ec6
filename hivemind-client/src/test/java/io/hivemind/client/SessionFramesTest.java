package io.hivemind.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client's codec: golden bytes (the same as the agent's protobuf encoder), answers, fuzz. */
class SessionFramesTest {

  @Test
  void ping_matchesProtobufGoldenBytes() {
    // As WireSessionCodecTest.ping_golden_bytes in hivemind-core.
    assertThat(HexFormat.of().formatHex(SessionFrames.ping(42))).isEqualTo("08014202082a");
  }

  @Test
  void welcome_decoded() {
    byte[] frame =
        new ProtoWriter()
            .uint64(1, 1)
            .message(
                3,
                new ProtoWriter()
                    .string(1, "node-a-s1")
                    .bytes(2, new byte[] {1, 2})
                    .string(3, "node-a")
                    .uint64(4, 5_000)
                    .uint64(5, 1_500)
                    .bool(6, true)
                    .uint64(99, 7)) // an unknown field, from a newer agent: skipped
            .toByteArray();
    SessionFrames.Welcome welcome = (SessionFrames.Welcome) SessionFrames.decode(frame);
    assertThat(welcome.session()).isEqualTo("node-a-s1");
    assertThat(welcome.secret()).containsExactly(1, 2);
    assertThat(welcome.graceMillis()).isEqualTo(5_000);
    assertThat(welcome.heartbeatMillis()).isEqualTo(1_500);
    assertThat(welcome.resumed()).isTrue();
  }

  @Test
  void refusedAndResult_decodedWithTheirCodes() {
    byte[] refused =
        new ProtoWriter()
            .uint64(1, 1)
            .message(4, new ProtoWriter().uint64(1, 1).string(2, "serves testing"))
            .toByteArray();
    assertThat(SessionFrames.decode(refused))
        .isEqualTo(new SessionFrames.Refused("wrong_environment", "serves testing"));
    byte[] result =
        new ProtoWriter()
            .uint64(1, 1)
            .message(10, new ProtoWriter().uint64(1, 9).uint64(2, 3).string(3, "no check"))
            .toByteArray();
    assertThat(SessionFrames.decode(result))
        .isEqualTo(new SessionFrames.Result(9, "not_found", "no check"));
  }

  @Test
  void hello_withToken_matchesProtobufGoldenBytes_andWithoutOneWritesNoField6() {
    // As WireSessionCodecTest.hello_token_isField6_andOldHellosCarryNone in hivemind-core.
    assertThat(HexFormat.of().formatHex(SessionFrames.hello("t", "", "", "", new byte[0], "ab")))
        .isEqualTo("0801" + "1207" + "0a0174" + "32026162");
    assertThat(HexFormat.of().formatHex(SessionFrames.hello("t", "", "", "", new byte[0], "")))
        .isEqualTo("0801" + "1203" + "0a0174");
  }

  @Test
  void aclRefusalAndDeniedResult_decodedWithTheirCodes() {
    byte[] refused =
        new ProtoWriter()
            .uint64(1, 1)
            .message(4, new ProtoWriter().uint64(1, 7).string(2, "not known"))
            .toByteArray();
    assertThat(SessionFrames.decode(refused))
        .isEqualTo(new SessionFrames.Refused("acl_denied", "not known"));
    byte[] result =
        new ProtoWriter()
            .uint64(1, 1)
            .message(10, new ProtoWriter().uint64(1, 4).uint64(2, 5).string(3, "needs write"))
            .toByteArray();
    assertThat(SessionFrames.decode(result))
        .isEqualTo(new SessionFrames.Result(4, "denied", "needs write"));
  }

  @Test
  void otherVersion_refused() {
    byte[] frame =
        new ProtoWriter().uint64(1, 2).message(9, new ProtoWriter().uint64(1, 1)).toByteArray();
    assertThatThrownBy(() -> SessionFrames.decode(frame)).hasMessageContaining("version 2");
  }

  @Test
  void frameLengthOverBound_refusedBeforeAllocating() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeInt(SessionFrames.MAX_FRAME_BYTES + 1);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThatThrownBy(() -> SessionFrames.read(in)).hasMessageContaining("more than");
  }

  @Test
  void framing_roundTrips() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] frame = SessionFrames.deregister(3, "web-1");
    SessionFrames.write(new DataOutputStream(bytes), frame);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(SessionFrames.read(in)).isEqualTo(frame);
  }

  /** Mutated answers decode or throw IllegalArgumentException; nothing else escapes. */
  @Test
  void fuzz_mutatedAnswers_decodeOrRefuse() {
    byte[] sample =
        new ProtoWriter()
            .uint64(1, 1)
            .message(
                3,
                new ProtoWriter()
                    .string(1, "s")
                    .bytes(2, new byte[] {1})
                    .string(3, "a")
                    .uint64(4, 5_000)
                    .uint64(5, 1_500))
            .toByteArray();
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = sample.clone();
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      if (random.nextBoolean()) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      try {
        assertThat(SessionFrames.decode(bytes)).isNotNull();
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }
}
