package io.hivemind.core.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemind.core.wire.proto.SessionCheckStatus;
import io.hivemind.core.wire.proto.SessionDeregister;
import io.hivemind.core.wire.proto.SessionFrame;
import io.hivemind.core.wire.proto.SessionHello;
import io.hivemind.core.wire.proto.SessionPing;
import io.hivemind.core.wire.proto.SessionPong;
import io.hivemind.core.wire.proto.SessionRefused;
import io.hivemind.core.wire.proto.SessionRegister;
import io.hivemind.core.wire.proto.SessionResult;
import io.hivemind.core.wire.proto.SessionService;
import io.hivemind.core.wire.proto.SessionTtlCheck;
import io.hivemind.core.wire.proto.SessionWelcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link SessionMessage}s (catalog_session.proto,
 * docs/protocol/catalogue-sessions.md): one frame's payload, without its 4-byte length prefix.
 * Decoding bounds the frame, its counts and its lengths, and validates every field through the
 * records' constructors, so a forged frame is refused whole with a {@link CatalogDecodeException};
 * nothing past this class sees a generated type.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireSessionCodec {

  /** The version this code writes; a hello of another one is refused. */
  public static final int VERSION = 1;

  /**
   * The largest frame: one registration is bounded by {@link ServiceInstance}'s limits (a few KB);
   * 64 KiB leaves room for its checks and bounds what a client can make an agent allocate.
   */
  public static final int MAX_FRAME_BYTES = 64 << 10;

  /** TTL checks in one registration: Consul users rarely define more than a handful. */
  public static final int MAX_CHECKS = 32;

  private WireSessionCodec() {}

  public static byte[] encode(SessionMessage message) {
    SessionFrame.Builder frame = SessionFrame.newBuilder().setVersion(VERSION);
    if (message instanceof SessionMessage.Hello hello) {
      frame.setHello(
          SessionHello.newBuilder()
              .setEnvironment(hello.environment())
              .setCluster(hello.cluster())
              .setClientName(hello.clientName())
              .setResumeSession(hello.resume().id())
              .setResumeSecret(ByteString.copyFrom(hello.resume().secret()))
              .setToken(hello.token()));
    } else if (message instanceof SessionMessage.Welcome welcome) {
      frame.setWelcome(
          SessionWelcome.newBuilder()
              .setSession(welcome.credentials().id())
              .setSecret(ByteString.copyFrom(welcome.credentials().secret()))
              .setAgent(welcome.agent())
              .setGraceMillis(welcome.graceMillis())
              .setHeartbeatMillis(welcome.heartbeatMillis())
              .setResumed(welcome.resumed()));
    } else if (message instanceof SessionMessage.Refused refused) {
      frame.setRefused(
          SessionRefused.newBuilder()
              .setCodeValue(refused.code().ordinal() + 1)
              .setSentence(refused.sentence()));
    } else if (message instanceof SessionMessage.Register register) {
      frame.setRegister(
          SessionRegister.newBuilder()
              .setRequest(register.request())
              .setService(service(register.registration())));
    } else {
      encodeRest(frame, message);
    }
    return frame.build().toByteArray();
  }

  private static void encodeRest(SessionFrame.Builder frame, SessionMessage message) {
    if (message instanceof SessionMessage.Deregister deregister) {
      frame.setDeregister(
          SessionDeregister.newBuilder()
              .setRequest(deregister.request())
              .setServiceId(deregister.serviceId()));
    } else if (message instanceof SessionMessage.CheckUpdate update) {
      frame.setCheckUpdate(
          io.hivemind.core.wire.proto.SessionCheckUpdate.newBuilder()
              .setRequest(update.request())
              .setCheckId(update.checkId())
              .setStatusValue(update.status().ordinal() + 1)
              .setOutput(update.output()));
    } else if (message instanceof SessionMessage.Ping ping) {
      frame.setPing(SessionPing.newBuilder().setNonce(ping.nonce()));
    } else if (message instanceof SessionMessage.Pong pong) {
      frame.setPong(SessionPong.newBuilder().setNonce(pong.nonce()));
    } else {
      SessionMessage.Result result = (SessionMessage.Result) message;
      frame.setResult(
          SessionResult.newBuilder()
              .setRequest(result.request())
              .setCodeValue(result.code().ordinal() + 1)
              .setSentence(result.sentence()));
    }
  }

  private static SessionService.Builder service(ServiceRegistration registration) {
    SessionService.Builder service =
        SessionService.newBuilder()
            .setService(registration.service())
            .setId(registration.id())
            .setAddress(registration.address())
            .setPort(registration.port())
            .addAllTags(registration.tags())
            .putAllMeta(registration.meta())
            .setWeightPassing(registration.weights().passing())
            .setWeightWarning(registration.weights().warning());
    for (CheckDefinition check : registration.checks()) {
      if (check.kind() != CheckKind.TTL) {
        throw new IllegalArgumentException(
            "check " + check.checkId() + " is " + check.kind() + ": a session carries TTL checks");
      }
      service.addChecks(
          SessionTtlCheck.newBuilder()
              .setCheckId(check.checkId())
              .setName(check.name())
              .setTtlMillis(check.ttl().toMillis())
              .setDeregisterAfterMillis(check.deregisterCriticalAfter().toMillis()));
    }
    return service;
  }

  /**
   * One frame's payload as a record.
   *
   * @throws CatalogDecodeException for bytes over {@link #MAX_FRAME_BYTES}, bytes that are not a
   *     frame, another version, a frame without a body, a count or text over its bound, or a field
   *     that breaks its record's rule
   */
  public static SessionMessage decode(byte[] bytes) throws CatalogDecodeException {
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new CatalogDecodeException(
          "session frame of " + bytes.length + " bytes, more than " + MAX_FRAME_BYTES);
    }
    SessionFrame frame;
    try {
      frame = SessionFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CatalogDecodeException("not a session frame: " + e.getMessage(), e);
    }
    if (frame.getVersion() != VERSION) {
      throw new CatalogDecodeException(
          "session protocol version "
              + Integer.toUnsignedString(frame.getVersion())
              + " is not supported (this side speaks "
              + VERSION
              + ")");
    }
    try {
      return body(frame);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CatalogDecodeException("invalid session frame: " + e.getMessage(), e);
    }
  }

  /** The version a frame declares, or -1 for bytes that are not a frame: to refuse a hello. */
  public static long versionOf(byte[] bytes) {
    try {
      return Integer.toUnsignedLong(SessionFrame.parseFrom(bytes).getVersion());
    } catch (InvalidProtocolBufferException e) {
      return -1;
    }
  }

  // Switched on field numbers, not on the BodyCase enum: javac compiles an enum switch into a
  // synthetic class whose name does not start with "Wire" (see WireDecoder).
  private static SessionMessage body(SessionFrame frame) throws CatalogDecodeException {
    return switch (frame.getBodyCase().getNumber()) {
      case SessionFrame.HELLO_FIELD_NUMBER -> hello(frame.getHello());
      case SessionFrame.WELCOME_FIELD_NUMBER -> welcome(frame.getWelcome());
      case SessionFrame.REFUSED_FIELD_NUMBER -> refused(frame.getRefused());
      case SessionFrame.REGISTER_FIELD_NUMBER -> register(frame.getRegister());
      case SessionFrame.DEREGISTER_FIELD_NUMBER ->
          new SessionMessage.Deregister(
              frame.getDeregister().getRequest(), frame.getDeregister().getServiceId());
      case SessionFrame.CHECK_UPDATE_FIELD_NUMBER -> checkUpdate(frame.getCheckUpdate());
      case SessionFrame.PING_FIELD_NUMBER -> new SessionMessage.Ping(frame.getPing().getNonce());
      case SessionFrame.PONG_FIELD_NUMBER -> new SessionMessage.Pong(frame.getPong().getNonce());
      case SessionFrame.RESULT_FIELD_NUMBER -> result(frame.getResult());
      default -> throw new CatalogDecodeException("session frame without a body");
    };
  }

  private static SessionMessage.Hello hello(SessionHello wire) throws CatalogDecodeException {
    return new SessionMessage.Hello(
        text("environment", wire.getEnvironment()),
        text("cluster", wire.getCluster()),
        text("client name", wire.getClientName()),
        new SessionCredentials(wire.getResumeSession(), wire.getResumeSecret().toByteArray()),
        text("token", wire.getToken()));
  }

  private static SessionMessage.Welcome welcome(SessionWelcome wire) throws CatalogDecodeException {
    return new SessionMessage.Welcome(
        new SessionCredentials(wire.getSession(), wire.getSecret().toByteArray()),
        text("agent", wire.getAgent()),
        millis("grace", wire.getGraceMillis()),
        millis("heartbeat", wire.getHeartbeatMillis()),
        wire.getResumed());
  }

  private static SessionMessage.Refused refused(SessionRefused wire) throws CatalogDecodeException {
    SessionRefusal[] codes = SessionRefusal.values();
    int code = wire.getCodeValue();
    if (code < 1 || code > codes.length) {
      throw new CatalogDecodeException("unknown refusal code " + code);
    }
    return new SessionMessage.Refused(codes[code - 1], text("sentence", wire.getSentence()));
  }

  private static SessionMessage.Register register(SessionRegister wire)
      throws CatalogDecodeException {
    if (!wire.hasService()) {
      throw new CatalogDecodeException("register without a service");
    }
    SessionService service = wire.getService();
    WireCatalogCodec.bound("checks of a registration", service.getChecksCount(), MAX_CHECKS);
    List<CheckDefinition> checks = new ArrayList<>();
    for (SessionTtlCheck check : service.getChecksList()) {
      checks.add(ttlCheck(service.getId(), check));
    }
    if (service.getPort() > 65_535) {
      throw new CatalogDecodeException("port " + Integer.toUnsignedString(service.getPort()));
    }
    return new SessionMessage.Register(
        wire.getRequest(),
        new ServiceRegistration(
            service.getService(),
            service.getId(),
            service.getAddress(),
            service.getPort(),
            service.getTagsList(),
            Map.copyOf(service.getMetaMap()),
            new Weights(service.getWeightPassing(), service.getWeightWarning()),
            checks));
  }

  private static CheckDefinition ttlCheck(String serviceId, SessionTtlCheck wire)
      throws CatalogDecodeException {
    long ttl = millis("ttl", wire.getTtlMillis());
    if (ttl == 0) {
      throw new CatalogDecodeException("check " + wire.getCheckId() + " has no TTL");
    }
    return new CheckDefinition(
        wire.getCheckId(),
        wire.getName().isEmpty()
            ? "Service '" + serviceId + "' check"
            : text("check name", wire.getName()),
        serviceId,
        CheckKind.TTL,
        Duration.ofMillis(ttl),
        Duration.ZERO,
        Duration.ZERO,
        "",
        "GET",
        Map.of(),
        false,
        Duration.ofMillis(millis("deregister after", wire.getDeregisterAfterMillis())),
        HealthStatus.CRITICAL);
  }

  private static SessionMessage.CheckUpdate checkUpdate(
      io.hivemind.core.wire.proto.SessionCheckUpdate wire) throws CatalogDecodeException {
    return new SessionMessage.CheckUpdate(
        wire.getRequest(),
        wire.getCheckId(),
        status(wire.getStatusValue()),
        text("output", wire.getOutput()));
  }

  private static HealthStatus status(int value) throws CatalogDecodeException {
    HealthStatus[] statuses = HealthStatus.values();
    if (value < 1 || value > statuses.length || value > SessionCheckStatus.CRITICAL_VALUE) {
      throw new CatalogDecodeException("unknown check status " + value);
    }
    return statuses[value - 1];
  }

  private static SessionMessage.Result result(SessionResult wire) throws CatalogDecodeException {
    SessionResultCode[] codes = SessionResultCode.values();
    int code = wire.getCodeValue();
    if (code < 1 || code > codes.length) {
      throw new CatalogDecodeException("unknown result code " + code);
    }
    return new SessionMessage.Result(
        wire.getRequest(), codes[code - 1], text("sentence", wire.getSentence()));
  }

  private static String text(String what, String value) throws CatalogDecodeException {
    if (value.length() > SessionMessage.MAX_TEXT) {
      throw new CatalogDecodeException(
          what + " of " + value.length() + " characters, more than " + SessionMessage.MAX_TEXT);
    }
    return value;
  }

  /** uint64 millis: a day bounds every duration the protocol carries. */
  private static long millis(String what, long value) throws CatalogDecodeException {
    if (value < 0 || value > Duration.ofDays(1).toMillis()) {
      throw new CatalogDecodeException(what + " of " + Long.toUnsignedString(value) + " ms");
    }
    return value;
  }
}
