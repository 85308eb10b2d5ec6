package io.hivemind.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hivemind.core.wire.proto.SessionFrame;
import io.hivemind.core.wire.proto.SessionRegister;
import io.hivemind.core.wire.proto.SessionService;
import io.hivemind.core.wire.proto.SessionTtlCheck;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Golden, round-trip, malformed and fuzzed frames of the catalogue session protocol. */
class WireSessionCodecTest {

  private static final SessionCredentials CREDENTIALS =
      new SessionCredentials("node-a-s1-abc", new byte[] {1, 2, 3, 4});

  static ServiceRegistration registration() {
    CheckDefinition ttl =
        new CheckDefinition(
            "service:web-1",
            "web alive",
            "web-1",
            CheckKind.TTL,
            Duration.ofSeconds(10),
            Duration.ZERO,
            Duration.ZERO,
            "",
            "GET",
            Map.of(),
            false,
            Duration.ofMinutes(1),
            HealthStatus.CRITICAL);
    return new ServiceRegistration(
        "web",
        "web-1",
        "127.0.0.1",
        8080,
        List.of("v1", "blue"),
        Map.of("zone", "a"),
        new Weights(3, 1),
        List.of(ttl));
  }

  static List<SessionMessage> samples() {
    return List.of(
        new SessionMessage.Hello("testing", "c1", "app", CREDENTIALS),
        new SessionMessage.Hello("testing", "", "", SessionCredentials.NONE),
        new SessionMessage.Hello("testing", "", "app", CREDENTIALS, "s3cret-token"),
        new SessionMessage.Refused(SessionRefusal.ACL_DENIED, "the token is not known"),
        new SessionMessage.Result(11, SessionResultCode.DENIED, "needs service \"db\" write"),
        new SessionMessage.Welcome(CREDENTIALS, "node-a", 5_000, 1_500, true),
        new SessionMessage.Refused(SessionRefusal.WRONG_ENVIRONMENT, "this agent serves testing"),
        new SessionMessage.Register(7, registration()),
        new SessionMessage.Deregister(8, "web-1"),
        new SessionMessage.CheckUpdate(9, "service:web-1", HealthStatus.WARNING, "slow"),
        new SessionMessage.Ping(42),
        new SessionMessage.Pong(42),
        new SessionMessage.Result(9, SessionResultCode.NOT_FOUND, "no check service:web-1"),
        SessionMessage.Result.ok(10));
  }

  @Test
  void everyMessage_roundTrips() throws Exception {
    for (SessionMessage message : samples()) {
      assertThat(WireSessionCodec.decode(WireSessionCodec.encode(message))).isEqualTo(message);
    }
  }

  @Test
  void hello_token_isField6_andOldHellosCarryNone() throws Exception {
    byte[] bytes =
        WireSessionCodec.encode(
            new SessionMessage.Hello("t", "", "", SessionCredentials.NONE, "ab"));
    // version 1 (08 01), hello field 2 length 7 (12 07): environment "t" (0a 01 74), token "ab"
    // (32 02 61 62); empty strings are not written.
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0801" + "1207" + "0a0174" + "32026162");
    SessionMessage.Hello old =
        (SessionMessage.Hello)
            WireSessionCodec.decode(
                WireSessionCodec.encode(
                    new SessionMessage.Hello("t", "", "", SessionCredentials.NONE)));
    assertThat(old.token()).isEmpty();
  }

  @Test
  void hello_toString_hidesTheToken() {
    SessionMessage.Hello hello =
        new SessionMessage.Hello("t", "", "app", SessionCredentials.NONE, "s3cret-token");
    assertThat(hello.toString()).doesNotContain("s3cret").contains("token=redacted");
  }

  @Test
  void unknownResultCode_refused() {
    byte[] bytes =
        SessionFrame.newBuilder()
            .setVersion(1)
            .setResult(
                io.hivemind.core.wire.proto.SessionResult.newBuilder()
                    .setRequest(1)
                    .setCodeValue(SessionResultCode.values().length + 1))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("unknown result code");
  }

  @Test
  void ping_golden_bytes() {
    // version 1 (08 01), field 8 length 2 (42 02), nonce 42 (08 2a)
    assertThat(HexFormat.of().formatHex(WireSessionCodec.encode(new SessionMessage.Ping(42))))
        .isEqualTo("0801420208" + "2a");
  }

  @Test
  void otherVersion_refused() {
    byte[] bytes =
        SessionFrame.newBuilder()
            .setVersion(2)
            .setPing(io.hivemind.core.wire.proto.SessionPing.newBuilder().setNonce(1))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("version 2");
    assertThat(WireSessionCodec.versionOf(bytes)).isEqualTo(2);
  }

  @Test
  void emptyFrame_refused() {
    byte[] bytes = SessionFrame.newBuilder().setVersion(1).build().toByteArray();
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("without a body");
  }

  @Test
  void oversizedFrame_refused_beforeParsing() {
    byte[] bytes = new byte[WireSessionCodec.MAX_FRAME_BYTES + 1];
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("more than");
  }

  @Test
  void tooManyChecks_refused() {
    SessionService.Builder service =
        SessionService.newBuilder().setService("web").setId("web-1").setAddress("127.0.0.1");
    for (int i = 0; i <= WireSessionCodec.MAX_CHECKS; i++) {
      service.addChecks(SessionTtlCheck.newBuilder().setCheckId("c" + i).setTtlMillis(1_000));
    }
    byte[] bytes = frame(service);
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("checks of a registration");
  }

  @Test
  void invalidServiceName_refused_withTheRule() {
    byte[] bytes =
        frame(SessionService.newBuilder().setService("no spaces!").setId("x").setAddress("a"));
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageStartingWith("invalid session frame");
  }

  @Test
  void ttlCheckWithoutTtl_refused() {
    byte[] bytes =
        frame(
            SessionService.newBuilder()
                .setService("web")
                .setId("web-1")
                .setAddress("a")
                .addChecks(SessionTtlCheck.newBuilder().setCheckId("c")));
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("no TTL");
  }

  @Test
  void secretLongerThanBound_refused() {
    byte[] bytes =
        SessionFrame.newBuilder()
            .setVersion(1)
            .setHello(
                io.hivemind.core.wire.proto.SessionHello.newBuilder()
                    .setEnvironment("testing")
                    .setResumeSession("s")
                    .setResumeSecret(
                        com.google.protobuf.ByteString.copyFrom(
                            new byte[SessionMessage.SECRET_BYTES + 1])))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> WireSessionCodec.decode(bytes))
        .isInstanceOf(CatalogDecodeException.class)
        .hasMessageContaining("secret");
  }

  @Test
  void nonTtlCheck_cannotBeEncoded() {
    ServiceRegistration http =
        new ServiceRegistration(
            "web",
            "web-1",
            "a",
            1,
            List.of(),
            Map.of(),
            Weights.DEFAULT,
            List.of(
                new CheckDefinition(
                    "c",
                    "n",
                    "web-1",
                    CheckKind.HTTP,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    "http://127.0.0.1/",
                    "GET",
                    Map.of(),
                    false,
                    Duration.ZERO,
                    HealthStatus.CRITICAL)));
    assertThatThrownBy(() -> WireSessionCodec.encode(new SessionMessage.Register(1, http)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TTL");
  }

  /** Mutated and truncated valid frames either decode or are refused typed; nothing else. */
  @Test
  void fuzz_mutatedFrames_decodeOrRefuseTyped() {
    SplittableRandom random = new SplittableRandom(11);
    List<SessionMessage> samples = samples();
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = WireSessionCodec.encode(samples.get(random.nextInt(samples.size())));
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      try {
        SessionMessage decoded = WireSessionCodec.decode(bytes);
        // Whatever decodes must encode again: the records held every rule.
        assertThat(WireSessionCodec.encode(decoded)).isNotNull();
      } catch (CatalogDecodeException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  private static byte[] frame(SessionService.Builder service) {
    return SessionFrame.newBuilder()
        .setVersion(1)
        .setRegister(SessionRegister.newBuilder().setRequest(1).setService(service))
        .build()
        .toByteArray();
  }
}
