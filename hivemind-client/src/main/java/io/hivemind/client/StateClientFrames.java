package io.hivemind.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The client's side of state_client.proto (docs/protocol/state-client.md): encodes the hello and
 * requests, decodes what an agent answers, with field numbers as in the .proto (and state.proto for
 * the nested operation and result). A request is encoded straight into one array, its 4-byte
 * big-endian length prefix included, sizes computed first: the hot path allocates the frame and the
 * key's and map's UTF-8 bytes, nothing else. Decoding skips unknown fields, checks every length
 * before allocating, and throws {@link IOException} for a malformed frame.
 */
final class StateClientFrames {

  static final int VERSION = 1;

  /**
   * The longest frame this client reads: the agent's own bound (StateLimits.MAX_VALUE_BYTES + 64
   * KiB, welcome.max_frame_bytes), so a reply carrying the largest value fits.
   */
  static final int MAX_FRAME_BYTES = (1 << 20) + (64 << 10);

  static final String[] REFUSALS = {
    "unspecified",
    "wrong_environment",
    "bad_version",
    "wrong_cluster",
    "too_many_connections",
    "malformed",
    "acl_denied"
  };

  /** StateResult.UnavailableReason in order, as WireStateOps writes {@code ordinal + 1}. */
  static final String[] UNAVAILABLE_REASONS = {
    "no_table", "no_owner", "no_lease", "backup_timeout", "timeout", "overloaded"
  };

  private static final int FRAME_REQUEST = 5;
  private static final int LENGTH_DELIMITED = 2;

  /** What an agent sends. */
  sealed interface Answer {}

  record Welcome(String agent, int maxInFlight, int maxFrameBytes) implements Answer {}

  record Refused(String reason, String sentence) implements Answer {}

  record Reply(long id, StateReply reply) implements Answer {}

  /** A frame this client does not know (a newer agent's): ignored. */
  record Unknown(int field) implements Answer {}

  private StateClientFrames() {}

  /** The hello's frame, length prefix included; {@code token} "" for none. */
  static byte[] hello(String environment, String cluster, String clientName, String token) {
    byte[] frame =
        new ProtoWriter()
            .uint64(1, VERSION)
            .message(
                2,
                new ProtoWriter()
                    .string(1, environment)
                    .string(2, cluster)
                    .string(3, clientName)
                    .string(4, token))
            .toByteArray();
    byte[] prefixed = new byte[4 + frame.length];
    putInt(prefixed, 0, frame.length);
    System.arraycopy(frame, 0, prefixed, 4, frame.length);
    return prefixed;
  }

  /** A request's frame, length prefix included. */
  static byte[] request(long id, StateRequest request, long routedVersion) {
    byte[] map = request.map().getBytes(StandardCharsets.UTF_8);
    byte[] key = request.key().getBytes(StandardCharsets.UTF_8);
    byte[] value = request.value();
    int opSize =
        varintField(1, request.kind().wire)
            + bytesField(2, map.length)
            + bytesField(3, key.length)
            + bytesField(4, value.length)
            + varintField(5, request.ttlMillis())
            + varintField(6, request.expectedVersion());
    int requestSize = varintField(1, id) + messageField(2, opSize) + varintField(3, routedVersion);
    int frameSize = varintField(1, VERSION) + messageField(FRAME_REQUEST, requestSize);
    byte[] out = new byte[4 + frameSize];
    putInt(out, 0, frameSize);
    int at = 4;
    at = writeVarintField(out, at, 1, VERSION);
    at = writeLength(out, at, FRAME_REQUEST, requestSize);
    at = writeVarintField(out, at, 1, id);
    at = writeLength(out, at, 2, opSize);
    at = writeVarintField(out, at, 1, request.kind().wire);
    at = writeBytesField(out, at, 2, map);
    at = writeBytesField(out, at, 3, key);
    at = writeBytesField(out, at, 4, value);
    at = writeVarintField(out, at, 5, request.ttlMillis());
    at = writeVarintField(out, at, 6, request.expectedVersion());
    at = writeVarintField(out, at, 3, routedVersion);
    if (at != out.length) {
      throw new IllegalStateException("request frame sized " + out.length + ", wrote " + at);
    }
    return out;
  }

  /** Decodes one frame (without its length prefix). */
  static Answer decode(byte[] bytes) throws IOException {
    try {
      return ProtoReader.frame(
          bytes,
          VERSION,
          "state client",
          (field, frame) ->
              switch (field) {
                case 3 -> welcome(frame.message());
                case 4 -> refused(frame.message());
                case 6 -> reply(frame.message());
                default -> null;
              },
          Unknown::new);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed state client frame: " + e.getMessage(), e);
    }
  }

  private static Welcome welcome(ProtoReader body) {
    String agent = "";
    long maxInFlight = 0;
    long maxFrameBytes = 0;
    while (body.next()) {
      switch (body.field()) {
        case 1 -> agent = body.string();
        case 2 -> maxInFlight = body.varint();
        case 3 -> maxFrameBytes = body.varint();
        default -> body.skip();
      }
    }
    if (maxInFlight < 1 || maxInFlight > 1 << 20 || maxFrameBytes < 1024) {
      throw new IllegalArgumentException(
          "welcome with max_in_flight " + maxInFlight + " and max_frame_bytes " + maxFrameBytes);
    }
    return new Welcome(agent, (int) maxInFlight, (int) Math.min(maxFrameBytes, Integer.MAX_VALUE));
  }

  private static Refused refused(ProtoReader body) {
    CodedSentence refused = CodedSentence.read(body);
    return new Refused(name(REFUSALS, refused.code(), 0), refused.sentence());
  }

  private static Reply reply(ProtoReader body) {
    long id = 0;
    StateReply.Outcome outcome = null;
    long tableVersion = 0;
    boolean forwarded = false;
    while (body.next()) {
      switch (body.field()) {
        case 1 -> id = body.varint();
        case 2 -> outcome = result(body.message());
        case 3 -> tableVersion = body.varint();
        case 5 -> forwarded = body.varint() != 0;
        case 6 -> outcome = error(body.message());
        default -> body.skip();
      }
    }
    if (id == 0 || outcome == null) {
      throw new IllegalArgumentException("reply without an id or a result");
    }
    if (tableVersion < 0) {
      throw new IllegalArgumentException(
          "reply with table version " + Long.toUnsignedString(tableVersion));
    }
    return new Reply(id, new StateReply(outcome, tableVersion, forwarded));
  }

  private static StateReply.Outcome result(ProtoReader body) {
    long kind = 0;
    byte[] value = new byte[0];
    long version = 0;
    long expires = 0;
    boolean existed = false;
    String owner = "";
    long reasonCode = 0;
    String reason = "";
    while (body.next()) {
      switch (body.field()) {
        case 1 -> kind = body.varint();
        case 2 -> value = body.bytes();
        case 3 -> version = body.varint();
        case 4 -> expires = body.varint();
        case 5 -> existed = body.varint() != 0;
        case 6 -> owner = body.string();
        case 7 -> reasonCode = body.varint();
        case 8 -> reason = body.string();
        default -> body.skip();
      }
    }
    if (version < 0 || expires < 0) {
      throw new IllegalArgumentException("result with a version or expiry out of range");
    }
    return switch ((int) Math.min(kind, 100)) {
      case 1 -> {
        if (version < 1) {
          throw new IllegalArgumentException("a found entry with version " + version);
        }
        yield new StateReply.Found(value, version, expires);
      }
      case 2 -> new StateReply.Absent();
      case 3 -> new StateReply.Written(version);
      case 4 -> new StateReply.Deleted(existed);
      case 5 ->
          new StateReply.Conflict(
              version,
              "the entry's version is "
                  + version
                  + (version == 0 ? " (absent)" : "")
                  + ", not the one given");
      case 6 ->
          new StateReply.Moved(
              "the key's partition is owned by member '"
                  + owner
                  + "' at table version "
                  + version
                  + "; retry");
      case 7 -> {
        String name = name(UNAVAILABLE_REASONS, reasonCode, 1);
        yield new StateReply.Unavailable(name, reason.isEmpty() ? name : name + ": " + reason);
      }
      default -> throw new IllegalArgumentException("result of unknown kind " + kind);
    };
  }

  private static StateReply.Outcome error(ProtoReader body) {
    CodedSentence coded = CodedSentence.read(body);
    long code = coded.code();
    String sentence = coded.sentence();
    // The HTTP API's codes and statuses for the same refusals (403 acl_denied, 400 bad_request).
    HivemindClientException error =
        switch ((int) Math.min(code, 100)) {
          case 1 -> new HivemindClientException("acl_denied", sentence, 403, null);
          case 2 -> new HivemindClientException("bad_request", sentence, 400, null);
          default ->
              new HivemindClientException(
                  HivemindClientException.UNEXPECTED_RESPONSE,
                  "the agent refused a call with error " + code + ": " + sentence,
                  0,
                  null);
        };
    return new StateReply.Failed(error);
  }

  /** {@code names[code - first]}, or "code_N" for a code a newer agent may send. */
  private static String name(String[] names, long code, int first) {
    long index = code - first;
    return index >= 0 && index < names.length
        ? names[(int) index]
        : "code_" + Long.toUnsignedString(code).toLowerCase(Locale.ROOT);
  }

  /** The length a frame's 4-byte prefix announces, checked against {@code max}. */
  static int length(byte[] prefix, int max) throws IOException {
    int length =
        ((prefix[0] & 0xFF) << 24)
            | ((prefix[1] & 0xFF) << 16)
            | ((prefix[2] & 0xFF) << 8)
            | (prefix[3] & 0xFF);
    if (length < 0 || length > max) {
      throw new IOException(
          "state client frame of " + Integer.toUnsignedString(length) + " bytes, more than " + max);
    }
    return length;
  }

  private static void putInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
  }

  private static int varintSize(long value) {
    int size = 1;
    for (long rest = value >>> 7; rest != 0; rest >>>= 7) {
      size++;
    }
    return size;
  }

  /** A varint field's size; 0 for 0, which proto3 leaves out. */
  private static int varintField(int field, long value) {
    return value == 0 ? 0 : varintSize((long) field << 3) + varintSize(value);
  }

  /** A bytes field's size; 0 for empty, which proto3 leaves out. */
  private static int bytesField(int field, int length) {
    return length == 0 ? 0 : messageField(field, length);
  }

  /** A nested message's size, written even when empty (a oneof's case). */
  private static int messageField(int field, int length) {
    return varintSize(((long) field << 3) | LENGTH_DELIMITED) + varintSize(length) + length;
  }

  private static int writeVarintField(byte[] out, int at, int field, long value) {
    if (value == 0) {
      return at;
    }
    return writeVarint(out, writeVarint(out, at, (long) field << 3), value);
  }

  private static int writeBytesField(byte[] out, int at, int field, byte[] value) {
    if (value.length == 0) {
      return at;
    }
    int start = writeLength(out, at, field, value.length);
    System.arraycopy(value, 0, out, start, value.length);
    return start + value.length;
  }

  /** A length-delimited field's tag and length; the caller writes the content. */
  private static int writeLength(byte[] out, int at, int field, int length) {
    return writeVarint(out, writeVarint(out, at, ((long) field << 3) | LENGTH_DELIMITED), length);
  }

  private static int writeVarint(byte[] out, int at, long value) {
    int position = at;
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out[position++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out[position++] = (byte) rest;
    return position;
  }
}
