package io.hivemind.server.transport;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The first frame each way on a partitioned-state connection (docs/protocol/state.md, "Transport"):
 * who is speaking, so the receiver can refuse another cluster or environment before it reads any
 * state message, and knows which member every later message comes from.
 *
 * <p>Body: one version byte ({@link #VERSION}), then cluster, environment and member id, each a
 * 2-byte big-endian length and that many UTF-8 bytes (at most {@link #MAX_FIELD_BYTES}).
 *
 * @param cluster the sender's cluster name
 * @param environment the sender's environment id
 * @param memberId the sender's control-plane member id (the id partition tables name)
 */
record StateHello(String cluster, String environment, String memberId) {

  static final byte VERSION = 1;

  /** Longest field: cluster names, environment ids and member ids are all far shorter. */
  static final int MAX_FIELD_BYTES = 256;

  StateHello {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(memberId, "memberId");
  }

  byte[] encode() {
    byte[][] fields = {utf8(cluster), utf8(environment), utf8(memberId)};
    int size = 1;
    for (byte[] field : fields) {
      if (field.length > MAX_FIELD_BYTES) {
        throw new IllegalArgumentException("hello field longer than " + MAX_FIELD_BYTES + " bytes");
      }
      size += 2 + field.length;
    }
    byte[] out = new byte[size];
    out[0] = VERSION;
    int at = 1;
    for (byte[] field : fields) {
      out[at++] = (byte) (field.length >>> 8);
      out[at++] = (byte) field.length;
      System.arraycopy(field, 0, out, at, field.length);
      at += field.length;
    }
    return out;
  }

  /**
   * The hello in {@code body}.
   *
   * @throws StateFrameException one sentence when the bytes are not a hello of this version
   */
  static StateHello decode(byte[] body) throws StateFrameException {
    if (body.length < 1 || body[0] != VERSION) {
      throw new StateFrameException(
          "hello of an unknown version " + (body.length < 1 ? "(empty)" : body[0]));
    }
    int[] at = {1};
    String cluster = field(body, at);
    String environment = field(body, at);
    String memberId = field(body, at);
    if (at[0] != body.length) {
      throw new StateFrameException("hello with " + (body.length - at[0]) + " trailing bytes");
    }
    if (memberId.isEmpty()) {
      throw new StateFrameException("hello without a member id");
    }
    return new StateHello(cluster, environment, memberId);
  }

  private static String field(byte[] body, int[] at) throws StateFrameException {
    if (at[0] + 2 > body.length) {
      throw new StateFrameException("hello cut short");
    }
    int length = ((body[at[0]] & 0xff) << 8) | (body[at[0] + 1] & 0xff);
    at[0] += 2;
    if (length > MAX_FIELD_BYTES || at[0] + length > body.length) {
      throw new StateFrameException("hello field of " + length + " bytes does not fit");
    }
    String value = new String(body, at[0], length, StandardCharsets.UTF_8);
    at[0] += length;
    return value;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
