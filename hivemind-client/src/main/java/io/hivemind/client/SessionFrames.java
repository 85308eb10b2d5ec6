package io.hivemind.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The client's side of catalog_session.proto (docs/protocol/catalogue-sessions.md): encodes what a
 * client sends and decodes what an agent answers, with field numbers as in the .proto. Frames are a
 * 4-byte big-endian length and the message; a length over {@link #MAX_FRAME_BYTES} is refused
 * before anything is allocated.
 */
final class SessionFrames {

  static final int VERSION = 1;

  /** As the agent's bound (WireSessionCodec.MAX_FRAME_BYTES). */
  static final int MAX_FRAME_BYTES = 64 << 10;

  static final String[] REFUSALS = {
    "unspecified",
    "wrong_environment",
    "bad_version",
    "wrong_cluster",
    "too_many_sessions",
    "malformed",
    "not_ready",
    "acl_denied"
  };

  static final String[] RESULTS = {"unspecified", "ok", "invalid", "not_found", "failed", "denied"};

  /** What an agent sends. */
  sealed interface Answer {}

  record Welcome(
      String session,
      byte[] secret,
      String agent,
      long graceMillis,
      long heartbeatMillis,
      boolean resumed)
      implements Answer {}

  record Refused(String reason, String sentence) implements Answer {}

  record Pong(long nonce) implements Answer {}

  record Result(long request, String code, String sentence) implements Answer {
    boolean ok() {
      return code.equals("ok");
    }
  }

  /** A frame this client does not know (a newer agent's): ignored. */
  record Unknown(int field) implements Answer {}

  private SessionFrames() {}

  /** {@code token}: the ACL token's secret, "" for none (then not written, as an old client). */
  static byte[] hello(
      String environment,
      String cluster,
      String clientName,
      String session,
      byte[] secret,
      String token) {
    return frame(
        2,
        new ProtoWriter()
            .string(1, environment)
            .string(2, cluster)
            .string(3, clientName)
            .string(4, session)
            .bytes(5, secret)
            .string(6, token));
  }

  static byte[] register(long request, SessionRegistration registration) {
    ProtoWriter service =
        new ProtoWriter()
            .string(1, registration.service())
            .string(2, registration.id())
            .string(3, registration.address())
            .uint64(4, registration.port());
    registration.tags().forEach(tag -> service.repeatedString(5, tag));
    for (Map.Entry<String, String> entry : registration.meta().entrySet()) {
      service.message(6, new ProtoWriter().string(1, entry.getKey()).string(2, entry.getValue()));
    }
    service.uint64(7, 1).uint64(8, 1);
    for (TtlCheck check : registration.checks()) {
      service.message(
          9,
          new ProtoWriter()
              .string(1, check.checkId())
              .string(2, check.name())
              .uint64(3, check.ttl().toMillis())
              .uint64(4, check.deregisterAfter().toMillis()));
    }
    return frame(5, new ProtoWriter().uint64(1, request).message(2, service));
  }

  static byte[] deregister(long request, String serviceId) {
    return frame(6, new ProtoWriter().uint64(1, request).string(2, serviceId));
  }

  /** {@code status}: 1 passing, 2 warning, 3 critical (SessionCheckStatus). */
  static byte[] checkUpdate(long request, String checkId, int status, String output) {
    return frame(
        7,
        new ProtoWriter()
            .uint64(1, request)
            .string(2, checkId)
            .uint64(3, status)
            .string(4, output));
  }

  static byte[] ping(long nonce) {
    return frame(8, new ProtoWriter().uint64(1, nonce));
  }

  private static byte[] frame(int bodyField, ProtoWriter body) {
    return new ProtoWriter().uint64(1, VERSION).message(bodyField, body).toByteArray();
  }

  /** Decodes one frame's payload; malformed bytes throw {@link IllegalArgumentException}. */
  static Answer decode(byte[] bytes) {
    return ProtoReader.frame(
        bytes,
        VERSION,
        "session",
        (field, frame) ->
            switch (field) {
              case 3 -> welcome(frame.message());
              case 4 -> refused(frame.message());
              case 9 -> pong(frame.message());
              case 10 -> result(frame.message());
              default -> null;
            },
        Unknown::new);
  }

  private static Welcome welcome(ProtoReader body) {
    String session = "";
    byte[] secret = new byte[0];
    String agent = "";
    long grace = 0;
    long heartbeat = 0;
    boolean resumed = false;
    while (body.next()) {
      switch (body.field()) {
        case 1 -> session = body.string();
        case 2 -> secret = body.bytes();
        case 3 -> agent = body.string();
        case 4 -> grace = body.varint();
        case 5 -> heartbeat = body.varint();
        case 6 -> resumed = body.varint() != 0;
        default -> body.skip();
      }
    }
    if (session.isEmpty() || secret.length == 0 || heartbeat <= 0 || grace < 0) {
      throw new IllegalArgumentException("welcome without a session, secret or heartbeat");
    }
    return new Welcome(session, secret, agent, grace, heartbeat, resumed);
  }

  private static Refused refused(ProtoReader body) {
    CodedSentence refused = CodedSentence.read(body);
    return new Refused(name(REFUSALS, refused.code()), refused.sentence());
  }

  private static Pong pong(ProtoReader body) {
    long nonce = 0;
    while (body.next()) {
      if (body.field() == 1) {
        nonce = body.varint();
      } else {
        body.skip();
      }
    }
    return new Pong(nonce);
  }

  private static Result result(ProtoReader body) {
    long request = 0;
    long code = 0;
    String sentence = "";
    while (body.next()) {
      switch (body.field()) {
        case 1 -> request = body.varint();
        case 2 -> code = body.varint();
        case 3 -> sentence = body.string();
        default -> body.skip();
      }
    }
    return new Result(request, name(RESULTS, code), sentence);
  }

  private static String name(String[] names, long code) {
    return code >= 0 && code < names.length
        ? names[(int) code]
        : "code_" + Long.toString(code).toLowerCase(Locale.ROOT);
  }

  static void write(DataOutputStream out, byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  static byte[] read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new IOException("session frame of " + length + " bytes, more than " + MAX_FRAME_BYTES);
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }
}
